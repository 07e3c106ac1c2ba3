import Tensor

/// Mirrors `torch.nn.Flatten()` (start_dim 1): (N, d1, d2, ...) → (N, d1·d2·...).
public final class Flatten: Layer {
    private var inputShape: [Int] = []

    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.rank >= 1, "Flatten needs a batch dimension, got \(x.shape)")
        inputShape = x.shape
        return x.reshaped([x.shape[0], x.shape.dropFirst().reduce(1, *)])
    }

    public func backward(_ dy: Tensor) -> Tensor { dy.reshaped(inputShape) }
}
