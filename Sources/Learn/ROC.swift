import Foundation

/// A binary ROC curve: false and true positive rates at each distinct decision threshold.
///
/// Port of `sklearn.metrics.roc_curve(y_true, y_score, drop_intermediate=True)` (scikit-learn ≥ 1.3,
/// sklearn/metrics/_ranking.py): scores sorted in decreasing order (stable), one point per distinct
/// score, points collinear with both neighbours dropped (a zero second difference of both the false
/// and the true positive counts), then a first point (0, 0) at threshold +inf. With no positives
/// `tpr` is all NaN; with no negatives `fpr` is all NaN (scikit-learn warns and does the same).
/// (Named apart from Plot's `ROCCurve`, the drawable curve.)
public struct BinaryROC: Sendable, Equatable, Codable {
    public let fpr: [Double]
    public let tpr: [Double]
    /// Decreasing; `thresholds[0]` is +inf.
    public let thresholds: [Double]

    /// `positives[i]` says whether sample `i` is of the positive class; `scores[i]` is its score.
    public init(positives: [Bool], scores: [Double], dropIntermediate: Bool = true) {
        precondition(positives.count == scores.count, "\(positives.count) labels for \(scores.count) scores")
        precondition(scores.allSatisfy(\.isFinite), "ROC scores must be finite")
        let n = scores.count
        // argsort(descending, stable): ties keep their input order.
        let order = (0..<n).sorted { scores[$0] > scores[$1] || (scores[$0] == scores[$1] && $0 < $1) }
        var fps: [Double] = [], tps: [Double] = [], thresholds: [Double] = []
        var tp = 0.0
        for (rank, i) in order.enumerated() {
            if positives[i] { tp += 1 }
            // The last sample of a run of equal scores closes one threshold.
            if rank == n - 1 || scores[order[rank + 1]] != scores[i] {
                tps.append(tp); fps.append(Double(rank + 1) - tp); thresholds.append(scores[i])
            }
        }
        if dropIntermediate && fps.count > 2 {
            var keep = [0]
            for j in 1..<(fps.count - 1) {
                let secondFP = fps[j + 1] - 2 * fps[j] + fps[j - 1]   // np.diff(fps, 2)
                let secondTP = tps[j + 1] - 2 * tps[j] + tps[j - 1]
                if secondFP != 0 || secondTP != 0 { keep.append(j) }
            }
            keep.append(fps.count - 1)
            fps = keep.map { fps[$0] }; tps = keep.map { tps[$0] }; thresholds = keep.map { thresholds[$0] }
        }
        fps.insert(0, at: 0); tps.insert(0, at: 0); thresholds.insert(.infinity, at: 0)
        let negatives = fps.last!, positiveCount = tps.last!
        fpr = negatives <= 0 ? fps.map { _ in .nan } : fps.map { $0 / negatives }
        tpr = positiveCount <= 0 ? tps.map { _ in .nan } : tps.map { $0 / positiveCount }
        self.thresholds = thresholds
    }

    /// Area under this curve (`sklearn.metrics.auc(fpr, tpr)`); NaN when a class is missing.
    public var auc: Double { Learn.auc(x: fpr, y: tpr) }

    /// The thresholds as the study plots them (`plot_roc_and_threshold_curves`, In [202]): the +inf
    /// first entry replaced by a linear extrapolation of the next two (or 1 when there are fewer).
    public var plottedThresholds: [Double] {
        var t = thresholds
        guard !t.isEmpty else { return t }
        t[0] = t.count > 2 ? t[1] + (t[1] - t[2]) : 1.0
        return t.map { $0.isNaN ? 0 : $0 }
    }
}

/// Area under a curve by the trapezoidal rule, `sklearn.metrics.auc(x, y)`: `x` must be monotonic
/// (increasing, or decreasing, then the sign is flipped). Needs at least two points.
public func auc(x: [Double], y: [Double]) -> Double {
    precondition(x.count == y.count && x.count >= 2, "auc needs at least 2 points of equal length, got \(x.count) and \(y.count)")
    var increasing = true, decreasing = true
    for j in 1..<x.count {
        if x[j] < x[j - 1] { increasing = false }
        if x[j] > x[j - 1] { decreasing = false }
    }
    precondition(increasing || decreasing, "x is neither increasing nor decreasing")
    let direction: Double = increasing ? 1 : -1
    // numpy.trapezoid: sum(dx * (y[1:] + y[:-1]) / 2).
    var terms = [Double](repeating: 0, count: x.count - 1)
    for j in 1..<x.count {
        let dx: Double = x[j] - x[j - 1], ySum: Double = y[j] + y[j - 1]
        terms[j - 1] = dx * ySum / 2.0
    }
    return direction * numpySum(terms)
}
