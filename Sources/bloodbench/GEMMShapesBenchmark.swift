import Foundation
import Tensor

/// `gemm-shapes`: oneDNN's sgemm against OpenBLAS's on the products the networks issue, in the
/// same process: large square, ViT-B/16's token projections (one call, both cores), Winograd's
/// per-group products and attention's per-head products (two workers at once, one thread each, as
/// `Parallel` runs them). Prints each shape's GFLOP/s (2 per multiply-add) for both; `ours` is the
/// geometric mean for oneDNN, the reference OpenBLAS's.
enum GEMMShapesBenchmark {
    struct Shape {
        var label: String, m: Int, n: Int, k: Int, transB: Bool, perWorker: Bool
    }

    static let shapes = [
        Shape(label: "square 2048", m: 2048, n: 2048, k: 2048, transB: false, perWorker: false),
        Shape(label: "ViT qkv (8 images)", m: 1576, n: 2304, k: 768, transB: true, perWorker: false),
        Shape(label: "ViT out-proj", m: 1576, n: 768, k: 768, transB: true, perWorker: false),
        Shape(label: "ViT mlp fc1", m: 1576, n: 3072, k: 768, transB: true, perWorker: false),
        Shape(label: "ViT mlp fc2", m: 1576, n: 768, k: 3072, transB: true, perWorker: false),
        Shape(label: "ViT attention q·kᵀ", m: 197, n: 197, k: 64, transB: true, perWorker: true),
        Shape(label: "Winograd 64ch 64x64 (2048 tiles)", m: 2048, n: 64, k: 64, transB: false, perWorker: true),
        Shape(label: "Winograd 128ch 32x32", m: 1024, n: 128, k: 128, transB: false, perWorker: true),
        Shape(label: "Winograd 256ch 16x16", m: 256, n: 256, k: 256, transB: false, perWorker: true),
        Shape(label: "ResNet 512ch 7x7 (64 tiles)", m: 64, n: 512, k: 512, transB: false, perWorker: true),
    ]

    static let benchmark = Benchmark(
        name: "gemm-shapes",
        summary: "sgemm on the networks' shapes: oneDNN (libdnnl2) vs OpenBLAS in the same process, GFLOP/s."
    ) { _ in
        guard GEMMBackend.oneDNNAvailable else {
            return BenchmarkResult(name: "gemm-shapes", ours: 0, reference: nil, unit: "GFLOP/s", higherIsBetter: true,
                                   referenceTool: "OpenBLAS", note: "oneDNN (libdnnl.so.2) is not installed")
        }
        var logOneDNN = 0.0, logOpenBLAS = 0.0
        var lines: [String] = []
        for shape in shapes {
            let dnnl = rate(shape, .onednn), blas = rate(shape, .openblas)
            logOneDNN += log(dnnl); logOpenBLAS += log(blas)
            let mode = shape.perWorker ? "\(Parallel.threadCount) workers x 1 thread" : "1 call, \(Parallel.threadCount) threads"
            lines.append(shape.label.padding(toLength: 34, withPad: " ", startingAt: 0)
                         + mode.padding(toLength: 22, withPad: " ", startingAt: 0)
                         + String(format: "oneDNN %6.1f  OpenBLAS %6.1f GFLOP/s  (%.2fx)", dnnl, blas, dnnl / blas))
        }
        let count = Double(shapes.count)
        return BenchmarkResult(name: "gemm-shapes", ours: exp(logOneDNN / count), reference: exp(logOpenBLAS / count),
                               unit: "GFLOP/s (geometric mean)", higherIsBetter: true,
                               referenceTool: "OpenBLAS \(BLASKernelSelection.core ?? "") cblas_sgemm, same process")
            .with(details: ["ours       oneDNN dnnl_sgemm; current backend: \(GEMMBackend.current.rawValue)"] + lines)
    }

    /// Best of five rounds, each long enough (~0.2 s) to smooth the timer, in GFLOP/s.
    static func rate(_ s: Shape, _ backend: GEMMBackend) -> Double {
        let workers = s.perWorker ? Parallel.threadCount : 1
        let a = BenchData.uniform(s.m * s.k, seed: 9), b = BenchData.uniform(s.k * s.n, seed: 10)
        var c = [Float](repeating: 0, count: workers * s.m * s.n)
        let flops = 2.0 * Double(s.m * s.n * s.k) * Double(workers)
        let repeats = max(1, Int(0.2 * 100e9 / flops))
        var best = Double.infinity
        a.withUnsafeBufferPointer { ap in b.withUnsafeBufferPointer { bp in c.withUnsafeMutableBufferPointer { cp in
            func call(_ w: Int) {
                GEMMBackend.sgemm(backend, transA: false, transB: s.transB, m: s.m, n: s.n, k: s.k, alpha: 1,
                                  a: ap.baseAddress!, lda: s.k, b: bp.baseAddress!, ldb: s.transB ? s.k : s.n,
                                  beta: 0, c: cp.baseAddress! + w * s.m * s.n, ldc: s.n)
            }
            for round in 0..<6 {
                let start = Date()
                for _ in 0..<repeats {
                    if s.perWorker { Parallel.forEach(workers) { call($0) } } else { call(0) }
                }
                if round > 0 { best = min(best, Date().timeIntervalSince(start)) }   // round 0 warms up
            }
        } } }
        return flops * Double(repeats) / best / 1e9
    }
}
