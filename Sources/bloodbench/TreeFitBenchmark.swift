import Foundation
import Learn
import Tensor

/// `tree-fit`: fitting the study's decision tree (Gini, max_depth 10, random_state 42) on a
/// training part the size of the study's (11,964 images) with EfficientNet-Lite0's feature width
/// (1,280), ours against scikit-learn's `DecisionTreeClassifier`, seconds (one fit each, the
/// data already in memory). The note says whether both grew the same tree.
let treeFitBenchmark = Benchmark(
    name: "tree-fit",
    summary: "Decision tree (Gini, max_depth 10) fit on \(StudySizes.grouped(TreeBenchmarkData.rows)) x 1,280 features vs scikit-learn DecisionTreeClassifier, seconds."
) { _ in
    let (x, labels) = TreeBenchmarkData.make()
    let xFile = try ClusterBenchmarkData.writeTemporaryNPY(Matrix(rows: x.rows, columns: x.columns, storage: x.storage.map(Double.init)),
                                                           name: "tree-x")
    let yFile = try ClusterBenchmarkData.writeTemporaryNPY(Matrix(rows: labels.count, columns: 1, storage: labels.map(Double.init)),
                                                           name: "tree-y")
    defer { for f in [xFile, yFile] { try? FileManager.default.removeItem(at: f) } }
    var fitted: FittedDecisionTree?
    let ours = ClusterBenchmarkData.time {
        fitted = DecisionTree(maxDepth: 10, minSamplesSplit: 2, randomState: 42).fit(x, labels: labels, classes: TreeBenchmarkData.classes)
    }
    let tree = fitted!
    let reference = PythonReference.run("tree_fit.py", [xFile.path, yFile.path])
    var note = "ours: \(tree.nodeCount) nodes, depth \(tree.depth)"
    if let nodes = reference.fields["node_count"] as? Int, let theirs = reference.fields["train_predictions"] as? [Int] {
        let same = theirs == tree.predict(x) && nodes == tree.nodeCount
        note += "; scikit-learn: \(nodes) nodes; same tree: \(same ? "yes" : "no")"
    }
    if let why = reference.note { note += "; \(why)" }
    return BenchmarkResult(name: "tree-fit", ours: ours, reference: reference.value, unit: "s", higherIsBetter: false,
                           referenceTool: "scikit-learn DecisionTreeClassifier", note: note)
}

/// Seeded features for `tree-fit`: 8 classes whose means differ in 40 of the 1,280 columns, the
/// rest noise, rounded to float32 (the tree's working precision on both sides).
enum TreeBenchmarkData {
    static let rows = StudySizes.trainingImages, columns = 1_280, classes = 8, informative = 40

    static func make(seed: UInt64 = 42) -> (Matrix<Float>, [Int]) {
        var rng = SeededGenerator(seed: seed)
        let centres = (0..<(classes * informative)).map { _ in rng.nextGaussian() }
        var x = Matrix<Float>(rows: rows, columns: columns)
        var labels = [Int](repeating: 0, count: rows)
        for i in 0..<rows {
            let c = Int.random(in: 0..<classes, using: &rng)
            labels[i] = c
            for j in 0..<columns {
                let shift = j < informative ? centres[c * informative + j] : 0
                x.storage[i * columns + j] = Float(shift + 1.5 * rng.nextGaussian())
            }
        }
        return (x, labels)
    }
}
