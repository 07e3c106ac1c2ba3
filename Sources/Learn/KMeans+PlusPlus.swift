import Foundation
import Tensor

/// Greedy k-means++ seeding (Arthur & Vassilvitskii 2007, greedy variant of scikit-learn).
///
/// Port of `_kmeans_plusplus` in sklearn/cluster/_kmeans.py: the first centre is a uniform draw;
/// each further centre is the best of `2 + ⌊log k⌋` candidates drawn with probability proportional to
/// the squared distance to the closest centre so far, "best" meaning the lowest resulting potential.
enum KMeansPlusPlus {
    /// `count` initial centres `(count, n_features)` chosen among the rows of `x`.
    static func centers(_ x: Matrix<Double>, squaredNorms: [Double], count: Int,
                        using generator: inout some RandomNumberGenerator) -> Matrix<Double> {
        let n = x.rows, d = x.columns
        let trials = 2 + Int(log(Double(count)))
        var centers = Matrix<Double>(rows: count, columns: d)
        let first = Int.random(in: 0..<n, using: &generator)
        copyRow(x, first, into: &centers, count: 0)
        var closest = squaredDistances(x, squaredNorms: squaredNorms, to: [first])
        var potential = closest.reduce(0, +)
        var cumulative = [Double](repeating: 0, count: n)
        for c in 1..<max(1, count) {
            // Cumulative potential, then inverse-CDF draws (np.searchsorted, side "left").
            var running = 0.0
            for i in 0..<n { running += closest[i]; cumulative[i] = running }
            let candidates = (0..<trials).map { _ -> Int in
                let target = Double.random(in: 0..<1, using: &generator) * potential
                var lo = 0, hi = n
                while lo < hi { let mid = (lo + hi) / 2; if cumulative[mid] < target { lo = mid + 1 } else { hi = mid } }
                return min(lo, n - 1)
            }
            let distances = squaredDistances(x, squaredNorms: squaredNorms, to: candidates)
            var bestTrial = 0, bestPotential = Double.infinity
            for t in 0..<trials {
                var total = 0.0
                for i in 0..<n { total += min(closest[i], distances[t * n + i]) }
                if total < bestPotential { bestPotential = total; bestTrial = t }
            }
            for i in 0..<n { closest[i] = min(closest[i], distances[bestTrial * n + i]) }
            potential = bestPotential
            copyRow(x, candidates[bestTrial], into: &centers, count: c)
        }
        return centers
    }

    private static func copyRow(_ x: Matrix<Double>, _ i: Int, into centers: inout Matrix<Double>, count c: Int) {
        for j in 0..<x.columns { centers.storage[c * x.columns + j] = x.storage[i * x.columns + j] }
    }

    /// Squared distances `(rows.count, n)` from the chosen rows to every row, via one BLAS product.
    private static func squaredDistances(_ x: Matrix<Double>, squaredNorms: [Double], to rows: [Int]) -> [Double] {
        let n = x.rows, d = x.columns, m = rows.count
        let chosen = x.rows(rows)
        var out = [Double](repeating: 0, count: m * n)
        chosen.storage.withUnsafeBufferPointer { a in
            x.storage.withUnsafeBufferPointer { b in
                out.withUnsafeMutableBufferPointer { c in
                    Double.gemm(transA: false, transB: true, m: m, n: n, k: d, alpha: -2, a: a.baseAddress!, lda: d,
                                b: b.baseAddress!, ldb: d, beta: 0, c: c.baseAddress!, ldc: n)
                    for t in 0..<m {
                        let own = squaredNorms[rows[t]]
                        for i in 0..<n { c[t * n + i] = max(0, c[t * n + i] + own + squaredNorms[i]) }
                    }
                }
            }
        }
        return out
    }
}
