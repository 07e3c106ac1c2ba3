import Foundation
import Neural
import Tensor

/// `resnet18-train`: training throughput of the study's ModelResNet18 (ResNet18 base frozen as in
/// the study, head 512-128-8, AdamW groups 3e-5 / 8e-4) on random 224×224 images, batch 32.
/// `vit-b16-forward`: inference throughput of ViT-B/16 (class-token features) at 224×224, batch 8.
/// Both against PyTorch (tools/bench/resnet18_train.py, vit_b16_forward.py) with the same threads.
enum PretrainedModelBenchmarks {
    static func randomImages(_ n: Int, _ size: Int, using g: inout SeededGenerator) -> Tensor {
        Tensor(shape: [n, 3, size, size], data: BenchData.uniform(n * 3 * size * size, seed: g.next()).map { 2 * $0 })
    }

    static let resnet18Train = Benchmark(
        name: "resnet18-train",
        summary: "Study ResNet18 (frozen as in the study) training steps at 224x224, batch 32, images/s vs PyTorch CPU."
    ) { _ in
        let (batch, size, steps) = (32, 224, 3)
        var g = SeededGenerator(seed: 0)
        let model = StudyResNet18(classes: 8, using: &g)
        let optimizer = model.makeOptimizer()
        let x = randomImages(batch, size, using: &g)
        let y = (0..<batch).map { _ in Int.random(in: 0..<8, using: &g) }
        func step() {
            optimizer.zeroGrad()
            let (_, gradient) = CrossEntropyLoss()(model.forward(x, training: true), y)
            _ = model.backward(gradient)
            optimizer.step()
        }
        let (ours, reference, rounds) = NeuralTiming.againstPyTorch(script: "resnet18_train.py", size: size, batch: batch,
                                                                    steps: steps, step)
        let plain = NeuralTiming.sameRunComparisons(batch: batch, steps: steps, step)
        return BenchmarkResult(name: "resnet18-train", ours: ours, reference: reference.value, unit: "images/s",
                               higherIsBetter: true, referenceTool: "PyTorch \(Parallel.threadCount) threads", note: reference.note)
            .withThroughput(flopsPerImage: DirectFLOPs.resnet18Training(), sgemmGflops: DirectFLOPs.sgemmRate())
            .with(details: [rounds] + plain)
    }

    static let vitB16Forward = Benchmark(
        name: "vit-b16-forward",
        summary: "ViT-B/16 forward (class-token features) at 224x224, batch 8, images/s vs PyTorch CPU."
    ) { _ in
        let batch = 8, steps = NeuralTiming.steps(default: 3)
        var g = SeededGenerator(seed: 0)
        let model = VisionTransformer(.base16(), using: &g)
        let x = randomImages(batch, 224, using: &g)
        // The sgemm rate is measured right after each of our rounds, so that both sample the same
        // stretches of this host's drifting speed. The headline share is the best round's rate over
        // the best sgemm rate (each side's least disturbed value, as for ours and PyTorch); every
        // round's own share is printed too.
        var measured: [(rate: Double, sgemm: Double)] = []
        let (ours, reference, rounds) = InterleavedRounds.best(unit: "images/s", ours: {
            _ = model.forward(x, training: false)   // warm-up
            let start = Date()
            for _ in 0..<steps { _ = model.forward(x, training: false) }
            let rate = Double(batch * steps) / Date().timeIntervalSince(start)
            measured.append((rate, DirectFLOPs.sgemmRate()))
            return rate
        }, reference: {
            PythonReference.run("vit_b16_forward.py", ["--batch", "\(batch)", "--steps", "\(steps)", "--warmup", "1",
                                                       "--threads", "\(Parallel.threadCount)"])
        })
        let flops = DirectFLOPs.vitB16Forward()
        let shares = "shares     " + measured.map { rate, sgemm in
            String(format: "%.0f%% (%.1f GFLOP/s, sgemm %.1f)", 100 * rate * flops / 1e9 / sgemm, rate * flops / 1e9, sgemm)
        }.joined(separator: ", ") + ": each round against the sgemm rate measured right after it"
        let encoder = model.encoderPlanImplementations.map { "encoder    oneDNN primitives per block: " + $0.joined(separator: ", ") }
            ?? "encoder    layer by layer (sgemm between Swift element-wise passes; oneDNN is not the backend)"
        let gemmsAlone = ViTGemmBound.gflops(batch: batch)
        return BenchmarkResult(name: "vit-b16-forward", ours: ours, reference: reference.value, unit: "images/s",
                               higherIsBetter: true, referenceTool: "PyTorch \(Parallel.threadCount) threads", note: reference.note)
            .withThroughput(flopsPerImage: flops, sgemmGflops: measured.map(\.sgemm).max()!)
            .with(details: [rounds, shares, encoder, String(format: "gemms      %.1f GFLOP/s: the forward pass's matrix products alone (same shapes, no element-wise work), same run", gemmsAlone)])
    }

    /// `lite0-features`: EfficientNet-Lite0 feature extraction (pooled 1280 features, eval) at
    /// 224x224, batch 32, through `EfficientNetLite0.InferencePlan` (the path the deep-features step
    /// uses, network only: no decoding), against efficientnet_lite_pytorch on PyTorch with the same
    /// threads. The details give the training-capable layers' rate (`features(_:)`) for comparison.
    static let lite0Features = Benchmark(
        name: "lite0-features",
        summary: "EfficientNet-Lite0 features (extract_features, pooled) at 224x224, batch 32, images/s vs PyTorch CPU."
    ) { _ in
        let (batch, steps, size) = (32, 3, 224)
        var g = SeededGenerator(seed: 0)
        let model = EfficientNetLite0(using: &g)
        let x = randomImages(batch, size, using: &g)
        let plan = EfficientNetLite0.InferencePlan(model)
        _ = plan.features(x)   // warm-up
        var start = Date()
        for _ in 0..<steps { _ = plan.features(x) }
        let ours = Double(batch * steps) / Date().timeIntervalSince(start)
        _ = model.features(x)
        start = Date()
        _ = model.features(x)
        let layers = Double(batch) / Date().timeIntervalSince(start)
        let reference = PythonReference.run("lite0_features.py", ["--size", "\(size)", "--batch", "\(batch)", "--steps", "\(steps)",
                                                                  "--warmup", "1", "--threads", "\(Parallel.threadCount)"])
        return BenchmarkResult(name: "lite0-features", ours: ours, reference: reference.value, unit: "images/s",
                               higherIsBetter: true, referenceTool: "PyTorch \(Parallel.threadCount) threads", note: reference.note)
            .with(details: [String(format: "training-capable layers (EfficientNetLite0.features): %.1f images/s", layers)])
    }
}
