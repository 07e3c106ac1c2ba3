import Foundation
import Learn
import Report

/// A model's test-set evaluation, the part every model page shares: accuracy, scikit-learn's
/// classification report, the confusion matrix and the one-vs-rest ROC analysis (per class, micro
/// and macro average), computed from the labels, predictions and class probabilities.
///
/// `cells()` gives the page's evaluation cells, `headlines(...)` the `models.<key>.*` numbers,
/// `predictionsFile` the CSV a reader can recompute every metric from, and `summary(...)` the
/// comparison row.
///
///     let evaluation = ModelEvaluation(key: "cnn", displayName: "CNN", classNames: split.classes,
///                                      paths: split.test.map(\.path), labels: labels,
///                                      predictions: predictions, probabilities: probabilities)
///     cells += evaluation.cells()
public struct ModelEvaluation: Sendable {
    /// The results.json model key (`cnn`) and the name pages show (`CNN`).
    public let key: String
    public let displayName: String
    public let classNames: [String]
    /// Image paths relative to the dataset folder, (N,).
    public let paths: [String]
    /// True and predicted classes, (N,).
    public let labels: [Int]
    public let predictions: [Int]
    /// Class probabilities, (N, K) row-major.
    public let probabilities: [Double]
    public let report: ClassificationReport
    public let roc: OneVsRestROC

    public init(key: String, displayName: String, classNames: [String], paths: [String], labels: [Int],
                predictions: [Int], probabilities: [Double]) {
        let k = classNames.count, n = labels.count
        precondition(paths.count == n && predictions.count == n && probabilities.count == n * k,
                     "evaluation of \(key): \(n) labels, \(paths.count) paths, \(predictions.count) predictions, \(probabilities.count) probabilities for \(k) classes")
        self.key = key; self.displayName = displayName; self.classNames = classNames; self.paths = paths
        self.labels = labels; self.predictions = predictions; self.probabilities = probabilities
        report = ClassificationReport(labels: labels, predictions: predictions, classes: k)
        roc = OneVsRestROC(labels: labels, probabilities: probabilities, classes: k)
    }

    /// The same from Float32 probabilities (a network's softmax), (N, K) row-major.
    public init(key: String, displayName: String, classNames: [String], paths: [String], labels: [Int],
                predictions: [Int], probabilities: [Float]) {
        self.init(key: key, displayName: displayName, classNames: classNames, paths: paths, labels: labels,
                  predictions: predictions, probabilities: probabilities.map(Double.init))
    }

    public var testAccuracy: Double { report.accuracy }
    public var macroF1: Double { report.macroF1 }
    public var weightedF1: Double { report.weightedF1 }
    /// NaN when the test part holds a single class.
    public var microAUC: Double { roc.microAUC }

    /// `models.<key>.test_accuracy`, `.macro_f1`, `.weighted_f1`, `.micro_auc` (null when not finite),
    /// plus `.train_seconds` and `.pretrained` when given.
    public func headlines(trainingSeconds: Double? = nil, pretrained: Bool? = nil) -> [Headline] {
        var lines = [
            Headline("models.\(key).test_accuracy", .double(testAccuracy)),
            Headline("models.\(key).macro_f1", .double(macroF1)),
            Headline("models.\(key).weighted_f1", .double(weightedF1)),
            Headline("models.\(key).micro_auc", microAUC.isFinite ? .double(microAUC) : .null),
        ]
        if let trainingSeconds { lines.append(Headline("models.\(key).train_seconds", .double(trainingSeconds))) }
        if let pretrained { lines.append(Headline("models.\(key).pretrained", .bool(pretrained))) }
        return lines
    }

    /// The comparison row for this model (write it as the step's `summary` artifact).
    public func summary(parameterCount: Int?, trainingSeconds: Double, imageSize: Int?, weights: String,
                        note: String = "") -> ModelSummary {
        var summary = ModelSummary(key: key, displayName: displayName, testAccuracy: testAccuracy, macroF1: macroF1,
                                   weightedF1: weightedF1, microAUC: microAUC, parameterCount: parameterCount,
                                   trainingSeconds: trainingSeconds, imageSize: imageSize, weights: weights, note: note)
        summary.testPaths = paths; summary.testLabels = labels; summary.testPredictions = predictions
        summary.classCount = classNames.count
        return summary
    }
}
