import Foundation
import Testing
import _TestSupport
@testable import Study

/// The comparison calls two models different only when the paired bootstrap says so.
@Suite struct PairedComparisonTests {
    /// A model right on the first `right` of 200 shared test images (two classes).
    func summary(_ key: String, _ name: String, right: Int) -> ModelSummary {
        let n = 200
        var s = ModelSummary(key: key, displayName: name, testAccuracy: Double(right) / Double(n), macroF1: 0.5, weightedF1: 0.5,
                             microAUC: nil, parameterCount: nil, trainingSeconds: 1, imageSize: nil, weights: "random initialisation")
        s.testPaths = (0..<n).map { "c/\($0).jpg" }
        s.testLabels = (0..<n).map { $0 % 2 }
        s.testPredictions = (0..<n).map { $0 < right ? $0 % 2 : 1 - $0 % 2 }
        s.classCount = 2
        return s
    }

    @Test func closeModelsAreNotCalledDifferent() throws {
        // Logistic regression right on 180, the tree on 178 (the same 178 plus two): no clear difference;
        // the CNN right on 100: clearly worse.
        let summaries = [summary("logistic_regression", "Logistic regression", right: 180),
                         summary("decision_tree", "Decision tree", right: 178), summary("cnn", "CNN", right: 100)]
        let comparison = ModelComparison(summaries: summaries, config: try StudyFixtures.smokeConfig(), seed: 42)
        let close = try #require(comparison.paired("logistic_regression", "decision_tree"))
        let far = try #require(comparison.paired("logistic_regression", "cnn"))
        print("paired: close \(close.text); far \(far.text)")
        #expect(!close.differ && far.differ)
        #expect(abs(close.difference - 0.01) < 1e-12 && abs(far.difference - 0.4) < 1e-12)
        #expect(!comparison.bestIsSeparated)
        let conclusion = comparison.conclusion
        #expect(conclusion.contains("the highest test accuracy on the test part is **Logistic regression**'s"))
        #expect(!conclusion.contains("the best model on the test part is"))
        #expect(conclusion.contains("separates Logistic regression from CNN") && conclusion.contains("cannot tell Logistic regression from Decision tree"))
        // The keys name each pair in the study's order, the same in every run.
        let keys = comparison.pairedHeadlines.map(\.key)
        #expect(keys.contains("comparison.paired.logistic_regression_vs_decision_tree.accuracy_difference.ci95_high"))
        #expect(keys.contains("comparison.paired.decision_tree_vs_cnn.accuracy_difference"))
        #expect(keys.count == 9)
        // The interval is the one its page shows: same seed, same resamples.
        let page = try #require(comparison.intervals["cnn"])
        #expect(page.accuracy.low < 0.5 && 0.5 < page.accuracy.high)
    }

    @Test func aClearWinnerIsCalledBest() throws {
        let summaries = [summary("cnn", "CNN", right: 190), summary("light_cnn", "Light CNN", right: 120)]
        let comparison = ModelComparison(summaries: summaries, config: try StudyFixtures.smokeConfig(), seed: 1)
        #expect(comparison.bestIsSeparated)
        #expect(comparison.conclusion.contains("the best model on the test part is **CNN**"))
    }
}
