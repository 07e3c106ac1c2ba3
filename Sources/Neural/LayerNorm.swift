import Tensor

/// Mirrors `torch.nn.LayerNorm(width, eps)`: normalises each row of the last dimension to zero mean
/// and unit variance (biased), then scales and shifts it.
///
/// `y = (x - mean) / sqrt(var + eps) * weight + bias`, over the last axis of any `(..., D)` input.
///
/// - Parameters:
///   - width: `D`, the size of the normalised last dimension.
///   - eps: added to the variance; torchvision's ViT uses `1e-6`, Hugging Face's ViT `1e-12`.
/// - Learned values: `weight` `(D)` initialised to 1, `bias` `(D)` initialised to 0.
public final class LayerNorm: Layer {
    public let width: Int
    public let eps: Float
    public let weight: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [weight, bias] }

    // Saved by forward for backward.
    private var normalized: [Float] = []   // x̂, same shape as the input
    private var inverseStd: [Float] = []   // 1 / sqrt(var + eps), one per row
    private var inputShape: [Int] = []

    public init(width: Int, eps: Float = 1e-5) {
        self.width = width
        self.eps = eps
        weight = Parameter(name: "weight", value: Tensor(shape: [width], repeating: 1))
        bias = Parameter(name: "bias", value: Tensor(zeros: [width]))
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.shape.last == width, "LayerNorm(\(width)) got input of shape \(input.shape)")
        let d = width, rows = input.count / d
        inputShape = input.shape
        // Every value of the three buffers is written below.
        _ = MemoryTuning.applied
        normalized = [Float](unsafeUninitializedCapacity: input.count) { _, k in k = input.count }
        inverseStd = [Float](unsafeUninitializedCapacity: rows) { _, k in k = rows }
        var out = [Float](unsafeUninitializedCapacity: input.count) { _, k in k = input.count }
        input.data.withUnsafeBufferPointer { x in
            weight.value.data.withUnsafeBufferPointer { g in
                bias.value.data.withUnsafeBufferPointer { b in
                    normalized.withUnsafeMutableBufferPointer { xh in
                        inverseStd.withUnsafeMutableBufferPointer { rs in
                            out.withUnsafeMutableBufferPointer { y in
                                Parallel.forEachChunk(rows, minimumChunk: 32) { range in
                                    for r in range {
                                        let o = r * d
                                        // Two passes (mean, then centred variance) for accuracy.
                                        let (mean, variance) = Self.meanAndSquares(x.baseAddress! + o, count: d)
                                        let rstd = 1 / (variance / Float(d) + eps).squareRoot()
                                        rs[r] = rstd
                                        for j in 0..<d {
                                            let h = (x[o + j] - mean) * rstd
                                            xh[o + j] = h
                                            y[o + j] = h * g[j] + b[j]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: input.shape, data: out)
    }

    /// The mean of `count` values and the sum of their squared deviations from it: two passes (for
    /// accuracy), 16 lanes at a time.
    @inline(__always)
    static func meanAndSquares(_ x: UnsafePointer<Float>, count: Int) -> (mean: Float, squares: Float) {
        typealias V16 = SIMD16<Float>
        let vectors = count / 16
        var lanes = V16.zero
        for v in 0..<vectors { lanes += UnsafeRawPointer(x + 16 * v).loadUnaligned(as: V16.self) }
        var sum = lanes.sum()
        for j in (16 * vectors)..<count { sum += x[j] }
        let mean = sum / Float(count)
        lanes = .zero
        for v in 0..<vectors {
            let c = UnsafeRawPointer(x + 16 * v).loadUnaligned(as: V16.self) - mean
            lanes += c * c
        }
        var squares = lanes.sum()
        for j in (16 * vectors)..<count { let c = x[j] - mean; squares += c * c }
        return (mean, squares)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let d = width, rows = outputGradient.count / d
        var dx = [Float](repeating: 0, count: outputGradient.count)
        outputGradient.data.withUnsafeBufferPointer { dy in
            normalized.withUnsafeBufferPointer { xh in
                // dweight += Σ_rows dy · x̂ ; dbias += Σ_rows dy
                if weight.requiresGrad || bias.requiresGrad {
                    weight.grad.data.withUnsafeMutableBufferPointer { gw in
                        bias.grad.data.withUnsafeMutableBufferPointer { gb in
                            for r in 0..<rows {
                                let o = r * d
                                for j in 0..<d { gw[j] += dy[o + j] * xh[o + j]; gb[j] += dy[o + j] }
                            }
                        }
                    }
                }
                weight.value.data.withUnsafeBufferPointer { g in
                    inverseStd.withUnsafeBufferPointer { rs in
                        dx.withUnsafeMutableBufferPointer { out in
                            // dx = rstd · (dx̂ - mean(dx̂) - x̂ · mean(dx̂ · x̂)), with dx̂ = dy · weight
                            Parallel.forEachChunk(rows, minimumChunk: 32) { range in
                                for r in range {
                                    let o = r * d
                                    var meanDh: Float = 0, meanDhXh: Float = 0
                                    for j in 0..<d {
                                        let dh = dy[o + j] * g[j]
                                        meanDh += dh; meanDhXh += dh * xh[o + j]
                                    }
                                    meanDh /= Float(d); meanDhXh /= Float(d)
                                    for j in 0..<d {
                                        out[o + j] = rs[r] * (dy[o + j] * g[j] - meanDh - xh[o + j] * meanDhXh)
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: inputShape, data: dx)
    }
}
