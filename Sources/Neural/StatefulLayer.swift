import Tensor

/// A layer that also owns tensors saved with the model but not trained, as PyTorch's buffers
/// (BatchNorm's `running_mean`, `running_var`, `num_batches_tracked`), or a container of layers.
///
/// `stateTensors` lists parameters and buffers in `state_dict()` order: per module its own
/// parameters, then its own buffers, then its children's, so names and order match PyTorch.
public protocol StatefulLayer: Layer {
    var stateTensors: [Parameter] { get }
}

/// The tensors of `layer`'s `state_dict()`, in PyTorch's order: parameters and buffers.
public func stateTensors(of layer: Layer) -> [Parameter] {
    (layer as? StatefulLayer)?.stateTensors ?? layer.parameters
}
