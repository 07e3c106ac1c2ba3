/// Accuracy and support-weighted precision, recall and F1 from a confusion matrix, as
/// torchmetrics' `Multiclass*(average="weighted", zero_division=0)` compute them over one set of
/// predictions (a class never predicted has precision 0; one never present has weight 0).
///
/// The study averages these per batch and then over batches; here they are computed once over the
/// whole epoch (every prediction), which is the quantity the per-batch average approximates.
public struct ClassificationMetrics: Sendable, Equatable, Codable {
    /// counts[true][predicted], K x K.
    public private(set) var counts: [[Int]]

    public init(classes: Int) { counts = Array(repeating: Array(repeating: 0, count: classes), count: classes) }

    public var classes: Int { counts.count }
    public var total: Int { counts.reduce(0) { $0 + $1.reduce(0, +) } }

    public mutating func add(labels: [Int], predictions: [Int]) {
        for (y, p) in zip(labels, predictions) { counts[y][p] += 1 }
    }

    public var accuracy: Double {
        let t = total
        return t == 0 ? 0 : Double((0..<classes).reduce(0) { $0 + counts[$1][$1] }) / Double(t)
    }

    private func weighted(_ score: (Int) -> Double) -> Double {
        let t = total
        guard t > 0 else { return 0 }
        return (0..<classes).reduce(0.0) { sum, k in sum + Double(counts[k].reduce(0, +)) * score(k) } / Double(t)
    }

    public func precision(of k: Int) -> Double {
        let predicted = (0..<classes).reduce(0) { $0 + counts[$1][k] }
        return predicted == 0 ? 0 : Double(counts[k][k]) / Double(predicted)
    }

    public func recall(of k: Int) -> Double {
        let actual = counts[k].reduce(0, +)
        return actual == 0 ? 0 : Double(counts[k][k]) / Double(actual)
    }

    public func f1(of k: Int) -> Double {
        let p = precision(of: k), r = recall(of: k)
        return p + r == 0 ? 0 : 2 * p * r / (p + r)
    }

    /// Support-weighted means over the classes.
    public var weightedPrecision: Double { weighted(precision(of:)) }
    public var weightedRecall: Double { weighted(recall(of:)) }
    public var weightedF1: Double { weighted(f1(of:)) }
}
