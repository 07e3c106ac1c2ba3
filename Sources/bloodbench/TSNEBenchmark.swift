import Foundation
import Learn
import Tensor

/// `tsne-17k`: t-SNE of 17,092 points in 50 dimensions (perplexity 30, learning rate 200, 1000
/// iterations, PCA start, Barnes–Hut θ 0.5), ours against scikit-learn's `TSNE`, seconds end to end.
let tsneBenchmark = Benchmark(
    name: "tsne-17k",
    summary: "t-SNE (Barnes-Hut) of \(StudySizes.grouped(ClusterBenchmarkData.rows)) x 50 points vs scikit-learn TSNE, seconds."
) { _ in
    let x = ClusterBenchmarkData.make()
    let file = try ClusterBenchmarkData.writeTemporaryNPY(x, name: "tsne")
    defer { try? FileManager.default.removeItem(at: file) }
    var result: TSNEResult?
    let ours = ClusterBenchmarkData.time {
        var rng = SeededGenerator(seed: 42)
        result = TSNE(learningRate: 200).fit(x, using: &rng)
    }
    let reference = PythonReference.run("tsne_17k.py", [file.path])
    let theirKL = (reference.fields["kl_divergence"] as? Double).map { String(format: "%.4f", $0) } ?? "n/a"
    let note = "KL divergence ours \(String(format: "%.4f", result!.barnesHutKLDivergence)) (Barnes-Hut estimate), scikit-learn \(theirKL)"
        + (reference.note.map { "; \($0)" } ?? "")
    return BenchmarkResult(name: "tsne-17k", ours: ours, reference: reference.value, unit: "s", higherIsBetter: false,
                           referenceTool: "scikit-learn TSNE", note: note)
}
