import Tensor

/// Mirrors `torch.nn.GELU()` (the exact erf form, `approximate='none'`):
/// `y = x · Φ(x) = 0.5 · x · (1 + erf(x / √2))`.
public final class GELU: Layer {
    private var input: Tensor = Tensor(zeros: [0])   // saved x, any shape

    public init() {}

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        self.input = input
        let rootHalf = Float(0.5).squareRoot()
        return Tensor.uninitialized(input.shape) { y in
            input.data.withUnsafeBufferPointer { x in
                // Chunks of whole vectors, so the values do not depend on the thread count.
                Parallel.forEachChunk(x.count / 16 + 1, minimumChunk: 1024) { range in
                    let start = range.lowerBound * 16, end = min(x.count, range.upperBound * 16)
                    guard start < end else { return }
                    VectorMath.map(x.baseAddress! + start, y + start, count: end - start) { v in
                        0.5 * v * (1 + VectorMath.erf(v * rootHalf))
                    }
                }
            }
        }
    }

    /// GELU(z + bias) with the bias (one value per last-dimension entry) added to `z` first, in the
    /// same pass: the sum becomes this layer's saved input, as `forward(z + bias)` would keep.
    public func forward(addingBias bias: [Float]?, to z: Tensor) -> Tensor {
        guard let bias else { return forward(z, training: true) }
        let width = bias.count, rows = z.count / max(1, width)
        precondition(z.shape.last == width, "GELU: bias of \(width) values for input \(z.shape)")
        var preactivation = z
        let rootHalf = Float(0.5).squareRoot()
        let y = Tensor.uninitialized(z.shape) { y in
            preactivation.data.withUnsafeMutableBufferPointer { zp in
                bias.withUnsafeBufferPointer { bp in
                    Parallel.forEachChunk(rows, minimumChunk: 16) { range in
                        for row in range {
                            let v = zp.baseAddress! + row * width
                            for j in 0..<width { v[j] += bp[j] }
                            // Lane-wise, so the values do not depend on how rows are split.
                            VectorMath.map(v, y + row * width, count: width) { x in 0.5 * x * (1 + VectorMath.erf(x * rootHalf)) }
                        }
                    }
                }
            }
        }
        input = preactivation
        return y
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let rootHalf = Float(0.5).squareRoot(), invSqrt2Pi = 1 / Float(2 * Float.pi).squareRoot()
        return Tensor.uninitialized(input.shape) { out in
            input.data.withUnsafeBufferPointer { x in
                outputGradient.data.withUnsafeBufferPointer { dy in
                    Parallel.forEachChunk(x.count / 16 + 1, minimumChunk: 1024) { range in
                        let start = range.lowerBound * 16, end = min(x.count, range.upperBound * 16)
                        guard start < end else { return }
                        // d/dx [x Φ(x)] = Φ(x) + x φ(x), then times dy.
                        VectorMath.map(x.baseAddress! + start, out + start, count: end - start) { v in
                            let cdf = 0.5 * (1 + VectorMath.erf(v * rootHalf))
                            return cdf + v * invSqrt2Pi * VectorMath.exp(-0.5 * v * v)
                        }
                        for i in start..<end { out[i] *= dy[i] }
                    }
                }
            }
        }
    }
}
