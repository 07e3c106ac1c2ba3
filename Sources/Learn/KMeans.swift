import Tensor

/// K-means clustering with k-means++ seeding and Lloyd iterations, as scikit-learn's `KMeans`.
///
/// Port of sklearn/cluster/_kmeans.py (`KMeans.fit`, `_kmeans_single_lloyd`, `_kmeans_plusplus`):
/// the data are centred, each of `initCount` runs seeds centres with greedy k-means++ then runs
/// Lloyd iterations until the labels stop changing or the squared centre shift falls below
/// `tolerance × mean feature variance`; the run with the lowest inertia is kept. Distances use a
/// BLAS product (`‖c‖² − 2 x·c`). Runs execute on the cores in parallel, each with its own seeded
/// generator drawn from the caller's, so results depend only on the seed (not on NumPy's stream).
///
/// - Parameters:
///   - clusters: number of clusters `k` (`n_clusters`, default 8).
///   - initCount: independent seedings (`n_init`, default 10).
///   - maxIterations: Lloyd iterations per run (`max_iter`, default 300).
///   - tolerance: relative convergence tolerance (`tol`, default 1e-4).
///
///     var rng = SeededGenerator(seed: 42)
///     let fit = KMeans(clusters: 8).fit(features, using: &rng)
///     print(fit.inertia, fit.labels.prefix(10))
public struct KMeans: Sendable {
    public var clusters: Int
    public var initCount: Int
    public var maxIterations: Int
    public var tolerance: Double

    public init(clusters: Int = 8, initCount: Int = 10, maxIterations: Int = 300, tolerance: Double = 1e-4) {
        precondition(clusters >= 1, "clusters must be at least 1, got \(clusters)")
        precondition(initCount >= 1, "initCount must be at least 1, got \(initCount)")
        precondition(maxIterations >= 1, "maxIterations must be at least 1, got \(maxIterations)")
        self.clusters = clusters
        self.initCount = initCount
        self.maxIterations = maxIterations
        self.tolerance = tolerance
    }

    /// Clusters the rows of `x` `(n_samples, n_features)`; needs at least `clusters` rows.
    public func fit(_ x: Matrix<Double>, using generator: inout some RandomNumberGenerator) -> KMeansResult {
        let n = x.rows, d = x.columns
        precondition(n >= clusters, "KMeans needs at least \(clusters) samples, got \(n)")
        // Centre the data (sklearn does too): distances are unchanged and the BLAS form
        // ‖x‖² − 2x·c + ‖c‖² loses less precision.
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += x.storage[i * d + j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        var centred = x
        var variance = [Double](repeating: 0, count: d)
        for i in 0..<n {
            for j in 0..<d {
                let v = x.storage[i * d + j] - mean[j]
                centred.storage[i * d + j] = v
                variance[j] += v * v
            }
        }
        let absoluteTolerance = variance.reduce(0, +) / Double(n * d) * tolerance
        let norms = BruteForceNeighbors.squaredRowNorms(centred)
        let seeds = (0..<initCount).map { _ in generator.next() as UInt64 }
        let runs = Parallel.map(initCount) { r -> LloydRun in
            var rng = SeededGenerator(seed: seeds[r])
            let start = KMeansPlusPlus.centers(centred, squaredNorms: norms, count: clusters, using: &rng)
            return LloydRun.run(centred, squaredNorms: norms, centers: start, maxIterations: maxIterations,
                                tolerance: absoluteTolerance)
        }
        // Keep the first run with the lowest inertia; like sklearn, a later run only replaces it when
        // it is a genuinely different partition.
        var best = runs[0]
        for run in runs.dropFirst() where run.inertia < best.inertia
            && !Self.sameClustering(run.labels, best.labels, clusters: clusters) {
            best = run
        }
        var centers = best.centers
        for c in 0..<clusters { for j in 0..<d { centers.storage[c * d + j] += mean[j] } }
        return KMeansResult(labels: best.labels, centers: centers, inertia: best.inertia, iterations: best.iterations)
    }

    /// Whether two labellings are the same partition up to renaming (sklearn's `_is_same_clustering`).
    static func sameClustering(_ a: [Int], _ b: [Int], clusters: Int) -> Bool {
        var mapping = [Int](repeating: -1, count: clusters)
        for (x, y) in zip(a, b) {
            if mapping[x] == -1 { mapping[x] = y } else if mapping[x] != y { return false }
        }
        return true
    }
}

/// A fitted k-means clustering.
public struct KMeansResult: Sendable {
    /// Cluster of each sample `(n_samples,)`, in `0..<k`.
    public let labels: [Int]
    /// Cluster centres `(k, n_features)` in the input's coordinates.
    public let centers: Matrix<Double>
    /// Sum of squared distances of samples to their centre (best of the runs).
    public let inertia: Double
    /// Lloyd iterations of the kept run (`n_iter_`).
    public let iterations: Int
}
