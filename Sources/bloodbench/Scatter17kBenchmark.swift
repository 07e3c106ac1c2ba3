import Foundation
import Plot
import Study
import Tensor

/// `scatter-17k`: the study's two-panel PCA / t-SNE scatter of 17,092 points drawn to a PNG, by
/// Plot (Cairo + sprite stamping) and by matplotlib (Agg) on the same points. Median of 5 runs
/// after a warm-up, seconds per figure.
let scatter17kBenchmark = Benchmark(
    name: "scatter-17k",
    summary: "Draw the \(StudySizes.grouped(StudySizes.images))-point two-panel class scatter to PNG, Plot vs matplotlib."
) { _ in
    let count = StudySizes.images, repeats = 5
    var g = SeededGenerator(seed: 42)
    let pca = SyntheticData.clusters(count: count, spread: 1.6, using: &g)
    let tsne = SyntheticData.clusters(count: count, spread: 0.7, using: &g)
    let classes = SyntheticData.classes

    func draw() -> Data {
        Charts.embedding(pca: (pca.x, pca.y), tsne: (tsne.x, tsne.y), labels: pca.labels, classes: classes,
                         featureName: "Deep Features", width: 1000, height: 480).renderPNG()
    }
    _ = draw()
    var times: [Double] = []
    for _ in 0..<repeats {
        let start = DispatchTime.now().uptimeNanoseconds
        let png = draw()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
        precondition(png.count > 1000, "Plot produced an empty PNG")
    }
    let ours = times.sorted()[repeats / 2]

    // The same points for matplotlib: (pca x, pca y, t-SNE x, t-SNE y, class index) as float64.
    var records = [Double]()
    records.reserveCapacity(count * 5)
    let index = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, Double($0)) })
    for i in 0..<count { records += [pca.x[i], pca.y[i], tsne.x[i], tsne.y[i], index[pca.labels[i]]!] }
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("bloodbench-scatter17k-\(getpid()).bin")
    try records.withUnsafeBufferPointer { try Data(buffer: $0).write(to: file) }
    defer { try? FileManager.default.removeItem(at: file) }
    let reference = PythonReference.run("scatter_17k.py", [file.path, String(repeats)])
    return BenchmarkResult(name: "scatter-17k", ours: ours, reference: reference.value, unit: "s/figure",
                           higherIsBetter: false, referenceTool: "matplotlib (Agg)", note: reference.note)
}
