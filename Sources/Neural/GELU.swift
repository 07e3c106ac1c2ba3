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
