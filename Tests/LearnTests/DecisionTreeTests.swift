import Foundation
import Tensor
import Testing
import _TestSupport
@testable import Learn

/// A case of Tests/Fixtures/models/tree_<name>* (generator: Tests/Fixtures/tools/decision_tree.py,
/// scikit-learn 1.9.1 `DecisionTreeClassifier(max_depth=10, random_state=42)`).
struct TreeCase: Decodable {
    var classes: Int
    var predictions: [Int]
    var proba: [[Double]]
    var trainPredictions: [Int]
    var feature: [Int]
    var threshold: [Double]
    var left: [Int]
    var right: [Int]
    var samples: [Int]
    var impurity: [Double]
    var depth: Int
    var leaves: Int
    var importances: [Double]

    static func load(_ name: String) throws -> (TreeCase, x: Matrix<Float>, y: [Int], test: Matrix<Float>) {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let c = try decoder.decode(TreeCase.self, from: Data(contentsOf: TestPaths.fixture("models/tree_\(name).json")))
        func matrix(_ file: String) throws -> Matrix<Float> {
            let a = try NPYArray(contentsOf: TestPaths.fixture("models/\(file)"))
            return Matrix(rows: a.shape[0], columns: a.shape[1], storage: a.floats)
        }
        return (c, try matrix("tree_\(name)_x.npy"), try NPYArray(contentsOf: TestPaths.fixture("models/tree_\(name)_y.npy")).ints,
                try matrix("tree_\(name)_xtest.npy"))
    }
}

@Suite("Decision tree (parity with scikit-learn's DecisionTreeClassifier)")
struct DecisionTreeTests {
    static let tree = DecisionTree(maxDepth: 10, minSamplesSplit: 2, minSamplesLeaf: 1, randomState: 42)

    @Test("numpy's RandomState(42).randint(0, 2**31 - 1) draws 1608637542 then 1273642419")
    func numpySeed() {
        var state = NumPyRandomState(seed: 42)
        #expect(state.randint(0x7FFF_FFFF) == 1_608_637_542)
        #expect(state.randint(0x7FFF_FFFF) == 1_273_642_419)
    }

    @Test("distinct feature values: the same tree node for node, the same predictions and probabilities")
    func distinct() throws { try check("distinct") }

    @Test("tied values, duplicated and constant columns: ties break as scikit-learn's, node for node")
    func ties() throws { try check("ties") }

    func check(_ name: String) throws {
        let (ref, x, y, test) = try TreeCase.load(name)
        let fitted = Self.tree.fit(x, labels: y, classes: ref.classes)
        // The structure is compared exactly: the same features and thresholds in the same node order.
        #expect(fitted.nodeCount == ref.feature.count, "\(name): \(fitted.nodeCount) nodes vs \(ref.feature.count)")
        #expect(fitted.left == ref.left && fitted.right == ref.right, "\(name): children differ")
        #expect(fitted.samples == ref.samples, "\(name): node sizes differ")
        let splitNodes = fitted.left.indices.filter { fitted.left[$0] != -1 }
        #expect(splitNodes.map { fitted.feature[$0] } == splitNodes.map { ref.feature[$0] }, "\(name): split features differ")
        #expect(splitNodes.map { fitted.threshold[$0] } == splitNodes.map { ref.threshold[$0] }, "\(name): thresholds differ")
        // Impurities and importances: the same float64 operations, so to 1e-12.
        #expect(zip(fitted.impurity, ref.impurity).allSatisfy { abs($0 - $1) <= 1e-12 })
        #expect(zip(fitted.featureImportances, ref.importances).allSatisfy { abs($0 - $1) <= 1e-12 })
        #expect(fitted.depth == ref.depth && fitted.leafCount == ref.leaves)
        #expect(fitted.predict(test) == ref.predictions, "\(name): predictions differ")
        #expect(fitted.predict(x) == ref.trainPredictions)
        let proba = fitted.predictProba(test)
        #expect(zip(proba, ref.proba.flatMap { $0 }).allSatisfy { abs($0 - $1) <= 1e-15 })
    }

    @Test("a fit reports its progress in training samples placed in leaves, ending at N")
    func progress() throws {
        let (ref, x, y, _) = try TreeCase.load("distinct")
        final class Log: @unchecked Sendable { var calls: [(Int, Int)] = [] }
        let log = Log()
        _ = Self.tree.fit(x, labels: y, classes: ref.classes) { log.calls.append(($0, $1)) }
        #expect(log.calls.last! == (x.rows, x.rows))
        #expect(zip(log.calls, log.calls.dropFirst()).allSatisfy { $0.0 <= $1.0 })
    }
}
