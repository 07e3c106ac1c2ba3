import Foundation
import Tensor

/// The matrix products of one ViT-B/16 forward pass alone, as the engine issues them (the token
/// projections and MLP as one sgemm over all tokens of the batch with OpenBLAS's threads; the two
/// attention products per image and head, single-threaded, spread over the cores), timed without
/// any of the element-wise work between them. Their rate is what the whole forward pass could reach
/// with free element-wise layers: the bound `vit-b16-forward` prints beside its own rate.
enum ViTGemmBound {
    /// GFLOP/s (2 per multiply-add) of the products of `steps` forward passes of `batch` images.
    static func gflops(batch: Int, steps: Int = 2) -> Double {
        let (t, d, heads, mlp, layers) = (197, 768, 12, 3072, 12)
        let dh = d / heads, rows = batch * t
        let x = BenchData.uniform(rows * mlp, seed: 3), w = BenchData.uniform(mlp * 3 * d, seed: 4)
        var y = [Float](repeating: 0, count: rows * mlp)
        let attentionWidth = 3 * d
        func pass() {
            x.withUnsafeBufferPointer { xp in w.withUnsafeBufferPointer { wp in y.withUnsafeMutableBufferPointer { yp in
                let (a, b, c) = (xp.baseAddress!, wp.baseAddress!, yp.baseAddress!)
                func linear(_ inWidth: Int, _ outWidth: Int, rows: Int) {
                    Float.gemm(transA: false, transB: true, m: rows, n: outWidth, k: inWidth, alpha: 1, a: a, lda: inWidth,
                               b: b, ldb: inWidth, beta: 0, c: c, ldc: outWidth)
                }
                linear(d, d, rows: batch * 196)   // patch embedding
                for _ in 0..<layers {
                    linear(d, 3 * d, rows: rows)
                    Parallel.forEachChunk(batch * heads) { tasks in
                        let scores = UnsafeMutablePointer<Float>.allocate(capacity: t * t)
                        defer { scores.deallocate() }
                        for task in tasks {
                            let q = a + (task / heads) * t * attentionWidth + (task % heads) * dh
                            Float.gemm(transA: false, transB: true, m: t, n: t, k: dh, alpha: 1, a: q, lda: attentionWidth,
                                       b: q + d, ldb: attentionWidth, beta: 0, c: scores, ldc: t)
                            Float.gemm(transA: false, transB: false, m: t, n: dh, k: t, alpha: 1, a: scores, lda: t,
                                       b: q + 2 * d, ldb: attentionWidth, beta: 0,
                                       c: c + (task / heads) * t * d + (task % heads) * dh, ldc: d)
                        }
                    }
                    linear(d, d, rows: rows)
                    linear(d, mlp, rows: rows)
                    linear(mlp, d, rows: rows)
                }
            } } }
        }
        pass()   // warm-up
        let start = Date()
        for _ in 0..<steps { pass() }
        return Double(batch * steps) * DirectFLOPs.vitB16Forward() / Date().timeIntervalSince(start) / 1e9
    }
}
