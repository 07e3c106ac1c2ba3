import Tensor

/// Exact nearest neighbours by brute force, as scikit-learn's `NearestNeighbors`.
///
/// Port of the brute-force path of sklearn/neighbors/_base.py (`KNeighborsMixin.kneighbors`):
/// distances are computed for all training rows with one BLAS product per block of queries and
/// the `k` smallest are kept, sorted ascending. Ties are broken by the smaller training index
/// (scikit-learn's `argsort` leaves their order unspecified).
///
/// - Parameters:
///   - neighbors: neighbours returned per query (`n_neighbors`, default 5).
///   - metric: `.euclidean` (scikit-learn's default Minkowski p = 2) or `.cosine` (`1 − cos`).
///
/// Inputs are `Matrix<Double>` `(n_samples, n_features)`.
///
///     let nn = NearestNeighbors(neighbors: 6, metric: .cosine).fit(scaled)
///     let (indices, distances) = nn.kneighbors(scaled.rows([query]))
///     // indices[0][0] == query (distance 0): a training row is its own nearest neighbour.
public struct NearestNeighbors: Sendable {
    /// Distance between two rows.
    public enum Metric: String, Sendable, CaseIterable {
        /// `‖a − b‖₂`.
        case euclidean
        /// `1 − a·b / (‖a‖ ‖b‖)`, in [0, 2]; an all-zero row has distance 1 to everything.
        case cosine
    }

    public var neighbors: Int
    public var metric: Metric

    public init(neighbors: Int = 5, metric: Metric = .euclidean) {
        precondition(neighbors >= 1, "neighbors must be at least 1, got \(neighbors)")
        self.neighbors = neighbors
        self.metric = metric
    }

    /// Stores the training rows (normalised to unit length for the cosine metric).
    public func fit(_ x: Matrix<Double>) -> FittedNearestNeighbors {
        FittedNearestNeighbors(parameters: self, training: metric == .cosine ? Self.normalizedRows(x) : x)
    }

    /// Rows scaled to unit euclidean norm; zero rows stay zero (sklearn's `normalize`).
    static func normalizedRows(_ x: Matrix<Double>) -> Matrix<Double> {
        var out = x
        out.storage.withUnsafeMutableBufferPointer { s in
            for i in 0..<x.rows {
                var total = 0.0
                for j in 0..<x.columns { total += s[i * x.columns + j] * s[i * x.columns + j] }
                let norm = total.squareRoot()
                guard norm > 0 else { continue }
                for j in 0..<x.columns { s[i * x.columns + j] /= norm }
            }
        }
        return out
    }
}

/// A fitted `NearestNeighbors`: the training rows, ready for queries.
public struct FittedNearestNeighbors: Sendable {
    public let parameters: NearestNeighbors
    /// Training rows `(n_samples, n_features)` (unit-normalised for the cosine metric).
    let training: Matrix<Double>

    /// Number of training rows.
    public var sampleCount: Int { training.rows }

    /// The nearest training rows of each query row, nearest first.
    ///
    /// A query that is itself a training row comes back as its own first neighbour at distance 0,
    /// as with scikit-learn's `kneighbors(X)`.
    /// - Parameters:
    ///   - query: `(m, n_features)` rows.
    ///   - neighbors: overrides the fitted `neighbors` count when given.
    /// - Returns: per query row, `k` training indices and their distances, ascending.
    public func kneighbors(_ query: Matrix<Double>, neighbors: Int? = nil) -> (indices: [[Int]], distances: [[Double]]) {
        let q = parameters.metric == .cosine ? NearestNeighbors.normalizedRows(query) : query
        return run(q, k: neighbors ?? parameters.neighbors, excludeSelf: false)
    }

    /// The nearest *other* training rows of every training row: scikit-learn's `kneighbors()`
    /// called without a query, which leaves each sample out of its own neighbour list.
    public func kneighborsOfTrainingSet(neighbors: Int? = nil) -> (indices: [[Int]], distances: [[Double]]) {
        run(training, k: neighbors ?? parameters.neighbors, excludeSelf: true)
    }

    private func run(_ q: Matrix<Double>, k: Int, excludeSelf: Bool) -> (indices: [[Int]], distances: [[Double]]) {
        let kernel: BruteForceNeighbors.Kernel = parameters.metric == .cosine ? .cosine : .squaredEuclidean
        let found = BruteForceNeighbors.search(query: q, training: training, k: k, kernel: kernel, excludeSelf: excludeSelf)
        let rootTaken = parameters.metric == .euclidean
        let indices = (0..<q.rows).map { Array(found.indices[($0 * k)..<(($0 + 1) * k)]) }
        let distances = (0..<q.rows).map { i in
            found.distances[(i * k)..<((i + 1) * k)].map { rootTaken ? $0.squareRoot() : $0 }
        }
        return (indices, distances)
    }
}
