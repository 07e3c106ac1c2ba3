import Tensor

/// A trainable tensor and the gradient the backward pass accumulates into it.
///
/// Reference type so a layer and the optimizer see the same values. `requiresGrad == false`
/// freezes it, as `param.requires_grad = False` does in PyTorch.
public final class Parameter: @unchecked Sendable {
    /// Checkpoint-style name, e.g. `layer1.0.conv1.weight`.
    public var name: String
    public var value: Tensor
    /// Same shape as `value`; zeroed by the optimizer's `zeroGrad()`.
    public var grad: Tensor
    public var requiresGrad: Bool

    public init(name: String, value: Tensor, requiresGrad: Bool = true) {
        self.name = name
        self.value = value
        self.grad = Tensor(zeros: value.shape)
        self.requiresGrad = requiresGrad
    }
}
