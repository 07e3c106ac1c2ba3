import Tensor

/// Mirrors `torch.nn.Linear`: `y = x Wᵀ + b`.
///
/// - Parameters: `inFeatures`, `outFeatures`, `bias` (default true).
/// - Learned: `weight` (outFeatures, inFeatures), `bias` (outFeatures), initialised as PyTorch does
///   (U(-1/sqrt(in), 1/sqrt(in))).
/// - Input (N, in) → output (N, out); any leading dimensions are batch dimensions, as in PyTorch:
///   (N, T, in) → (N, T, out).
public final class Linear: Layer {
    public let inFeatures: Int, outFeatures: Int
    public let weight: Parameter
    public let bias: Parameter?
    /// The last input (N, in), kept for dW = dYᵀ X.
    private var input = Tensor(zeros: [0])

    public init(_ inFeatures: Int, _ outFeatures: Int, bias: Bool = true,
                using generator: inout some RandomNumberGenerator) {
        self.inFeatures = inFeatures; self.outFeatures = outFeatures
        weight = Parameter(name: "weight", value: Tensor(shape: [outFeatures, inFeatures],
            data: DefaultInitializer.uniform(count: outFeatures * inFeatures, fanIn: inFeatures, using: &generator)))
        self.bias = bias ? Parameter(name: "bias", value: Tensor(shape: [outFeatures],
            data: DefaultInitializer.uniform(count: outFeatures, fanIn: inFeatures, using: &generator))) : nil
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        input = x
        return product(x)
    }

    /// x Wᵀ + b over all rows as one GEMM, the bias rows copied into the output first (`beta` 1):
    /// the rows are written once, by `memcpy`, not zeroed then filled. (Adding the bias after the
    /// product instead changes the rounding: a library that splits the inner dimension adds its
    /// partial sums onto the bias.)
    private func product(_ x: Tensor) -> Tensor {
        precondition(x.rank >= 2 && x.shape.last == inFeatures, "Linear(\(inFeatures), \(outFeatures)) got input \(x.shape)")
        let n = x.count / inFeatures, out = outFeatures
        let withBias = bias != nil
        return Tensor.uninitialized(Array(x.shape.dropLast()) + [out]) { yp in
            guard n > 0 else { return }
            if let b = bias {
                b.value.data.withUnsafeBufferPointer { bp in
                    Parallel.forEachChunk(n, minimumChunk: 64) { rows in
                        for i in rows { (yp + i * out).update(from: bp.baseAddress!, count: out) }
                    }
                }
            }
            x.data.withUnsafeBufferPointer { xp in
                weight.value.data.withUnsafeBufferPointer { wp in
                    // y (N, out) = x (N, in) · Wᵀ (in, out) (+ y)
                    Float.gemm(transA: false, transB: true, m: n, n: out, k: inFeatures, alpha: 1,
                               a: xp.baseAddress!, lda: inFeatures, b: wp.baseAddress!, ldb: inFeatures,
                               beta: withBias ? 1 : 0, c: yp, ldc: out)
                }
            }
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let n = input.count / inFeatures
        precondition(dy.shape == Array(input.shape.dropLast()) + [outFeatures],
                     "Linear backward got gradient \(dy.shape) for input \(input.shape)")
        var dx = Tensor(zeros: input.shape)
        guard n > 0 else { return dx }
        dy.data.withUnsafeBufferPointer { dyp in
            if weight.requiresGrad {
                // dW (out, in) += dyᵀ (out, N) · x (N, in)
                input.data.withUnsafeBufferPointer { xp in
                    weight.grad.data.withUnsafeMutableBufferPointer { gw in
                        Float.gemm(transA: true, transB: false, m: outFeatures, n: inFeatures, k: n, alpha: 1,
                                   a: dyp.baseAddress!, lda: outFeatures, b: xp.baseAddress!, ldb: inFeatures,
                                   beta: 1, c: gw.baseAddress!, ldc: inFeatures)
                    }
                }
            }
            if let b = bias, b.requiresGrad {
                // db += Σ_n dy[n, :]
                b.grad.data.withUnsafeMutableBufferPointer { gb in
                    for i in 0..<n { for j in 0..<outFeatures { gb[j] += dyp[i * outFeatures + j] } }
                }
            }
            // dx (N, in) = dy (N, out) · W (out, in)
            weight.value.data.withUnsafeBufferPointer { wp in
                dx.data.withUnsafeMutableBufferPointer { dxp in
                    Float.gemm(transA: false, transB: false, m: n, n: inFeatures, k: outFeatures, alpha: 1,
                               a: dyp.baseAddress!, lda: outFeatures, b: wp.baseAddress!, ldb: inFeatures,
                               beta: 0, c: dxp.baseAddress!, ldc: inFeatures)
                }
            }
        }
        return dx
    }
}
