import Foundation
import Tensor

/// Mirrors `torch.nn.GELU()` (the exact erf form, `approximate='none'`):
/// `y = x · Φ(x) = 0.5 · x · (1 + erf(x / √2))`.
public final class GELU: Layer {
    private var input: Tensor = Tensor(zeros: [0])   // saved x, any shape

    public init() {}

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        self.input = input
        var out = [Float](repeating: 0, count: input.count)
        input.data.withUnsafeBufferPointer { x in
            out.withUnsafeMutableBufferPointer { y in
                Parallel.forEachChunk(x.count, minimumChunk: 16_384) { range in
                    for i in range { y[i] = 0.5 * x[i] * (1 + erf(x[i] * Float(0.5).squareRoot())) }
                }
            }
        }
        return Tensor(shape: input.shape, data: out)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        var dx = [Float](repeating: 0, count: input.count)
        let invSqrt2Pi = 1 / Float(2 * Float.pi).squareRoot()
        input.data.withUnsafeBufferPointer { x in
            outputGradient.data.withUnsafeBufferPointer { dy in
                dx.withUnsafeMutableBufferPointer { out in
                    Parallel.forEachChunk(x.count, minimumChunk: 16_384) { range in
                        // d/dx [x Φ(x)] = Φ(x) + x φ(x)
                        for i in range {
                            let v = x[i]
                            let cdf = 0.5 * (1 + erf(v * Float(0.5).squareRoot()))
                            let pdf = invSqrt2Pi * exp(-0.5 * v * v)
                            out[i] = dy[i] * (cdf + v * pdf)
                        }
                    }
                }
            }
        }
        return Tensor(shape: input.shape, data: dx)
    }
}
