import Learn
import Tensor

/// Nearest neighbours by cosine distance among standardised rows, computed straight from the
/// unscaled Float32 matrix: `NearestNeighbors(metric='cosine').fit(StandardScaler().fit_transform(X))`
/// without the scaled copy (for HOG, 17,092 x 44,100 doubles would be 6 GB).
enum ScaledCosineNeighbours {
    /// For each query row, the `count` rows of smallest cosine distance `1 - a·b / (|a| |b|)`
    /// between scaled rows, nearest first, ties by lower index; the query itself is included
    /// (distance 0), as `kneighbors` on a training row returns it.
    static func search(_ x: Matrix<Float>, scaler: FittedStandardScaler, queries: [Int], count: Int)
        -> [(indices: [Int], distances: [Double])] {
        let d = x.columns, n = x.rows
        let mean = scaler.mean ?? [Double](repeating: 0, count: d)
        let inverse = (scaler.scale ?? [Double](repeating: 1, count: d)).map { 1 / $0 }
        return queries.map { q in
            var query = [Double](repeating: 0, count: d)
            for j in 0..<d { query[j] = (Double(x.storage[q * d + j]) - mean[j]) * inverse[j] }
            let queryNorm = query.reduce(0) { $0 + $1 * $1 }.squareRoot()
            var distances = [Double](repeating: 1, count: n)
            x.storage.withUnsafeBufferPointer { rows in
                distances.withUnsafeMutableBufferPointer { out in
                    Parallel.forEachChunk(n) { range in
                        for i in range {
                            var dot = 0.0, norm = 0.0
                            let base = i * d
                            for j in 0..<d {
                                let z = (Double(rows[base + j]) - mean[j]) * inverse[j]
                                dot += z * query[j]; norm += z * z
                            }
                            // sklearn: an all-zero row has distance 1 to everything.
                            out[i] = norm > 0 && queryNorm > 0 ? 1 - dot / (norm.squareRoot() * queryNorm) : 1
                        }
                    }
                }
            }
            let order = (0..<n).sorted { (distances[$0], $0) < (distances[$1], $1) }.prefix(count)
            return (Array(order), order.map { max(0, distances[$0]) })
        }
    }
}
