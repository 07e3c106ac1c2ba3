import Tensor

/// Exact k-nearest-neighbour search by brute force: BLAS computes query·trainingᵀ for a block of
/// query rows, then each row keeps its `k` smallest distances in a bounded max-heap.
///
/// This is what scikit-learn's `NearestNeighbors(algorithm="brute")` does (and what `"auto"`
/// picks for more than 15 features): euclidean as `‖q‖² − 2 q·x + ‖x‖²` clamped at 0, cosine as
/// `1 − q̂·x̂` clipped to [0, 2]. Blocks of queries run on the cores in parallel.
enum BruteForceNeighbors {
    /// How a block's dot products become distances.
    enum Kernel {
        /// Squared euclidean distance (the caller takes square roots when it wants plain distances).
        case squaredEuclidean
        /// `1 − similarity` of rows already normalised to unit length.
        case cosine
    }

    /// The `k` nearest training rows of every query row, sorted by distance (ties by index).
    ///
    /// - Parameters:
    ///   - query: `(m, d)` query rows.
    ///   - training: `(n, d)` training rows.
    ///   - k: neighbours per query, `k <= n` (or `n - 1` with `excludeSelf`).
    ///   - excludeSelf: query row `i` is training row `i` and must not be its own neighbour
    ///     (scikit-learn's `kneighbors()` without a query).
    /// - Returns: `(m, k)` indices and distances, row-major.
    static func search(query: Matrix<Double>, training: Matrix<Double>, k: Int, kernel: Kernel,
                       excludeSelf: Bool) -> (indices: [Int], distances: [Double]) {
        let m = query.rows, n = training.rows, d = query.columns
        precondition(training.columns == d, "Query has \(d) features, training data \(training.columns)")
        precondition(k >= 1 && k <= n - (excludeSelf ? 1 : 0), "k = \(k) neighbours is more than the \(n) training rows allow")
        var indices = [Int](repeating: 0, count: m * k)
        var distances = [Double](repeating: 0, count: m * k)
        let queryNorms = squaredRowNorms(query), trainingNorms = squaredRowNorms(training)
        // Blocks of 64 queries keep the (64, n) product in cache-friendly size per worker.
        let block = 64
        let blockCount = (m + block - 1) / block
        indices.withUnsafeMutableBufferPointer { outIndex in
            distances.withUnsafeMutableBufferPointer { outDistance in
                query.storage.withUnsafeBufferPointer { q in
                    training.storage.withUnsafeBufferPointer { x in
                        Parallel.forEachChunk(blockCount) { blocks in
                            var products = [Double](repeating: 0, count: block * n)
                            var heapDistance = [Double](repeating: 0, count: k)
                            var heapIndex = [Int](repeating: 0, count: k)
                            for b in blocks {
                                let lo = b * block, hi = min(m, lo + block)
                                products.withUnsafeMutableBufferPointer { p in
                                    Double.gemm(transA: false, transB: true, m: hi - lo, n: n, k: d, alpha: 1,
                                                a: q.baseAddress! + lo * d, lda: d, b: x.baseAddress!, ldb: d,
                                                beta: 0, c: p.baseAddress!, ldc: n)
                                    for i in lo..<hi {
                                        let row = UnsafeBufferPointer(rebasing: p[((i - lo) * n)..<((i - lo + 1) * n)])
                                        selectNearest(row: row, queryIndex: i, queryNorm: queryNorms[i],
                                                      trainingNorms: trainingNorms, kernel: kernel,
                                                      excludeSelf: excludeSelf, k: k,
                                                      heapDistance: &heapDistance, heapIndex: &heapIndex)
                                        for r in 0..<k {
                                            outIndex[i * k + r] = heapIndex[r]
                                            outDistance[i * k + r] = heapDistance[r]
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        return (indices, distances)
    }

    /// Fills the heap with the `k` smallest distances of one query row, then sorts it ascending.
    @inline(__always)
    private static func selectNearest(row: UnsafeBufferPointer<Double>, queryIndex: Int, queryNorm: Double,
                                      trainingNorms: [Double], kernel: Kernel, excludeSelf: Bool, k: Int,
                                      heapDistance: inout [Double], heapIndex: inout [Int]) {
        heapDistance.withUnsafeMutableBufferPointer { hd in
            heapIndex.withUnsafeMutableBufferPointer { hi in
                trainingNorms.withUnsafeBufferPointer { norms in
                    var count = 0
                    for j in 0..<row.count {
                        if excludeSelf && j == queryIndex { continue }
                        let distance: Double
                        switch kernel {
                        case .squaredEuclidean: distance = max(0, queryNorm - 2 * row[j] + norms[j])
                        case .cosine: distance = min(2, max(0, 1 - row[j]))
                        }
                        if count < k {
                            hd[count] = distance; hi[count] = j; count += 1
                            siftUp(hd, hi, count - 1)
                        } else if distance < hd[0] {
                            hd[0] = distance; hi[0] = j
                            siftDown(hd, hi, count)
                        }
                    }
                    // Heap sort in place: popping the maximum to the end leaves the heap ascending by
                    // (distance, index), without allocating per query.
                    for end in stride(from: k - 1, to: 0, by: -1) {
                        hd.swapAt(0, end); hi.swapAt(0, end)
                        siftDown(hd, hi, end)
                    }
                }
            }
        }
    }

    /// Max-heap on distance (larger index wins ties, so the smaller index is kept).
    @inline(__always)
    private static func above(_ d: UnsafeMutableBufferPointer<Double>, _ idx: UnsafeMutableBufferPointer<Int>,
                              _ a: Int, _ b: Int) -> Bool {
        d[a] > d[b] || (d[a] == d[b] && idx[a] > idx[b])
    }

    @inline(__always)
    private static func siftUp(_ d: UnsafeMutableBufferPointer<Double>, _ idx: UnsafeMutableBufferPointer<Int>, _ start: Int) {
        var c = start
        while c > 0 {
            let parent = (c - 1) / 2
            if !above(d, idx, c, parent) { break }
            d.swapAt(c, parent); idx.swapAt(c, parent); c = parent
        }
    }

    @inline(__always)
    private static func siftDown(_ d: UnsafeMutableBufferPointer<Double>, _ idx: UnsafeMutableBufferPointer<Int>, _ count: Int) {
        var p = 0
        while true {
            let l = 2 * p + 1, r = l + 1
            var top = p
            if l < count && above(d, idx, l, top) { top = l }
            if r < count && above(d, idx, r, top) { top = r }
            if top == p { break }
            d.swapAt(p, top); idx.swapAt(p, top); p = top
        }
    }

    /// `‖row‖²` of every row.
    static func squaredRowNorms(_ x: Matrix<Double>) -> [Double] {
        var norms = [Double](repeating: 0, count: x.rows)
        x.storage.withUnsafeBufferPointer { s in
            for i in 0..<x.rows {
                var total = 0.0
                for j in 0..<x.columns { let v = s[i * x.columns + j]; total += v * v }
                norms[i] = total
            }
        }
        return norms
    }
}
