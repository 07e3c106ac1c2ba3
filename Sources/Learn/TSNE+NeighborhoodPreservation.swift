import Tensor

/// How much of each point's neighbourhood an embedding keeps: the mean, over points, of the
/// fraction of its `neighbors` nearest neighbours in `original` (euclidean, the point itself
/// excluded) that are also among its `neighbors` nearest in `embedding`. 1 is perfect.
///
/// - Parameters:
///   - original: `(n, d)` input rows.
///   - embedding: `(n, d')` embedded rows, same order.
///   - neighbors: neighbourhood size (default 10).
public func neighborhoodPreservation(original: Matrix<Double>, embedding: Matrix<Double>, neighbors: Int = 10) -> Double {
    precondition(original.rows == embedding.rows,
                 "original has \(original.rows) rows but embedding has \(embedding.rows)")
    let before = NearestNeighbors(neighbors: neighbors).fit(original).kneighborsOfTrainingSet().indices
    let after = NearestNeighbors(neighbors: neighbors).fit(embedding).kneighborsOfTrainingSet().indices
    var total = 0.0
    for (a, b) in zip(before, after) { total += Double(Set(a).intersection(b).count) / Double(neighbors) }
    return total / Double(original.rows)
}
