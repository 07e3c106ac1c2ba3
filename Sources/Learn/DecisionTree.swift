import Foundation
import Tensor

/// A CART decision tree classifier with Gini impurity, `sklearn.tree.DecisionTreeClassifier` with
/// the best splitter, all features considered at every node, and no class or sample weights.
///
/// Ties between equally good splits break as scikit-learn's do for the same `randomState`: the
/// features are visited in the order its `BestSplitter` draws (see `DecisionTree+Splitter.swift`),
/// and a later split replaces the best only when strictly better. Hence the same tree as
/// scikit-learn on the same Float32 data.
///
/// - Parameters:
///   - maxDepth: deepest node level (root = 0); nil grows until the leaves are pure. Default nil.
///   - minSamplesSplit: a node with fewer samples is a leaf. Default 2.
///   - minSamplesLeaf: each child keeps at least this many samples. Default 1.
///   - randomState: seed of `numpy.random.RandomState`, as `random_state`. Default 0.
///
/// Reference: Breiman et al., *Classification and Regression Trees* (1984); port of
/// sklearn/tree/_classes.py, _tree.pyx (`DepthFirstTreeBuilder`), _splitter.pyx (`BestSplitter`)
/// and _criterion.pyx (`Gini`).
///
///     let tree = DecisionTree(maxDepth: 10, randomState: 42).fit(x, labels: y, classes: 8)
///     let predicted = tree.predict(xTest)
public struct DecisionTree: Sendable {
    public var maxDepth: Int?
    public var minSamplesSplit: Int
    public var minSamplesLeaf: Int
    public var randomState: UInt32

    public init(maxDepth: Int? = nil, minSamplesSplit: Int = 2, minSamplesLeaf: Int = 1, randomState: UInt32 = 0) {
        precondition(minSamplesSplit >= 2 && minSamplesLeaf >= 1, "min_samples_split must be ≥ 2 and min_samples_leaf ≥ 1")
        self.maxDepth = maxDepth; self.minSamplesSplit = minSamplesSplit
        self.minSamplesLeaf = minSamplesLeaf; self.randomState = randomState
    }
}

/// A grown tree. Nodes are numbered in the order scikit-learn adds them (depth first, left child
/// first); a leaf has `left == -1`.
public struct FittedDecisionTree: Sendable, Codable, Equatable {
    public let classes: Int
    public let featureCount: Int
    /// Per node: the split feature and threshold (`x[feature] <= threshold` goes left), children,
    /// Gini impurity, samples, and class counts (nodes × classes, row-major).
    public let feature: [Int]
    public let threshold: [Double]
    public let left: [Int]
    public let right: [Int]
    public let impurity: [Double]
    public let samples: [Int]
    public let classCounts: [Int]
    public let nodeDepth: [Int]

    public var nodeCount: Int { feature.count }
    /// Depth of the deepest leaf (`tree_.max_depth`).
    public var depth: Int { nodeDepth.max() ?? 0 }
    /// Number of leaves (`get_n_leaves()`).
    public var leafCount: Int { left.lazy.filter { $0 == -1 }.count }

    /// The leaf each row of `x` (N, F) falls into.
    public func apply(_ x: Matrix<Float>) -> [Int] {
        precondition(x.columns == featureCount, "the tree was fitted on \(featureCount) features, got \(x.columns)")
        return (0..<x.rows).map { i in
            var node = 0
            while left[node] != -1 {
                node = Double(x[i, feature[node]]) <= threshold[node] ? left[node] : right[node]
            }
            return node
        }
    }

    /// Class fractions of the leaf of each row, (N, K) row-major (`predict_proba`).
    public func predictProba(_ x: Matrix<Float>) -> [Double] {
        var out: [Double] = []
        out.reserveCapacity(x.rows * classes)
        for node in apply(x) {
            let counts = classCounts[(node * classes)..<((node + 1) * classes)]
            let total = Double(samples[node])
            out += counts.map { Double($0) / total }
        }
        return out
    }

    /// The most frequent class of each row's leaf (the first on a tie), as `predict`.
    public func predict(_ x: Matrix<Float>) -> [Int] {
        apply(x).map { node in
            let counts = classCounts[(node * classes)..<((node + 1) * classes)]
            var best = 0
            for (k, c) in counts.enumerated() where c > counts[counts.startIndex + best] { best = k }
            return best
        }
    }

    /// Normalised total Gini decrease per feature (`feature_importances_`), (F,), summing to 1
    /// unless the root is pure.
    public var featureImportances: [Double] {
        var importances = [Double](repeating: 0, count: featureCount)
        for node in 0..<nodeCount where left[node] != -1 {
            let l = left[node], r = right[node]
            importances[feature[node]] += Double(samples[node]) * impurity[node]
                - Double(samples[l]) * impurity[l] - Double(samples[r]) * impurity[r]
        }
        let root = Double(samples[0])
        for f in importances.indices { importances[f] /= root }
        let total = numpySum(importances)
        if total > 0 { for f in importances.indices { importances[f] /= total } }
        return importances
    }
}
