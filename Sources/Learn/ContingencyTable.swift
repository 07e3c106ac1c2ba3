/// Counts of samples per (true class, predicted cluster) pair, as scikit-learn's
/// `sklearn.metrics.cluster.contingency_matrix`.
///
/// Rows are the distinct true labels in ascending order, columns the distinct predicted labels in
/// ascending order; `counts[r][c]` is how many samples have truth `classes[r]` and prediction
/// `clusters[c]`. The adjusted Rand index and mutual information are both computed from it.
///
///     let table = ContingencyTable(truth: [0, 0, 1], predicted: [5, 5, 7])
///     // table.classes == [0, 1], table.clusters == [5, 7], table.counts == [[2, 0], [0, 1]]
public struct ContingencyTable: Sendable, Equatable {
    /// Distinct true labels, ascending `(n_classes,)`.
    public let classes: [Int]
    /// Distinct predicted labels, ascending `(n_clusters,)`.
    public let clusters: [Int]
    /// Counts `(n_classes, n_clusters)`.
    public let counts: [[Int]]

    public init(truth: [Int], predicted: [Int]) {
        precondition(truth.count == predicted.count,
                     "truth has \(truth.count) labels but predicted has \(predicted.count)")
        classes = Array(Set(truth)).sorted()
        clusters = Array(Set(predicted)).sorted()
        let row = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        let column = Dictionary(uniqueKeysWithValues: clusters.enumerated().map { ($1, $0) })
        var table = [[Int]](repeating: [Int](repeating: 0, count: clusters.count), count: classes.count)
        for (t, p) in zip(truth, predicted) { table[row[t]!][column[p]!] += 1 }
        counts = table
    }

    /// Number of samples.
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }
    /// Samples per true class `(n_classes,)`.
    public var classTotals: [Int] { counts.map { $0.reduce(0, +) } }
    /// Samples per predicted cluster `(n_clusters,)`.
    public var clusterTotals: [Int] {
        (0..<clusters.count).map { c in counts.reduce(0) { $0 + $1[c] } }
    }
}
