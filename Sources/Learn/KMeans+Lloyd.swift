import Tensor

/// One k-means run: Lloyd iterations from given centres (sklearn's `_kmeans_single_lloyd`).
///
/// Each iteration assigns every sample to its nearest centre (BLAS product in blocks of 256 rows,
/// `argmin ‖c‖² − 2 x·c`), moves each centre to the mean of its samples, and stops when no label
/// changes ("strict convergence") or the total squared centre shift is at most `tolerance`.
/// Empty clusters take the samples farthest from their centres, as sklearn relocates them.
struct LloydRun: Sendable {
    var labels: [Int]
    var centers: Matrix<Double>
    var inertia: Double
    var iterations: Int

    static let block = 256

    static func run(_ x: Matrix<Double>, squaredNorms: [Double], centers start: Matrix<Double>,
                    maxIterations: Int, tolerance: Double) -> LloydRun {
        let n = x.rows, d = x.columns, k = start.rows
        var centers = start
        var labels = [Int](repeating: -1, count: n)
        var previous = labels
        var sums = [Double](repeating: 0, count: k * d)
        var counts = [Int](repeating: 0, count: k)
        var products = [Double](repeating: 0, count: block * k)
        var strict = false
        var iterations = 0
        for iteration in 0..<maxIterations {
            iterations = iteration + 1
            assign(x, centers: centers, labels: &labels, products: &products, sums: &sums, counts: &counts)
            relocateEmptyClusters(x, centers: centers, labels: &labels, sums: &sums, counts: &counts)
            var shift = 0.0
            for c in 0..<k {
                let size = Double(counts[c])
                for j in 0..<d {
                    let updated = counts[c] > 0 ? sums[c * d + j] / size : centers.storage[c * d + j]
                    let delta = updated - centers.storage[c * d + j]
                    shift += delta * delta
                    centers.storage[c * d + j] = updated
                }
            }
            if labels == previous { strict = true; break }
            if shift <= tolerance { break }
            previous = labels
        }
        if !strict {
            // Labels must match the final centres (sklearn reruns the E-step without moving centres).
            assign(x, centers: centers, labels: &labels, products: &products, sums: &sums, counts: &counts)
        }
        var inertia = 0.0
        x.storage.withUnsafeBufferPointer { xs in
            for i in 0..<n {
                let c = labels[i]
                for j in 0..<d { let v = xs[i * d + j] - centers.storage[c * d + j]; inertia += v * v }
            }
        }
        return LloydRun(labels: labels, centers: centers, inertia: inertia, iterations: iterations)
    }

    /// Nearest-centre labels, plus per-cluster coordinate sums and sizes for the update step.
    static func assign(_ x: Matrix<Double>, centers: Matrix<Double>, labels: inout [Int],
                       products: inout [Double], sums: inout [Double], counts: inout [Int]) {
        let n = x.rows, d = x.columns, k = centers.rows
        var centerNorms = [Double](repeating: 0, count: k)
        for c in 0..<k { for j in 0..<d { centerNorms[c] += centers.storage[c * d + j] * centers.storage[c * d + j] } }
        for i in 0..<(k * d) { sums[i] = 0 }
        for c in 0..<k { counts[c] = 0 }
        x.storage.withUnsafeBufferPointer { xs in
            centers.storage.withUnsafeBufferPointer { cs in
                products.withUnsafeMutableBufferPointer { p in
                    sums.withUnsafeMutableBufferPointer { s in
                        var lo = 0
                        while lo < n {
                            let hi = min(n, lo + block)
                            Double.gemm(transA: false, transB: true, m: hi - lo, n: k, k: d, alpha: 1,
                                        a: xs.baseAddress! + lo * d, lda: d, b: cs.baseAddress!, ldb: d,
                                        beta: 0, c: p.baseAddress!, ldc: k)
                            for i in lo..<hi {
                                var best = 0, bestValue = Double.infinity
                                for c in 0..<k {
                                    let value = centerNorms[c] - 2 * p[(i - lo) * k + c]
                                    if value < bestValue { bestValue = value; best = c }
                                }
                                labels[i] = best
                                counts[best] += 1
                                for j in 0..<d { s[best * d + j] += xs[i * d + j] }
                            }
                            lo = hi
                        }
                    }
                }
            }
        }
    }

    /// Gives each empty cluster the sample farthest from its current centre (sklearn's
    /// `_relocate_empty_clusters_dense`), updating the sums and sizes.
    static func relocateEmptyClusters(_ x: Matrix<Double>, centers: Matrix<Double>, labels: inout [Int],
                                      sums: inout [Double], counts: inout [Int]) {
        let empty = counts.indices.filter { counts[$0] == 0 }
        guard !empty.isEmpty else { return }
        let n = x.rows, d = x.columns
        var distance = [Double](repeating: 0, count: n)
        for i in 0..<n {
            let c = labels[i]
            for j in 0..<d { let v = x.storage[i * d + j] - centers.storage[c * d + j]; distance[i] += v * v }
        }
        let farthest = (0..<n).sorted { distance[$0] > distance[$1] || (distance[$0] == distance[$1] && $0 < $1) }
        for (slot, cluster) in empty.enumerated() {
            let i = farthest[slot], old = labels[i]
            for j in 0..<d {
                sums[old * d + j] -= x.storage[i * d + j]
                sums[cluster * d + j] = x.storage[i * d + j]
            }
            counts[old] -= 1
            counts[cluster] = 1
            // sklearn leaves the label alone here; the next assignment step moves the sample.
        }
    }
}
