import Tensor

/// Small pointer-level helpers shared by the transformer kernels (LayerNorm, attention, patch
/// embedding). Kept in one namespace so they do not collide with the CNN layers' helpers.
enum TokenMath {
    /// Row-major `C = alpha * op(A) * op(B) + beta * C` on raw pointers (cblas_sgemm).
    /// `op(A)` is `(m, k)`, `op(B)` is `(k, n)`, `C` is `(m, n)` with leading dimension `ldc`.
    @inline(__always)
    static func gemm(_ transA: Bool, _ transB: Bool, m: Int, n: Int, k: Int, alpha: Float = 1,
                     _ a: UnsafePointer<Float>, lda: Int, _ b: UnsafePointer<Float>, ldb: Int,
                     beta: Float, _ c: UnsafeMutablePointer<Float>, ldc: Int) {
        guard m > 0, n > 0 else { return }
        if k == 0 {
            if beta == 0 { for i in 0..<m { (c + i * ldc).update(repeating: 0, count: n) } }
            return
        }
        Float.gemm(transA: transA, transB: transB, m: m, n: n, k: k, alpha: alpha, a: a, lda: lda,
                   b: b, ldb: ldb, beta: beta, c: c, ldc: ldc)
    }

    /// `y = x · Wᵀ + b` for `x` `(rows, inWidth)`, `W` `(outWidth, inWidth)`, `b` `(outWidth)`:
    /// one gemm over all rows (batches and tokens fused), as `torch.nn.functional.linear`.
    static func affine(_ x: [Float], rows: Int, inWidth: Int, weight: [Float], bias: [Float]?, outWidth: Int) -> [Float] {
        _ = MemoryTuning.applied
        // Every value is written: the bias rows here, or the gemm with beta 0.
        var y = [Float](unsafeUninitializedCapacity: rows * outWidth) { _, k in k = rows * outWidth }
        y.withUnsafeMutableBufferPointer { yp in
            if let bias {
                bias.withUnsafeBufferPointer { bp in
                    for r in 0..<rows { (yp.baseAddress! + r * outWidth).update(from: bp.baseAddress!, count: outWidth) }
                }
            }
            x.withUnsafeBufferPointer { xp in
                weight.withUnsafeBufferPointer { wp in
                    gemm(false, true, m: rows, n: outWidth, k: inWidth, xp.baseAddress!, lda: inWidth,
                         wp.baseAddress!, ldb: inWidth, beta: bias == nil ? 0 : 1, yp.baseAddress!, ldc: outWidth)
                }
            }
        }
        return y
    }

    /// Backward of `affine`: adds `dyᵀ · x` into `weight.grad` and the column sums of `dy` into
    /// `bias.grad` (skipped for frozen parameters), and returns `dx = dy · W` `(rows, inWidth)`.
    static func affineBackward(_ dy: [Float], x: [Float], rows: Int, inWidth: Int, outWidth: Int,
                               weight: Parameter, bias: Parameter?, needInputGradient: Bool = true) -> [Float] {
        dy.withUnsafeBufferPointer { dyp in
            if weight.requiresGrad {
                x.withUnsafeBufferPointer { xp in
                    weight.grad.data.withUnsafeMutableBufferPointer { gw in
                        // dW (out, in) += dyᵀ (out, rows) · x (rows, in)
                        gemm(true, false, m: outWidth, n: inWidth, k: rows, dyp.baseAddress!, lda: outWidth,
                             xp.baseAddress!, ldb: inWidth, beta: 1, gw.baseAddress!, ldc: inWidth)
                    }
                }
            }
            if let bias, bias.requiresGrad {
                bias.grad.data.withUnsafeMutableBufferPointer { gb in
                    for r in 0..<rows { for j in 0..<outWidth { gb[j] += dyp[r * outWidth + j] } }
                }
            }
        }
        guard needInputGradient else { return [] }
        var dx = [Float](repeating: 0, count: rows * inWidth)
        dx.withUnsafeMutableBufferPointer { dxp in
            dy.withUnsafeBufferPointer { dyp in
                weight.value.data.withUnsafeBufferPointer { wp in
                    // dx (rows, in) = dy (rows, out) · W (out, in)
                    gemm(false, false, m: rows, n: inWidth, k: outWidth, dyp.baseAddress!, lda: outWidth,
                         wp.baseAddress!, ldb: inWidth, beta: 0, dxp.baseAddress!, ldc: inWidth)
                }
            }
        }
        return dx
    }
}
