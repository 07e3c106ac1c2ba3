import Tensor

/// Mirrors `torch.nn.ReLU6`: `y = min(max(x, 0), 6)`, any shape (EfficientNet-Lite's activation).
public final class ReLU6: Layer {
    /// The last input: the gradient passes where 0 < x < 6.
    private var input = Tensor(zeros: [0])

    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        input = x
        return Tensor.uninitialized(x.shape) { yp in
            x.data.withUnsafeBufferPointer { xp in
                Elementwise.apply(count: xp.count, xp.baseAddress!, xp.baseAddress!, yp) { v, _ in
                    v.replacing(with: 0, where: v .< 0).replacing(with: 6, where: v .> 6)
                } scalar: { v, _ in min(max(v, 0), 6) }
            }
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.shape == input.shape, "ReLU6 backward got gradient \(dy.shape), expected \(input.shape) (forward must run with training: true)")
        // PyTorch's hardtanh backward: the gradient passes strictly inside (0, 6).
        return Tensor.uninitialized(dy.shape) { dxp in
            dy.data.withUnsafeBufferPointer { dp in
                input.data.withUnsafeBufferPointer { xp in
                    Elementwise.apply(count: dp.count, dp.baseAddress!, xp.baseAddress!, dxp) { g, x in
                        g.replacing(with: 0, where: .!((x .> 0) .& (x .< 6)))
                    } scalar: { g, x in x > 0 && x < 6 ? g : 0 }
                }
            }
        }
    }
}
