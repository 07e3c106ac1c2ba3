import Foundation
import Tensor

extension DecisionTree {
    /// Grows the tree on `x` (N, F) with class labels in `0..<classes`.
    ///
    /// Instead of sorting each feature at every node as scikit-learn does, every feature is sorted
    /// once and the sorted lists are partitioned stably down the tree, so a node's samples are
    /// always in feature order; the splits found are the same. The per-feature search of a node
    /// runs in parallel; the features' visiting order, which decides ties, stays sequential.
    ///
    /// - Parameter progress: called with (training samples placed in finished leaves, N).
    public func fit(_ x: Matrix<Float>, labels: [Int], classes: Int,
                    progress: ((Int, Int) -> Void)? = nil) -> FittedDecisionTree {
        precondition(x.rows == labels.count && x.rows > 0, "\(x.rows) rows for \(labels.count) labels")
        precondition(labels.allSatisfy { (0..<classes).contains($0) }, "labels must be in 0..<\(classes)")
        precondition(x.storage.allSatisfy(\.isFinite), "the decision tree needs finite feature values")
        let builder = TreeBuilder(x: x, labels: labels, classes: classes, tree: self)
        return builder.build(progress: progress)
    }
}

/// Port of `DepthFirstTreeBuilder.build` (sklearn/tree/_tree.pyx) over presorted feature lists.
final class TreeBuilder {
    let n: Int, featureCount: Int, classes: Int
    let tree: DecisionTree
    let y: [Int32]
    /// Per feature f, positions f·N ..< (f+1)·N: sample indices and their values, sorted by value
    /// within each node's segment.
    var sortedIndex: [Int32]
    var sortedValue: [Float]
    /// Scratch: whether each sample of the node being split goes left.
    var goesLeft: [Bool]
    var splitter: BestSplitterOrder

    init(x: Matrix<Float>, labels: [Int], classes: Int, tree: DecisionTree) {
        n = x.rows; featureCount = x.columns; self.classes = classes; self.tree = tree
        y = labels.map { Int32($0) }
        sortedIndex = [Int32](repeating: 0, count: n * featureCount)
        sortedValue = [Float](repeating: 0, count: n * featureCount)
        goesLeft = [Bool](repeating: false, count: n)
        var state = NumPyRandomState(seed: tree.randomState)
        // Splitter.init: rand_r_state = random_state.randint(0, RAND_R_MAX).
        splitter = BestSplitterOrder(featureCount: featureCount, seed: UInt32(state.randint(0x7FFF_FFFF)))
        presort(x)
    }

    private func presort(_ x: Matrix<Float>) {
        let n = self.n, f = featureCount
        x.storage.withUnsafeBufferPointer { xs in
            sortedIndex.withUnsafeMutableBufferPointer { indexOut in
                sortedValue.withUnsafeMutableBufferPointer { valueOut in
                    let idx = indexOut.baseAddress!, val = valueOut.baseAddress!, xb = xs.baseAddress!
                    Parallel.forEach(f) { feature in
                        // Sort (order-preserving bits of the value, sample) pairs packed in one integer.
                        var keys = [UInt64](repeating: 0, count: n)
                        for i in 0..<n {
                            let bits = xb[i * f + feature].bitPattern
                            let key = bits & 0x8000_0000 != 0 ? ~bits : bits | 0x8000_0000
                            keys[i] = UInt64(key) << 32 | UInt64(i)
                        }
                        keys.sort()
                        for p in 0..<n {
                            let i = Int(keys[p] & 0xFFFF_FFFF)
                            idx[feature * n + p] = Int32(i)
                            val[feature * n + p] = xb[i * f + feature]
                        }
                    }
                }
            }
        }
    }

    private struct StackRecord {
        var start: Int, end: Int, depth: Int, parent: Int, isLeft: Bool
        var impurity: Double
        var constantFeatures: Int
    }

