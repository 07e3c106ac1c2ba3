import Foundation

/// Per-class precision, recall, F1 and support with their averages, as
/// `sklearn.metrics.classification_report(y_true, y_pred, labels=range(classes), zero_division=0)`.
///
/// Port of `precision_recall_fscore_support` and `classification_report`
/// (sklearn/metrics/_classification.py): a ratio whose denominator is 0 is 0 (`zero_division=0`);
/// F1 is `2·tp / (2·tp + fn + fp)` (not the harmonic mean of the rounded ratios); the macro average
/// is the plain mean over the classes, the weighted one weights each class by its support.
///
///     let report = ClassificationReport(labels: y, predictions: yHat, classes: 8)
///     print(report.text(targetNames: names))
public struct ClassificationReport: Sendable, Equatable, Codable {
    /// One row of the report.
    public struct Scores: Sendable, Equatable, Codable {
        public var precision: Double
        public var recall: Double
        public var f1: Double
        /// Number of true samples of the class (for an average: of all classes).
        public var support: Int
    }

    /// Per class, shape (K,).
    public let perClass: [Scores]
    /// Share of correct predictions (the report's "accuracy" row, scikit-learn's micro F1).
    public let accuracy: Double
    public let macroAverage: Scores
    public let weightedAverage: Scores
    /// rows = true class, columns = predicted class.
    public let confusion: [[Int]]

    public init(labels: [Int], predictions: [Int], classes: Int) {
        let counts = confusionMatrix(labels: labels, predictions: predictions, classes: classes)
        confusion = counts
        func ratio(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : a / b }
        var rows: [Scores] = []
        var tpTotal = 0, total = 0
        for k in 0..<classes {
            let tp = counts[k][k]
            let trueSum = counts[k].reduce(0, +)
            let predSum = (0..<classes).reduce(0) { $0 + counts[$1][k] }
            // sklearn: f = (1 + β²)·tp / (β²·true_sum + pred_sum) with β = 1.
            rows.append(Scores(precision: ratio(Double(tp), Double(predSum)), recall: ratio(Double(tp), Double(trueSum)),
                               f1: ratio(2 * Double(tp), Double(trueSum) + Double(predSum)), support: trueSum))
            tpTotal += tp; total += trueSum
        }
        perClass = rows
        accuracy = ratio(Double(tpTotal), Double(total))
        func mean(_ values: [Double]) -> Double { numpyMean(values) }
        macroAverage = Scores(precision: mean(rows.map(\.precision)), recall: mean(rows.map(\.recall)),
                              f1: mean(rows.map(\.f1)), support: total)
        // np.average(a, weights=support); all-zero weights fall back to the plain mean (sklearn's _nanaverage).
        func weighted(_ values: [Double]) -> Double {
            guard total > 0 else { return mean(values) }
            return numpySum(zip(values, rows).map { $0 * Double($1.support) }) / Double(total)
        }
        weightedAverage = Scores(precision: weighted(rows.map(\.precision)), recall: weighted(rows.map(\.recall)),
                                 f1: weighted(rows.map(\.f1)), support: total)
    }

    public var classes: Int { perClass.count }
    public var macroF1: Double { macroAverage.f1 }
    public var weightedF1: Double { weightedAverage.f1 }

    /// The report as `classification_report` prints it (same column widths, rounding and blank lines).
    /// `targetNames` defaults to the class numbers.
    public func text(targetNames: [String]? = nil, digits: Int = 2) -> String {
        let names = targetNames ?? (0..<classes).map { "\($0)" }
        precondition(names.count == classes, "\(names.count) target names for \(classes) classes")
        let width = max(names.map(\.count).max() ?? 0, "weighted avg".count, digits)
        func right(_ s: String, _ w: Int) -> String { String(repeating: " ", count: max(0, w - s.count)) + s }
        func number(_ v: Double) -> String { right(String(format: "%.\(digits)f", v), 9) }
        func row(_ name: String, _ s: Scores) -> String {
            right(name, width) + " " + " " + number(s.precision) + " " + number(s.recall) + " " + number(s.f1)
                + " " + right("\(s.support)", 9) + "\n"
        }
        var out = right("", width) + " " + ["precision", "recall", "f1-score", "support"].map { " " + right($0, 9) }.joined()
        out += "\n\n"
        for (name, scores) in zip(names, perClass) { out += row(name, scores) }
        out += "\n"
        // The accuracy row leaves precision and recall blank ("{:>9.2}" of "").
        out += right("accuracy", width) + " " + " " + right("", 9) + " " + right("", 9) + " " + number(accuracy)
            + " " + right("\(macroAverage.support)", 9) + "\n"
        out += row("macro avg", macroAverage)
        out += row("weighted avg", weightedAverage)
        return out
    }
}
