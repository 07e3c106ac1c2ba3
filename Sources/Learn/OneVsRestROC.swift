import Foundation

/// One-vs-rest ROC analysis of a K-class classifier from its class probabilities, as the study's
/// `plot_roc_and_threshold_curves` (In [202]) and `sklearn.metrics.roc_auc_score` compute it.
///
/// - `perClass[k]`: `roc_curve(y == k, p[:, k])`; nil for a class with no positive sample (the study
///   skips it and prints a warning), and its AUC NaN.
/// - `micro`: `roc_curve(label_binarize(y).ravel(), p.ravel())`, every (sample, class) pair pooled.
/// - `macroAUC`: `roc_auc_score(y, p, multi_class="ovr", average="macro", labels=range(K))`, the mean
///   of the per-class AUCs; NaN when a class has no positives (scikit-learn 1.9 returns NaN there too).
/// (Named apart from Plot's `ROCCurve`.)
public struct OneVsRestROC: Sendable, Equatable, Codable {
    public let perClass: [BinaryROC?]
    /// Per class, NaN where the class has no positives.
    public let classAUC: [Double]
    public let micro: BinaryROC
    public let microAUC: Double
    public let macroAUC: Double

    /// `labels` (N,) in `0..<K`; `probabilities` (N, K) row-major.
    public init(labels: [Int], probabilities: [Double], classes: Int) {
        let n = labels.count
        precondition(probabilities.count == n * classes, "probabilities must be (\(n), \(classes))")
        var curves: [BinaryROC?] = []
        for k in 0..<classes {
            let positives = labels.map { $0 == k }
            if positives.contains(true) {
                curves.append(BinaryROC(positives: positives, scores: (0..<n).map { probabilities[$0 * classes + k] }))
            } else {
                curves.append(nil)
            }
        }
        perClass = curves
        classAUC = curves.map { $0.map(\.auc) ?? .nan }
        var pooled = [Bool](repeating: false, count: n * classes)
        for (i, y) in labels.enumerated() { pooled[i * classes + y] = true }
        micro = BinaryROC(positives: pooled, scores: probabilities)
        microAUC = micro.auc
        macroAUC = numpyMean(classAUC)
    }
}

/// `sklearn.metrics.roc_auc_score(labels, probabilities, multi_class="ovr", labels=range(K))` with the
/// default macro average: the mean one-vs-rest AUC (NaN when a class has no positives).
public func rocAUCScoreOneVsRest(labels: [Int], probabilities: [Double], classes: Int) -> Double {
    OneVsRestROC(labels: labels, probabilities: probabilities, classes: classes).macroAUC
}