    func build(progress: ((Int, Int) -> Void)?) -> FittedDecisionTree {
        var feature: [Int] = [], threshold: [Double] = [], left: [Int] = [], right: [Int] = []
        var impurity: [Double] = [], samples: [Int] = [], counts: [Int] = [], depths: [Int] = []
        let maxDepth = tree.maxDepth ?? Int.max
        var stack = [StackRecord(start: 0, end: n, depth: 0, parent: -1, isLeft: false, impurity: .infinity, constantFeatures: 0)]
        var first = true, placed = 0
        progress?(0, n)
        while let record = stack.popLast() {
            let (start, end) = (record.start, record.end)
            let nodeSamples = end - start
            let nodeCounts = classCounts(start, end)
            var isLeaf = record.depth >= maxDepth || nodeSamples < tree.minSamplesSplit || nodeSamples < 2 * tree.minSamplesLeaf
            var nodeImpurity = record.impurity
            if first { nodeImpurity = Self.gini(nodeCounts, nodeSamples); first = false }
            isLeaf = isLeaf || nodeImpurity <= Double.ulpOfOne
            var split: NodeSplit?
            var constants = record.constantFeatures
            if !isLeaf {
                split = bestSplit(start: start, end: end, counts: nodeCounts, impurity: nodeImpurity, constants: &constants)
                if let s = split, s.improvement + Double.ulpOfOne < 0 { split = nil }   // min_impurity_decrease = 0
                isLeaf = split == nil
            }
            let id = feature.count
            if record.parent >= 0 {
                if record.isLeft { left[record.parent] = id } else { right[record.parent] = id }
            }
            feature.append(split?.feature ?? -2); threshold.append(split?.threshold ?? -2)
            left.append(-1); right.append(-1)
            impurity.append(nodeImpurity); samples.append(nodeSamples); counts += nodeCounts; depths.append(record.depth)
            if let s = split {
                partition(start: start, end: end, split: s)
                // Right first, so the left child is popped (and numbered) first.
                stack.append(StackRecord(start: s.position, end: end, depth: record.depth + 1, parent: id, isLeft: false,
                                         impurity: s.impurityRight, constantFeatures: constants))
                stack.append(StackRecord(start: start, end: s.position, depth: record.depth + 1, parent: id, isLeft: true,
                                         impurity: s.impurityLeft, constantFeatures: constants))
            } else {
                placed += nodeSamples
                progress?(placed, n)
            }
        }
        return FittedDecisionTree(classes: classes, featureCount: featureCount, feature: feature, threshold: threshold,
                                  left: left, right: right, impurity: impurity, samples: samples,
                                  classCounts: counts, nodeDepth: depths)
    }

    /// Class counts of the node's samples (from any feature's list; feature 0's).
    private func classCounts(_ start: Int, _ end: Int) -> [Int] {
        var c = [Int](repeating: 0, count: classes)
        for p in start..<end { c[Int(y[Int(sortedIndex[p])])] += 1 }
        return c
    }

    /// Gini impurity as sklearn's `Gini.node_impurity`: 1 − Σ count² / n² (Σ count² is an exact integer).
    static func gini(_ counts: [Int], _ total: Int) -> Double {
        let w = Double(total)
        return 1.0 - Double(counts.reduce(0) { $0 + $1 * $1 }) / (w * w)
    }

    /// Stable partition of the node's segment of every feature list: samples going left first.
    private func partition(start: Int, end: Int, split: NodeSplit) {
        let n = self.n
        let base = split.feature * n
        for p in start..<end { goesLeft[Int(sortedIndex[base + p])] = p < split.position }
        goesLeft.withUnsafeBufferPointer { gl in
            sortedIndex.withUnsafeMutableBufferPointer { indexBuffer in
                sortedValue.withUnsafeMutableBufferPointer { valueBuffer in
                    let idx = indexBuffer.baseAddress!, val = valueBuffer.baseAddress!, flags = gl.baseAddress!
                    let count = end - start
                    Parallel.forEachChunk(featureCount, minimumChunk: max(1, 4096 / max(1, count))) { features in
                        var tmpIndex = [Int32](repeating: 0, count: count), tmpValue = [Float](repeating: 0, count: count)
                        for f in features where f != split.feature {
                            let b = f * n
                            var l = start, r = 0
                            for p in start..<end {
                                let i = idx[b + p]
                                if flags[Int(i)] {
                                    idx[b + l] = i; val[b + l] = val[b + p]; l += 1
                                } else {
                                    tmpIndex[r] = i; tmpValue[r] = val[b + p]; r += 1
                                }
                            }
                            for q in 0..<r { idx[b + l + q] = tmpIndex[q]; val[b + l + q] = tmpValue[q] }
                        }
                    }
                }
            }
        }
    }
}
