import Foundation
import Learn
import Report

/// Two models tested on the same images, compared with a paired bootstrap: both are resampled with
/// the same indices, and they differ (at the 95% level) only when the interval of their difference
/// in accuracy excludes zero.
struct PairedComparison {
    let first: ModelSummary
    let second: ModelSummary
    /// Test images both saw (by path).
    let sharedImages: Int
    /// Accuracy of `first` minus `second` on the shared images, and its bootstrap interval.
    let difference: Double
    let interval: ConfidenceInterval

    var differ: Bool { interval.excludesZero }

    /// The pair on the images both were tested on (nil when either has no per-image record or they share none).
    init?(_ first: ModelSummary, _ second: ModelSummary, seed: UInt32) {
        guard let a = first.outcomes, let b = second.outcomes, let order = first.testPaths else { return nil }
        let shared = order.filter { b[$0] != nil }
        guard !shared.isEmpty else { return nil }
        let rightA = shared.map { a[$0]! }, rightB = shared.map { b[$0]! }
        let draws = BootstrapResamples(count: shared.count, resamples: ModelUncertainty.resampleCount, seed: seed)
        self.first = first; self.second = second; sharedImages = shared.count
        let n = Double(shared.count)
        difference = Double(rightA.filter { $0 }.count) / n - Double(rightB.filter { $0 }.count) / n
        interval = PairedBootstrap.accuracyDifference(first: rightA, second: rightB, resamples: draws)
    }

    /// Every pair, in the summaries' order (first before second).
    static func all(_ summaries: [ModelSummary], seed: UInt32) -> [PairedComparison] {
        var out: [PairedComparison] = []
        for i in summaries.indices {
            for j in summaries.indices where j > i {
                if let pair = PairedComparison(summaries[i], summaries[j], seed: seed) { out.append(pair) }
            }
        }
        return out
    }

    /// "+3.2 points, 95% interval +1.9 to +4.5".
    var pointsText: String {
        func points(_ v: Double) -> String { (v >= 0 ? "+" : "−") + Fmt.fixed(abs(100 * v), 1) }
        return "\(points(difference)) points, 95% interval \(points(interval.low)) to \(points(interval.high))"
    }
}

extension ModelComparison {
    /// The pair of `a` and `b` whichever order it was computed in, as `a` minus `b`.
    func paired(_ a: String, _ b: String) -> (difference: Double, interval: ConfidenceInterval, differ: Bool, text: String)? {
        if let p = pairs.first(where: { $0.first.key == a && $0.second.key == b }) {
            return (p.difference, p.interval, p.differ, p.pointsText)
        }
        guard let p = pairs.first(where: { $0.first.key == b && $0.second.key == a }) else { return nil }
        let flipped = ConfidenceInterval(low: -p.interval.high, high: -p.interval.low, level: p.interval.level)
        func points(_ v: Double) -> String { (v >= 0 ? "+" : "−") + Fmt.fixed(abs(100 * v), 1) }
        return (-p.difference, flipped, p.differ,
                "\(points(-p.difference)) points, 95% interval \(points(flipped.low)) to \(points(flipped.high))")
    }

    var pairedTable: Table? {
        guard !pairs.isEmpty else { return nil }
        let rows = pairs.map { p in
            [p.first.displayName, p.second.displayName, Fmt.int(p.sharedImages), Fmt.fixed(p.difference, 4),
             Fmt.fixed(p.interval.low, 4), Fmt.fixed(p.interval.high, 4), p.differ ? "yes" : "no"]
        }
        return Table(caption: "Paired bootstrap: difference in test accuracy of every pair of models on the test images both saw",
                     columns: ["Model A", "Model B", "Shared images", "A − B", "95% low", "95% high", "Different?"],
                     rows: rows,
                     note: "Both models resampled with the same \(Fmt.int(ModelUncertainty.resampleCount)) sets of indices; "
                         + "\"yes\" when the 95% interval of the difference excludes zero.")
    }

    /// `comparison.paired.<a>_vs_<b>.accuracy_difference` with its interval for every pair, `a` before `b`
    /// in the study's order of models (so a key means the same pair in every run).
    var pairedHeadlines: [Headline] {
        pairs.flatMap { p -> [Headline] in
            let key = "comparison.paired.\(p.first.key)_vs_\(p.second.key).accuracy_difference"
            let label = "Test accuracy of \(p.first.displayName) minus \(p.second.displayName) on the images both saw (paired bootstrap)"
            return [Headline(key, .double(p.difference), label: label),
                    Headline(key + ".ci95_low", .double(p.interval.low), label: label + ", 95% interval: low"),
                    Headline(key + ".ci95_high", .double(p.interval.high), label: label + ", 95% interval: high")]
        }
    }

    /// Whether the paired bootstrap separates the highest accuracy from every other model (only then
    /// does the conclusion call it the best model; true when there is nothing to pair).
    var bestIsSeparated: Bool {
        guard let best else { return false }
        return summaries.filter { $0.key != best.key }.allSatisfy { paired(best.key, $0.key)?.differ ?? true }
    }

    /// Whether the documented accuracy lies inside this run's bootstrap interval, for the list of gaps.
    func documentedAgainstInterval(_ s: ModelSummary, documented: Double) -> String {
        guard let interval = intervals[s.key]?.accuracy, interval.low.isFinite, interval.high.isFinite else { return "" }
        let range = "\(Fmt.fixed(interval.low, 4))–\(Fmt.fixed(interval.high, 4))"
        return interval.contains(documented)
            ? " The documented value lies inside this run's 95% interval (\(range)), so the gap may be the test set's noise."
            : " The documented value lies outside this run's 95% interval (\(range))."
    }

    /// What the paired bootstrap says about the best model against the others, for the conclusion.
    var bestAgainstOthers: String? {
        guard let best else { return nil }
        let others = summaries.filter { $0.key != best.key }.compactMap { s in paired(best.key, s.key).map { (s, $0) } }
        guard !others.isEmpty else { return nil }
        let separated = others.filter { $0.1.differ }, tied = others.filter { !$0.1.differ }
        var text = "A paired bootstrap (both models resampled together on the test images they share) "
        if !separated.isEmpty {
            text += "separates \(best.displayName) from " + separated.map { "\($0.0.displayName) (\($0.1.text))" }.joined(separator: ", ")
        }
        if !tied.isEmpty {
            text += (separated.isEmpty ? "" : "; it ") + "cannot tell \(best.displayName) from "
                + tied.map { "\($0.0.displayName) (\($0.1.text))" }.joined(separator: ", ")
                + ": on this test set \(tied.count == 1 ? "that model is" : "those models are") as good as the best, within the test set's noise"
        }
        return text + "."
    }
}
