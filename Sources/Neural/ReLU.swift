import Tensor

/// Mirrors `torch.nn.ReLU`: `y = max(x, 0)`, any shape.
public final class ReLU: Layer {
    /// The last output, whose positive entries mark where the gradient passes.
    private var output = Tensor(zeros: [0])

    public init() {}

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        output = Tensor.uninitialized(x.shape) { yp in
            x.data.withUnsafeBufferPointer { xp in
                Parallel.forEachChunk(xp.count, minimumChunk: 1 << 16) { r in
                    for i in r { yp[i] = max(xp[i], 0) }
                }
            }
        }
        return output
    }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.shape == output.shape, "ReLU backward got gradient \(dy.shape), expected \(output.shape)")
        // d max(x, 0)/dx = 1 where x > 0 (PyTorch uses 0 at x = 0, as here).
        return Tensor.uninitialized(dy.shape) { dxp in
            dy.data.withUnsafeBufferPointer { dp in
                output.data.withUnsafeBufferPointer { yp in
                    Parallel.forEachChunk(dp.count, minimumChunk: 1 << 16) { r in
                        for i in r { dxp[i] = yp[i] > 0 ? dp[i] : 0 }
                    }
                }
            }
        }
    }
}
