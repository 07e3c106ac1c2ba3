import Foundation
import Report
import Testing
import _TestSupport
@testable import Study

/// The failure gallery picks the wrong predictions with the highest probability, and every model
/// page's uncertainty keys follow the schema.
@Suite struct FailureGalleryTests {
    // Five images, three classes; images 1, 2 and 4 are wrong, 2 and 4 tie at 0.9.
    static let labels = [0, 1, 2, 0, 1]
    static let predictions = [0, 0, 0, 0, 2]
    static let probabilities: [Double] = [0.99, 0.005, 0.005,
                                          0.6, 0.3, 0.1,
                                          0.9, 0.05, 0.05,
                                          0.5, 0.25, 0.25,
                                          0.05, 0.05, 0.9]

    @Test func mostConfidentMistakesFirstTiesInTestOrder() {
        let failures = FailureGallery.failures(labels: Self.labels, predictions: Self.predictions, probabilities: Self.probabilities, classes: 3)
        #expect(failures == [2, 4, 1])
        #expect(FailureGallery.failures(labels: Self.labels, predictions: Self.predictions, probabilities: Self.probabilities,
                                        classes: 3, limit: 1) == [2])
    }

    func evaluation() -> ModelEvaluation {
        ModelEvaluation(key: "cnn", displayName: "CNN", classNames: ["basophil", "ig <b>", "platelet"],
                        paths: (0..<5).map { "x/\($0).jpg" }, labels: Self.labels, predictions: Self.predictions,
                        probabilities: Self.probabilities)
    }

    @Test func anUnreadableImageIsShownGreyAndNamed() throws {
        let cells = FailureGallery.cells(evaluation(), datasetRoot: URL(fileURLWithPath: "/nonexistent"))
        let captions = cells.flatMap { cell -> [String] in
            guard case let .code(_, outputs) = cell else { return [] }
            return outputs.compactMap { if case let .figure(f) = $0 { f.caption } else { nil } }
        }
        #expect(captions.count == 1)
        #expect(captions[0].contains("x/2.jpg") && captions[0].contains("Not readable"))
        #expect(captions[0].contains("The 3 wrong test predictions"))
    }

    @Test func uncertaintyKeysFollowTheSchema() {
        let e = evaluation()
        let u = e.uncertainty(seed: 42)
        let keys = Set(e.uncertaintyHeadlines(u).map(\.key))
        for key in ["models.cnn.test_accuracy.ci95_low", "models.cnn.test_accuracy.ci95_high", "models.cnn.macro_f1.ci95_low",
                    "models.cnn.recall.ig__b_", "models.cnn.recall.ig__b_.ci95_high", "models.cnn.recall.platelet.ci95_low",
                    "models.cnn.ece", "models.cnn.bootstrap_resamples"] {
            #expect(keys.contains(key), "\(key)")
        }
        #expect(u.accuracy.low <= e.testAccuracy && e.testAccuracy <= u.accuracy.high)
        // The same seed draws the same resamples: the same interval.
        #expect(e.uncertainty(seed: 42).accuracy == u.accuracy)
    }
}
