import Tensor

/// A differentiable building block with its forward and backward pass side by side.
///
/// `forward` saves what `backward` needs (inputs, masks, statistics) in the layer itself, so one
/// layer instance handles one forward/backward pair at a time. `backward` receives dL/d(output),
/// adds dL/d(parameter) into each parameter's `grad` (`+=`, as PyTorch accumulates), and returns
/// dL/d(input).
public protocol Layer: AnyObject {
    /// Runs the layer. `training` selects batch statistics and dropout, as `model.train()` does.
    func forward(_ input: Tensor, training: Bool) -> Tensor
    /// Back-propagates `outputGradient` through the last `forward` call.
    func backward(_ outputGradient: Tensor) -> Tensor
    /// The layer's trainable tensors, in PyTorch's `parameters()` order.
    var parameters: [Parameter] { get }
}

extension Layer {
    public var parameters: [Parameter] { [] }
}
