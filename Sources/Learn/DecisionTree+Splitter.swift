import Foundation
import Tensor

/// The best split of a node: samples at sorted positions `start..<position` of `feature` go left.
struct NodeSplit {
    var feature: Int
    var position: Int
    var threshold: Double
    var impurityLeft: Double
    var impurityRight: Double
    var improvement: Double
}

/// The order in which scikit-learn's `BestSplitter` visits the features of each node, with its
/// bookkeeping of constant features. The `features` permutation and the xorshift state carry over
/// from node to node, so nodes must be split in the builder's order (depth first, left first).
///
/// Port of `node_split_best` (sklearn/tree/_splitter.pyx, the Fisher–Yates draw over the features
/// not yet visited, skipping the constants known from the parent and recording newly found ones)
/// and of `rand_int` / `our_rand_r` (sklearn/tree/_utils.pyx, sklearn/utils/_random.pxd).
struct BestSplitterOrder {
    var features: [Int]
    var constantFeatures: [Int]
    var state: UInt32

    init(featureCount: Int, seed: UInt32) {
        features = Array(0..<featureCount)
        constantFeatures = [Int](repeating: 0, count: featureCount)
        state = seed
    }

    /// xorshift32 reduced to [0, 2³¹), then `low + r % (high − low)`.
    mutating func randInt(_ low: Int, _ high: Int) -> Int {
        if state == 0 { state = 2_147_483_647 }   // DEFAULT_SEED: the state must never be 0
        state ^= state << 13
        state ^= state >> 17
        state ^= state << 5
        let r = state % (UInt32(0x7FFF_FFFF) + 1)
        return low + Int(r % UInt32(high - low))
    }

    /// The non-constant features of a node in visiting order. `knownConstants` (from the parent)
    /// becomes the node's total; `isConstant(f)` says whether f takes a single value in the node.
    mutating func visitOrder(knownConstants: inout Int, isConstant: (Int) -> Bool) -> [Int] {
        let nKnown = knownConstants
        var fi = features.count
        var visited = 0, found = 0, drawn = 0, total = nKnown
        var order: [Int] = []
        // max_features = n_features: every feature that is not constant is visited.
        while fi > total && (visited < features.count || visited <= found + drawn) {
            visited += 1
            var fj = randInt(drawn, fi - found)
            if fj < nKnown {
                // A constant of the parent: move it to the drawn constants' block.
                features.swapAt(drawn, fj)
                drawn += 1
                continue
            }
            fj += found
            let f = features[fj]
            if isConstant(f) {
                features.swapAt(fj, total)
                found += 1; total += 1
                continue
            }
            fi -= 1
            features.swapAt(fi, fj)
            order.append(f)
        }
        // Constants known before this node first, then the ones found here (for the children).
        for i in 0..<nKnown { features[i] = constantFeatures[i] }
        for i in nKnown..<(nKnown + found) { constantFeatures[i] = features[i] }
        knownConstants = total
        return order
    }
}

/// sklearn's `FEATURE_THRESHOLD` (a float32 constant): values closer than this are not split apart.
let featureThreshold: Float = 1e-7

