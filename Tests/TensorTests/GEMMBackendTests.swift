import Testing
@testable import Tensor

/// oneDNN's sgemm against OpenBLAS's on the same operands: every transpose combination, leading
/// dimensions wider than the matrices, alpha and beta, and the shapes the networks use.
/// Tolerance 1e-5 of the largest |C|: both sum k products of unit-scale values in float32 in
/// different orders (blocking), so they differ by rounding of order √k · 6e-8 of the magnitude.
@Suite struct GEMMBackendTests {
    static let shapes: [(Int, Int, Int)] = [(1, 1, 1), (7, 5, 3), (197, 197, 64), (64, 300, 129), (1576, 96, 768), (33, 64, 2000)]

    @Test(.enabled(if: GEMMBackend.oneDNNAvailable, "oneDNN (libdnnl.so.2, Debian's libdnnl2) is not installed"),
          arguments: [(false, false), (true, false), (false, true), (true, true)])
    func oneDNNMatchesOpenBLAS(transA: Bool, transB: Bool) {
        var g = SeededGenerator(seed: 5)
        for (m, n, k) in Self.shapes {
            let (lda, ldb, ldc) = ((transA ? m : k) + 3, (transB ? k : n) + 2, n + 1)
            let a = (0..<((transA ? k : m) * lda)).map { _ in Float(g.nextGaussian()) }
            let b = (0..<((transB ? n : k) * ldb)).map { _ in Float(g.nextGaussian()) }
            let c0 = (0..<(m * ldc)).map { _ in Float(g.nextGaussian()) }
            func product(_ backend: GEMMBackend) -> [Float] {
                var c = c0
                a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                    GEMMBackend.sgemm(backend, transA: transA, transB: transB, m: m, n: n, k: k, alpha: 0.75,
                                      a: ap.baseAddress!, lda: lda, b: bp.baseAddress!, ldb: ldb, beta: 0.5,
                                      c: cp.baseAddress!, ldc: ldc)
                } } }
                return c
            }
            let viaOneDNN = product(.onednn), viaOpenBLAS = product(.openblas)
            let scale = viaOpenBLAS.map(abs).max()!
            var worst: Float = 0
            for i in 0..<(m * ldc) {
                // Padding columns beyond n must be left as they were.
                if i % ldc >= n { #expect(viaOneDNN[i] == c0[i]); continue }
                worst = max(worst, abs(viaOneDNN[i] - viaOpenBLAS[i]))
            }
            #expect(worst / scale < 1e-5, "\(m)x\(n)x\(k) transA \(transA) transB \(transB): \(worst / scale)")
        }
    }

    /// A gemm inside a parallel region (one OpenMP thread per worker) gives the same values as
    /// outside it, for whichever backend is current.
    @Test func parallelRegionsGiveTheSameProducts() {
        var g = SeededGenerator(seed: 6)
        let (m, n, k) = (96, 64, 300)
        let a = (0..<(m * k)).map { _ in Float(g.nextGaussian()) }, b = (0..<(k * n)).map { _ in Float(g.nextGaussian()) }
        func product() -> [Float] {
            var c = [Float](repeating: 0, count: m * n)
            a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
                Float.gemm(transA: false, transB: false, m: m, n: n, k: k, alpha: 1, a: ap.baseAddress!, lda: k,
                           b: bp.baseAddress!, ldb: n, beta: 0, c: cp.baseAddress!, ldc: n)
            } } }
            return c
        }
        let outside = product()
        let inside = Parallel.map(4) { _ in product() }
        for c in inside {
            #expect(zip(c, outside).allSatisfy { abs($0 - $1) <= 1e-4 * max(1, abs($1)) })
        }
    }
}
