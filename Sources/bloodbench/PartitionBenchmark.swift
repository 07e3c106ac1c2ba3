import Explain
import Foundation
import Neural
import Tensor

/// `partition-resnet18`: seconds to explain one 224×224 image with shap's partition explainer
/// (500 evaluations, `inpaint_telea`, all 8 outputs) on the study's ResNet18 (random weights, eval
/// mode), ours against shap + PyTorch (tools/bench/partition_resnet18.py) on the same formula image.
enum PartitionBenchmark {
    /// The formula image both sides explain: a purple blob on a pale background with a ripple.
    static func formulaImage(size: Int = 224) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: size * size * 3)
        for y in 0..<size {
            for x in 0..<size {
                let (xf, yf) = (Double(x), Double(y))
                let blob = exp(-((xf - 112) * (xf - 112) + (yf - 100) * (yf - 100)) / (2 * 50.0 * 50.0))
                let rgb = [225 * (1 - blob) + 110 * blob + 10 * sin(xf / 7),
                           195 * (1 - blob) + 60 * blob + 10 * sin(yf / 9),
                           200 * (1 - blob) + 150 * blob]
                for c in 0..<3 { out[(y * size + x) * 3 + c] = UInt8(max(0, min(255, (rgb[c] + 0.5).rounded(.down)))) }
            }
        }
        return out
    }

    static let resnet18 = Benchmark(
        name: "partition-resnet18",
        summary: "shap PartitionExplainer, one 224x224 image, 500 evaluations, inpaint_telea, ResNet18: seconds vs shap + PyTorch CPU."
    ) { _ in
        let evals = 500
        var g = SeededGenerator(seed: 0)
        let model = StudyResNet18(classes: 8, using: &g)
        let image = formulaImage()
        let masker = shap.ImageMasker(.inpaintTelea, height: 224, width: 224, channels: 3)
        let explainer = shap.PartitionExplainer(model: shap.PartitionExplainer.softmaxModel(model, height: 224, width: 224),
                                                masker: masker)
        _ = explainer.model([image])   // warm-up: page faults, BLAS buffers
        let start = Date()
        let explanation = explainer.explain(image, maxEvals: evals)
        let ours = Date().timeIntervalSince(start)
        FileHandle.standardError.write("partition-resnet18: \(explanation.evaluations) evaluations\n".data(using: .utf8)!)
        let reference = PythonReference.run("partition_resnet18.py", ["--evals", "\(evals)", "--threads", "\(Parallel.threadCount)"])
        return BenchmarkResult(name: "partition-resnet18", ours: ours, reference: reference.value, unit: "s",
                               higherIsBetter: false, referenceTool: "shap + PyTorch \(Parallel.threadCount) threads",
                               note: reference.note)
    }
}