extension TreeBuilder {
    /// Port of `node_split_best` with the Gini criterion: the split maximising sklearn's proxy
    /// `−n_right·gini_right − n_left·gini_left`, the first in visiting order (then in value order)
    /// on a tie. Nil when no split keeps `min_samples_leaf` on both sides.
    func bestSplit(start: Int, end: Int, counts: [Int], impurity: Double, constants: inout Int) -> NodeSplit? {
        let n = self.n
        let order = sortedValue.withUnsafeBufferPointer { values in
            splitter.visitOrder(knownConstants: &constants) { f in
                values[f * n + end - 1] <= values[f * n + start] + featureThreshold
            }
        }
        guard !order.isEmpty else { return nil }
        let minLeaf = tree.minSamplesLeaf
        let candidates: [(proxy: Double, position: Int)?] = sortedValue.withUnsafeBufferPointer { values in
            sortedIndex.withUnsafeBufferPointer { indices in
                y.withUnsafeBufferPointer { labels in
                    Parallel.map(order.count, minimumChunk: max(1, 8192 / max(1, end - start))) { k in
                        Self.scan(feature: order[k], start: start, end: end, n: n, counts: counts, minLeaf: minLeaf,
                                  values: values, indices: indices, labels: labels)
                    }
                }
            }
        }
        var best: (feature: Int, proxy: Double, position: Int)?
        for (k, candidate) in candidates.enumerated() {
            guard let c = candidate else { continue }
            if best == nil || c.proxy > best!.proxy { best = (order[k], c.proxy, c.position) }
        }
        guard let best else { return nil }
        let b = best.feature * n
        // feature_values[p_prev] / 2.0 + feature_values[p] / 2.0, in float64.
        let threshold = Double(sortedValue[b + best.position - 1]) / 2.0 + Double(sortedValue[b + best.position]) / 2.0
        var leftCounts = [Int](repeating: 0, count: classes)
        for p in start..<best.position { leftCounts[Int(y[Int(sortedIndex[b + p])])] += 1 }
        let rightCounts = zip(counts, leftCounts).map { $0 - $1 }
        let nl = best.position - start, nr = end - best.position
        let il = Self.gini(leftCounts, nl), ir = Self.gini(rightCounts, nr)
        let wn = Double(end - start), wl = Double(nl), wr = Double(nr)
        // Criterion.impurity_improvement.
        let improvement = (wn / Double(self.n)) * (impurity - (wr / wn * ir) - (wl / wn * il))
        return NodeSplit(feature: best.feature, position: best.position, threshold: threshold,
                         impurityLeft: il, impurityRight: ir, improvement: improvement)
    }

    /// One feature's best split position in the node: walks the sorted segment once, keeping the
    /// left class counts and Σ count² on each side as exact integers (sklearn sums the same squares
    /// in float64, exactly, as they are integers below 2⁵³).
    static func scan(feature: Int, start: Int, end: Int, n: Int, counts: [Int], minLeaf: Int,
                     values: UnsafeBufferPointer<Float>, indices: UnsafeBufferPointer<Int32>,
                     labels: UnsafeBufferPointer<Int32>) -> (proxy: Double, position: Int)? {
        let b = feature * n
        let k = counts.count
        var bestProxy = -Double.infinity, bestPosition = -1
        counts.withUnsafeBufferPointer { total in
            withUnsafeTemporaryAllocation(of: Int.self, capacity: k) { left in
                left.initialize(repeating: 0)
                var squaresLeft = 0, squaresRight = 0
                for c in 0..<k { squaresRight += total[c] * total[c] }
                var previous = values[b + start]
                for p in start..<end {
                    let value = values[b + p]
                    if p > start && value > previous + featureThreshold {
                        let nl = p - start, nr = end - p
                        if nl >= minLeaf && nr >= minLeaf {
                            let wl = Double(nl), wr = Double(nr)
                            let giniLeft = 1.0 - Double(squaresLeft) / (wl * wl)
                            let giniRight = 1.0 - Double(squaresRight) / (wr * wr)
                            let proxy = -wr * giniRight - wl * giniLeft
                            if proxy > bestProxy { bestProxy = proxy; bestPosition = p }
                        }
                    }
                    previous = value
                    let c = Int(labels[Int(indices[b + p])])
                    // Moving one sample of class c left: (l+1)² − l² = 2l + 1 and r² − (r−1)² = 2r − 1.
                    squaresLeft += 2 * left[c] + 1
                    squaresRight -= 2 * (total[c] - left[c]) - 1
                    left[c] += 1
                }
            }
        }
        return bestPosition >= 0 ? (bestProxy, bestPosition) : nil
    }
}
