import Foundation
import Tensor

/// The symmetric joint probabilities `P` of t-SNE over each point's nearest neighbours, stored as
/// compressed sparse rows (scipy's CSR): row `i` holds `values[rowStart[i]..<rowStart[i+1]]` at
/// columns `columns[...]`, columns ascending.
struct SparseAffinities: Sendable {
    var rowStart: [Int]
    var columns: [Int]
    var values: [Double]

    var rows: Int { rowStart.count - 1 }

    /// Port of `_joint_probabilities_nn` (sklearn/manifold/_t_sne.py) and `_binary_search_perplexity`
    /// (sklearn/manifold/_utils.pyx): conditional probabilities `p(j|i) ∝ exp(−β_i d²_ij)` over the
    /// `k` neighbours with `β_i` bisected until the entropy matches `log(perplexity)` within 1e-5
    /// (at most 100 steps), then `P = (P + Pᵀ) / Σ(P + Pᵀ)`, which is `(P + Pᵀ) / 2N`.
    ///
    /// - Parameters:
    ///   - neighbors: `(n, k)` neighbour indices, row-major, nearest first.
    ///   - squaredDistances: `(n, k)` squared euclidean distances to them.
    static func joint(neighbors: [Int], squaredDistances: [Double], n: Int, k: Int, perplexity: Double) -> SparseAffinities {
        var conditional = [Double](repeating: 0, count: n * k)
        conditional.withUnsafeMutableBufferPointer { p in
            squaredDistances.withUnsafeBufferPointer { dist in
                Parallel.forEachChunk(n, minimumChunk: 256) { range in
                    for i in range {
                        bisect(distances: UnsafeBufferPointer(rebasing: dist[(i * k)..<((i + 1) * k)]),
                               into: UnsafeMutableBufferPointer(rebasing: p[(i * k)..<((i + 1) * k)]),
                               perplexity: perplexity)
                    }
                }
            }
        }
        return symmetrized(conditional: conditional, neighbors: neighbors, n: n, k: k)
    }

    /// Bisection on the precision β of one row (sklearn works on float32 distances in float64).
    private static func bisect(distances: UnsafeBufferPointer<Double>, into p: UnsafeMutableBufferPointer<Double>,
                               perplexity: Double) {
        let desiredEntropy = log(perplexity), tolerance = 1e-5
        var beta = 1.0, betaMin = -Double.infinity, betaMax = Double.infinity
        for _ in 0..<100 {
            var sumP = 0.0
            for j in 0..<p.count {
                // sklearn casts the distances to float32 first; do the same so P matches.
                p[j] = exp(-Double(Float(distances[j])) * beta)
                sumP += p[j]
            }
            if sumP == 0 { sumP = 1e-8 }
            var sumDistP = 0.0
            for j in 0..<p.count {
                p[j] /= sumP
                sumDistP += Double(Float(distances[j])) * p[j]
            }
            let entropy = log(sumP) + beta * sumDistP
            let difference = entropy - desiredEntropy
            if abs(difference) <= tolerance { break }
            if difference > 0 {
                betaMin = beta
                beta = betaMax == .infinity ? beta * 2 : (beta + betaMax) / 2
            } else {
                betaMax = beta
                beta = betaMin == -.infinity ? beta / 2 : (beta + betaMin) / 2
            }
        }
    }

    /// `(P + Pᵀ) / sum`, with each row's columns sorted and duplicates summed (scipy's canonical CSR).
    private static func symmetrized(conditional: [Double], neighbors: [Int], n: Int, k: Int) -> SparseAffinities {
        // Transpose by counting sort on the target index: incoming entries of row j come out
        // ordered by their source i, i.e. by column.
        var incomingStart = [Int](repeating: 0, count: n + 1)
        for j in neighbors { incomingStart[j + 1] += 1 }
        for j in 0..<n { incomingStart[j + 1] += incomingStart[j] }
        var fill = incomingStart
        var incomingColumn = [Int](repeating: 0, count: n * k)
        var incomingValue = [Double](repeating: 0, count: n * k)
        for i in 0..<n {
            for r in 0..<k {
                let j = neighbors[i * k + r]
                incomingColumn[fill[j]] = i
                incomingValue[fill[j]] = conditional[i * k + r]
                fill[j] += 1
            }
        }
        // Merge each row's own (sorted by column) and incoming lists.
        var rowStart = [Int](repeating: 0, count: n + 1)
        var columns: [Int] = [], values: [Double] = []
        columns.reserveCapacity(2 * n * k); values.reserveCapacity(2 * n * k)
        var own: [(Int, Double)] = []
        own.reserveCapacity(k)
        for i in 0..<n {
            own.removeAll(keepingCapacity: true)
            for r in 0..<k { own.append((neighbors[i * k + r], conditional[i * k + r])) }
            own.sort { $0.0 < $1.0 }
            var a = 0, b = incomingStart[i]
            let bEnd = incomingStart[i + 1]
            while a < own.count || b < bEnd {
                if b == bEnd || (a < own.count && own[a].0 < incomingColumn[b]) {
                    columns.append(own[a].0); values.append(own[a].1); a += 1
                } else if a == own.count || incomingColumn[b] < own[a].0 {
                    columns.append(incomingColumn[b]); values.append(incomingValue[b]); b += 1
                } else {
                    columns.append(own[a].0); values.append(own[a].1 + incomingValue[b]); a += 1; b += 1
                }
            }
            rowStart[i + 1] = columns.count
        }
        let total = max(pairwiseSum(values), Double.ulpOfOne)
        for e in values.indices { values[e] /= total }
        return SparseAffinities(rowStart: rowStart, columns: columns, values: values)
    }
}
