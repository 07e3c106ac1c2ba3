import Tensor

/// Mirrors `torch.nn.ReLU`: `y = max(x, 0)`, any shape.
public final class ReLU: Layer {
    /// The last output, whose positive entries mark where the gradient passes.
    private var output = Tensor(zeros: [0])

    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        output = Tensor.uninitialized(x.shape) { yp in
            x.data.withUnsafeBufferPointer { xp in
                Elementwise.apply(count: xp.count, xp.baseAddress!, xp.baseAddress!, yp) { v, _ in
                    v.replacing(with: 0, where: v .< 0)
                } scalar: { v, _ in Self.apply(v) }
            }
        }
        return output
    }

    /// max(v, 0) as the vector path computes it: −0 and NaN pass through unchanged.
    @inline(__always)
    static func apply(_ v: Float) -> Float { v < 0 ? 0 : v }

    /// Takes `y`, already ReLU(x) (a fused producer such as `BatchNorm2d.forward(_:training:thenReLU:)`),
    /// as this layer's output: backward then works as after `forward(x)`.
    public func adopt(_ y: Tensor) -> Tensor {
        output = y
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.shape == output.shape, "ReLU backward got gradient \(dy.shape), expected \(output.shape)")
        // d max(x, 0)/dx = 1 where x > 0 (PyTorch uses 0 at x = 0, as here).
        return Tensor.uninitialized(dy.shape) { dxp in
            dy.data.withUnsafeBufferPointer { dp in
                output.data.withUnsafeBufferPointer { yp in
                    Elementwise.apply(count: dp.count, dp.baseAddress!, yp.baseAddress!, dxp) { g, y in
                        g.replacing(with: 0, where: .!(y .> 0))
                    } scalar: { g, y in y > 0 ? g : 0 }
                }
            }
        }
    }
}
