import Foundation
import Neural
import Tensor

/// `lite-finetune`: training steps of the two fine-tuning recipes on EfficientNet-Lite0, against
/// PyTorch with efficientnet_lite_pytorch (tools/bench/lite_finetune.py) on the same threads:
/// - headline, ViT-B/16's recipe: the whole network trained (batch norms on batch statistics,
///   drop connect), new 8-way head, SGD lr 1e-3, on images at `BLOODBENCH_SIZE` (default 224);
/// - details, ResNet18's recipe: `EfficientNetLiteTail` on cached trunk features, AdamW groups
///   3e-5 / 8e-4, weight decay 0.01.
/// `BLOODBENCH_STEPS` sets the full recipe's timed steps (default 3), `BLOODBENCH_TAIL_STEPS` the
/// tail's (default 20).
/// With `BLOODBENCH_COMPARE=1` the full recipe is timed again with GroupedConv2d's scalar loops.
/// With `BLOODBENCH_LITE_SWEEP=1` the details also give our rates (short runs, no reference) that
/// plan a run's budget: trunk features (inference plan) of Lite0@224, Lite1@240, Lite2@260, and the
/// full recipe at 160 and 128.
enum LiteFinetuneBenchmark {
    static let batch = 32

    /// One training step of the whole network: zero_grad, forward, cross-entropy, backward, SGD.
    static func fullStep(size: Int, batch: Int) -> () -> Void {
        var g = SeededGenerator(seed: 0)
        let model = EfficientNetLite(.lite0, classes: 8, using: &g)
        model.computesInputGradient = false   // as PyTorch: the images need no gradient
        let optimizer = SGD(parameters: model.parameters, learningRate: 1e-3)
        let x = PretrainedModelBenchmarks.randomImages(batch, size, using: &g)
        let y = (0..<batch).map { _ in Int.random(in: 0..<8, using: &g) }
        return {
            optimizer.zeroGrad()
            let (_, gradient) = CrossEntropyLoss()(model.forward(x, training: true), y)
            _ = model.backward(gradient)
            optimizer.step()
        }
    }

    /// One training step of the tail on trunk features of `size`×`size` images.
    static func tailStep(size: Int, batch: Int) -> () -> Void {
        var g = SeededGenerator(seed: 0)
        let model = EfficientNetLite(.lite0, using: &g)
        let tail = EfficientNetLiteTail(from: model, classes: 8, dropoutSeed: 1, using: &g)
        let optimizer = Adam.adamW([ParameterGroup(tail.stageParameters, learningRate: 3e-5),
                                    ParameterGroup(tail.headParameters, learningRate: 8e-4)], weightDecay: 0.01)
        let side = (size + 31) / 32
        let x = Tensor(shape: [batch, tail.inputChannels, side, side],
                       data: BenchData.uniform(batch * tail.inputChannels * side * side, seed: g.next()).map { 4 * $0 - 2 })
        let y = (0..<batch).map { _ in Int.random(in: 0..<8, using: &g) }
        return {
            optimizer.zeroGrad()
            let (_, gradient) = CrossEntropyLoss()(tail.forward(x, training: true), y)
            _ = tail.backward(gradient)
            optimizer.step()
        }
    }

    /// Images per second of the inference plan's trunk features for `variant` at its resolution.
    static func trunkRate(_ variant: EfficientNetLite.Variant, batch: Int, steps: Int) -> Double {
        var g = SeededGenerator(seed: 0)
        let plan = EfficientNetLite.InferencePlan(EfficientNetLite(variant, using: &g))
        let x = PretrainedModelBenchmarks.randomImages(batch, variant.imageSize, using: &g)
        return NeuralTiming.imagesPerSecond(batch: batch, steps: steps) { _ = plan.trunkFeatures(x) }
    }

    static let benchmark = Benchmark(
        name: "lite-finetune",
        summary: "EfficientNet-Lite0 fine-tuning steps, whole network (SGD) and tail on trunk features (AdamW), batch 32, images/s vs PyTorch CPU."
    ) { _ in
        let size = Int(ProcessInfo.processInfo.environment["BLOODBENCH_SIZE"] ?? "") ?? 224
        func reference(_ recipe: String, steps: Int) -> () -> PythonReference.Outcome {
            { PythonReference.run("lite_finetune.py", ["--recipe", recipe, "--size", "\(size)", "--batch", "\(batch)",
                                                       "--steps", "\(steps)", "--warmup", "1", "--threads", "\(Parallel.threadCount)"]) }
        }
        let fullSteps = NeuralTiming.steps(default: 3)
        let tailSteps = Int(ProcessInfo.processInfo.environment["BLOODBENCH_TAIL_STEPS"] ?? "") ?? 20
        let full = fullStep(size: size, batch: batch)
        let (ours, ref, rounds) = InterleavedRounds.best(unit: "images/s", ours: {
            NeuralTiming.imagesPerSecond(batch: batch, steps: fullSteps, full)
        }, reference: reference("full", steps: fullSteps))
        let tail = tailStep(size: size, batch: batch)
        let (tailOurs, tailRef, tailRounds) = InterleavedRounds.best(unit: "images/s", ours: {
            tail()   // warm-up
            let start = Date()
            for _ in 0..<tailSteps { tail() }
            return Double(batch * tailSteps) / Date().timeIntervalSince(start)
        }, reference: reference("tail", steps: tailSteps))
        var details = ["full       ViT-B/16's recipe, whole Lite0 at \(size)x\(size): " + rounds]
        let tailReference = tailRef.value.map { String(format: "%.4g images/s, ratio %.2f", $0, tailOurs / $0) }
            ?? "n/a (\(tailRef.note ?? "no reference"))"
        details.append("tail       ResNet18's recipe on trunk features of \(size)x\(size): ours "
                       + String(format: "%.4g", tailOurs) + " images/s, PyTorch " + tailReference)
        details.append("tail       " + tailRounds)
        if ProcessInfo.processInfo.environment["BLOODBENCH_COMPARE"] == "1" {
            GroupedConv2d.usesSIMDKernels = false
            details.append(String(format: "scalar     full recipe at %d with GroupedConv2d's scalar loops (same run): %.4g images/s",
                                  size, NeuralTiming.imagesPerSecond(batch: batch, steps: fullSteps, full)))
            GroupedConv2d.usesSIMDKernels = true
        }
        if ProcessInfo.processInfo.environment["BLOODBENCH_LITE_SWEEP"] == "1" {
            for variant in EfficientNetLite.Variant.all {
                details.append("sweep      trunk features (inference plan) \(variant.displayName) at \(variant.imageSize): "
                               + String(format: "%.4g images/s", trunkRate(variant, batch: batch, steps: 2)))
            }
            for side in [160, 128] {
                details.append(String(format: "sweep      full recipe (whole Lite0, SGD) at %d: %.4g images/s",
                                      side, NeuralTiming.imagesPerSecond(batch: batch, steps: fullSteps, fullStep(size: side, batch: batch))))
            }
        }
        return BenchmarkResult(name: "lite-finetune", ours: ours, reference: ref.value, unit: "images/s",
                               higherIsBetter: true, referenceTool: "PyTorch \(Parallel.threadCount) threads", note: ref.note)
            .with(details: details)
    }
}
