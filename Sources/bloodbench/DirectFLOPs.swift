import Foundation
import Neural
import Tensor

/// Floating-point work of the networks the neural benchmarks time, counted for the direct
/// algorithm (2 FLOP per multiply-add of the convolutions, linear layers and attention products;
/// element-wise layers left out), so the achieved GFLOP/s compares with the sgemm rate whatever
/// algorithm (Winograd, im2col) actually ran.
enum DirectFLOPs {
    /// One convolution or linear layer: `macs` multiply-adds per image forward, whether its weight
    /// gradient and its input gradient are needed in training (each costs another `macs`).
    struct Layer {
        var macs: Double
        var weightGradient = true
        var inputGradient = true
    }

    static func conv(_ cin: Int, _ cout: Int, kernel: Int, outSide: Int) -> Double {
        Double(cin * cout * kernel * kernel * outSide * outSide)
    }

    /// Training FLOPs per image: forward of every layer, plus the gradients training needs.
    static func training(_ layers: [Layer]) -> Double {
        2 * layers.reduce(0) { $0 + $1.macs * (1 + ($1.weightGradient ? 1 : 0) + ($1.inputGradient ? 1 : 0)) }
    }

    /// CNNModel(hidden 64) at `size`: six 3x3 pad-1 convolutions and the 256-256-8 classifier; the
    /// first convolution's input gradient (the images') is not needed.
    static func cnnTraining(size: Int) -> Double {
        var layers: [Layer] = []
        for (index, (cin, cout, side)) in [(3, 64, size), (64, 64, size), (64, 128, size / 2), (128, 128, size / 2),
                                           (128, 256, size / 4), (256, 256, size / 4)].enumerated() {
            layers.append(Layer(macs: conv(cin, cout, kernel: 3, outSide: side), inputGradient: index > 0))
        }
        layers += [Layer(macs: 256 * 256), Layer(macs: 256 * 8)]
        return training(layers)
    }

    /// The study's ResNet18 at 224 with its freezing: everything runs forward; backward reaches only
    /// layer4, whose first convolution is frozen (no weight gradient), and neither it nor the
    /// downsample needs an input gradient (nothing below them trains). Head 512-128-8.
    static func resnet18Training() -> Double {
        let frozen = { (macs: Double) in Layer(macs: macs, weightGradient: false, inputGradient: false) }
        var layers = [frozen(conv(3, 64, kernel: 7, outSide: 112))]
        layers += (0..<4).map { _ in frozen(conv(64, 64, kernel: 3, outSide: 56)) }
        for (cin, cout, side) in [(64, 128, 28), (128, 256, 14)] {
            layers += [frozen(conv(cin, cout, kernel: 3, outSide: side)), frozen(conv(cin, cout, kernel: 1, outSide: side))]
            layers += (0..<3).map { _ in frozen(conv(cout, cout, kernel: 3, outSide: side)) }
        }
        layers += [frozen(conv(256, 512, kernel: 3, outSide: 7)),
                   Layer(macs: conv(256, 512, kernel: 1, outSide: 7), inputGradient: false)]
        layers += (0..<3).map { _ in Layer(macs: conv(512, 512, kernel: 3, outSide: 7)) }
        layers += [Layer(macs: 512 * 128), Layer(macs: 128 * 8)]
        return training(layers)
    }

    /// ViT-B/16 forward at 224 per image: patch embedding, then 12 blocks of QKV, QKᵀ, AV,
    /// projection and the 4x MLP over 197 tokens of width 768.
    static func vitB16Forward() -> Double {
        let (d, t) = (768.0, 197.0)
        let block = 12 * d * d * t + 2 * t * t * d
        return 2 * (d * d * 196 + 12 * block)
    }

    /// The sgemm rate of this machine right now: best of four 2048³ products with the library's own
    /// threads, in GFLOP/s (2 per multiply-add); with oneDNN installed, the faster of oneDNN and
    /// OpenBLAS (the stricter yardstick for the share a benchmark prints).
    static func sgemmRate(size n: Int = 2048) -> Double {
        let a = BenchData.uniform(n * n, seed: 1), b = BenchData.uniform(n * n, seed: 2)
        var c = [Float](repeating: 0, count: n * n)
        var best = Double.infinity
        for backend in GEMMBackend.oneDNNAvailable ? [GEMMBackend.onednn, .openblas] : [.openblas] {
            for _ in 0..<4 {
                let start = Date()
                c.withUnsafeMutableBufferPointer { cp in
                    GEMMBackend.sgemm(backend, transA: false, transB: false, m: n, n: n, k: n, alpha: 1, a: a, lda: n,
                                      b: b, ldb: n, beta: 0, c: cp.baseAddress!, ldc: n)
                }
                best = min(best, Date().timeIntervalSince(start))
            }
        }
        return 2 * pow(Double(n), 3) / best / 1e9
    }
}

extension BenchmarkResult {
    /// Adds the achieved GFLOP/s of `flopsPerImage` at `ours` images/s and this run's sgemm rate.
    func withThroughput(flopsPerImage: Double, sgemmGflops: Double) -> BenchmarkResult {
        var r = self
        r.gflops = ours * flopsPerImage / 1e9
        r.sgemmGflops = sgemmGflops
        r.details.append("blas       float32 products by \(GEMMBackend.current.rawValue); OpenBLAS kernels \(BLASKernelSelection.core ?? "unknown")")
        return r
    }
}

extension BenchmarkResult {
    func with(details: [String]) -> BenchmarkResult {
        var r = self
        r.details += details
        return r
    }
}

/// The timing loop the neural training benchmarks share.
enum NeuralTiming {
    /// One warm-up step (first-touch page faults, BLAS buffers), then `steps` timed steps
    /// (`BLOODBENCH_STEPS` overrides the count, e.g. for a longer window under `perf record`).
    static func imagesPerSecond(batch: Int, steps defaultSteps: Int, _ step: () -> Void) -> Double {
        let steps = Self.steps(default: defaultSteps)
        step()
        let start = Date()
        for _ in 0..<steps { step() }
        return Double(batch * steps) / Date().timeIntervalSince(start)
    }

    /// Training steps of ours against a PyTorch script of `tools/bench/` that takes `--size`,
    /// `--batch`, `--steps`, `--warmup` and `--threads`, in alternating rounds (`InterleavedRounds`).
    static func againstPyTorch(script: String, size: Int, batch: Int, steps: Int, _ step: () -> Void)
        -> (ours: Double, reference: PythonReference.Outcome, details: String) {
        InterleavedRounds.best(unit: "images/s", ours: {
            imagesPerSecond(batch: batch, steps: steps, step)
        }, reference: {
            PythonReference.run(script, ["--size", "\(size)", "--batch", "\(batch)", "--steps", "\(steps)",
                                         "--warmup", "1", "--threads", "\(Parallel.threadCount)"])
        })
    }

    /// `BLOODBENCH_STEPS` when set, else `defaultSteps`.
    static func steps(default defaultSteps: Int) -> Int {
        Int(ProcessInfo.processInfo.environment["BLOODBENCH_STEPS"] ?? "") ?? defaultSteps
    }

    /// With `BLOODBENCH_COMPARE=1` (or the older `BLOODBENCH_COMPARE_IM2COL=1`), times the same steps
    /// again with one part of the engine put back as it was, for same-run before/afters: Winograd
    /// off (every convolution by im2col + GEMM); Winograd's weight gradient off (im2col + GEMM for
    /// dW only); OpenBLAS for the float32 products instead of oneDNN (when oneDNN is current).
    static func sameRunComparisons(batch: Int, steps: Int, _ step: () -> Void) -> [String] {
        let env = ProcessInfo.processInfo.environment
        guard env["BLOODBENCH_COMPARE"] == "1" || env["BLOODBENCH_COMPARE_IM2COL"] == "1" else { return [] }
        var lines: [String] = []
        Conv2d.usesWinograd = false
        lines.append(String(format: "im2col     %.4g images/s with Winograd off (same run)",
                            imagesPerSecond(batch: batch, steps: steps, step)))
        Conv2d.usesWinograd = true
        Conv2d.usesWinogradWeightGradient = false
        lines.append(String(format: "dW im2col  %.4g images/s with Winograd's weight gradient off (same run)",
                            imagesPerSecond(batch: batch, steps: steps, step)))
        Conv2d.usesWinogradWeightGradient = true
        if GEMMBackend.current == .onednn {
            GEMMBackend.override = .openblas
            lines.append(String(format: "OpenBLAS   %.4g images/s with OpenBLAS's sgemm instead of oneDNN's (same run)",
                                imagesPerSecond(batch: batch, steps: steps, step)))
            GEMMBackend.override = nil
        }
        return lines
    }
}
