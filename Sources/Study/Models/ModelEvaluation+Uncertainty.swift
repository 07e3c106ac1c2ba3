import Foundation
import Learn
import Plot
import Report

/// How sure a model's test numbers are: bootstrap 95% intervals of accuracy, macro F1 and each
/// class's recall, and how well its probabilities are calibrated.
public struct ModelUncertainty: Sendable {
    public static let resampleCount = 1000
    public let bootstrap: ClassificationBootstrap
    public let calibration: Calibration
    public let resamples: Int
    public let seed: UInt32

    public var accuracy: ConfidenceInterval { bootstrap.accuracyInterval }
    public var macroF1: ConfidenceInterval { bootstrap.macroF1Interval }
    public var recall: [ConfidenceInterval] { bootstrap.recallIntervals }

    /// The bootstrap's seed for a run seed: numpy's RandomState takes 32 bits.
    public static func seed(forRun seed: UInt64) -> UInt32 { UInt32(truncatingIfNeeded: seed) }
}

extension ModelEvaluation {
    /// The bootstrap (1,000 resamples of the test images drawn with the run's seed, the same for
    /// every model of the run) and the calibration (15 bins) of this evaluation.
    public func uncertainty(seed: UInt64, resamples: Int = ModelUncertainty.resampleCount) -> ModelUncertainty {
        let bootstrapSeed = ModelUncertainty.seed(forRun: seed)
        precondition(!labels.isEmpty, "\(key): no test image to bootstrap")
        let draws = BootstrapResamples(count: labels.count, resamples: resamples, seed: bootstrapSeed)
        let bootstrap = ClassificationBootstrap(labels: labels, predictions: predictions, classes: classNames.count, resamples: draws)
        return ModelUncertainty(bootstrap: bootstrap,
                                calibration: Calibration(probabilities: probabilities, labels: labels, classes: classNames.count),
                                resamples: resamples, seed: bootstrapSeed)
    }

    /// "0.9575 (0.9493–0.9653)".
    static func withInterval(_ value: Double, _ interval: ConfidenceInterval) -> String {
        guard value.isFinite else { return "—" }
        guard interval.low.isFinite, interval.high.isFinite else { return Fmt.fixed(value, 4) }
        return "\(Fmt.fixed(value, 4)) (\(Fmt.fixed(interval.low, 4))–\(Fmt.fixed(interval.high, 4)))"
    }

    /// The page's uncertainty and calibration cells: the intervals table, a sentence on the
    /// calibration, and the reliability diagram.
    public func uncertaintyCells(_ u: ModelUncertainty, captionNote: String = "") -> [Cell] {
        let note = captionNote.isEmpty ? "" : " " + captionNote
        var rows = [["Test accuracy", Fmt.fixed(testAccuracy, 4), Fmt.fixed(u.accuracy.low, 4), Fmt.fixed(u.accuracy.high, 4), "\(labels.count)"],
                    ["Macro F1", Fmt.fixed(macroF1, 4), Fmt.fixed(u.macroF1.low, 4), Fmt.fixed(u.macroF1.high, 4), "\(labels.count)"]]
        for c in classNames.indices {
            let r = report.perClass[c], interval = u.recall[c]
            rows.append(["Recall: \(classNames[c])", r.support > 0 ? Fmt.fixed(r.recall, 4) : "—",
                         interval.low.isFinite ? Fmt.fixed(interval.low, 4) : "—",
                         interval.high.isFinite ? Fmt.fixed(interval.high, 4) : "—", "\(r.support)"])
        }
        let table = Table(caption: "\(displayName): test metrics with bootstrap 95% intervals",
                          columns: ["Metric", "This run", "95% low", "95% high", "Test images"], rows: rows,
                          note: "Percentile bootstrap: \(Fmt.int(u.resamples)) resamples of the \(Fmt.int(labels.count)) test images with replacement "
                              + "(numpy.random.RandomState(\(u.seed)).randint, the same resamples for every model of this run), the metric recomputed "
                              + "on each, the 2.5th and 97.5th percentiles. A class's recall uses the resamples that hold at least one of its images.")
        let width = u.accuracy.high - u.accuracy.low
        let uncertaintyText = """
            ## How sure these numbers are

            The test part is a sample: another \(Fmt.int(labels.count)) images would give another accuracy. Resampling \
            the test images \(Fmt.int(u.resamples)) times puts this run's test accuracy of \(Fmt.fixed(testAccuracy, 4)) \
            between **\(Fmt.fixed(u.accuracy.low, 4)) and \(Fmt.fixed(u.accuracy.high, 4))** (95% interval, \
            \(Fmt.fixed(100 * width, 1)) points wide); two models whose intervals overlap this much may not differ \
            (the comparison page tests each pair on the same resamples).
            """
        let c = u.calibration
        let overconfident = c.bins.filter { $0.count > 0 }.reduce(0.0) { $0 + Double($1.count) * ($1.meanConfidence - $1.accuracy) }
        let direction = overconfident > 0 ? "more confident than it is right (overconfident)" : "less confident than it is right (underconfident)"
        let calibrationText = c.expectedError.isFinite
            ? """
              ## Do its probabilities mean what they say?

              Grouping the test images by the model's confidence (its largest class probability, 15 equal bins), \
              the gap between confidence and accuracy averages **\(Fmt.fixed(c.expectedError, 4))** (expected \
              calibration error, ECE; 0 is perfect), at most \(Fmt.fixed(c.maximumError, 4)) in one bin. On balance the \
              model is \(direction).
              """
            : "## Do its probabilities mean what they say?\n\nNo test image, so no calibration."
        let bins = c.bins.map { ReliabilityBin(lower: $0.lower, upper: $0.upper, count: $0.count,
                                               meanConfidence: $0.meanConfidence, accuracy: $0.accuracy) }
        let figure = Charts.reliability(bins, expectedError: c.expectedError, title: "Reliability diagram: \(displayName), test set").render()
        let caption = "Left: accuracy (bars) and mean confidence (red dots) of the test images in each of 15 confidence bins; "
            + "a calibrated model's bars reach the dashed diagonal, the red segments are the gaps the ECE of \(Fmt.fixed(c.expectedError, 4)) averages. "
            + "Right: test images per bin.\(note)"
        let alt = "Reliability diagram of \(displayName): accuracy against confidence in 15 bins beside the diagonal, and a histogram of confidences; ECE \(Fmt.fixed(c.expectedError, 4))."
        return [
            .markdown(uncertaintyText),
            .code(source: "bootstrap_ci(y_test_true, y_test_pred, n_resamples=\(u.resamples), seed=\(u.seed))  # accuracy, macro F1, recall per class",
                  outputs: [.table(table)]),
            .markdown(calibrationText),
            .code(source: "reliability_diagram(y_test_true, y_test_probs, n_bins=15)",
                  outputs: [.figure(FigureOutput(rendered: figure, caption: caption, alt: alt))]),
        ]
    }

    /// A class name as a results.json key part: lower case, anything but letters and digits as `_`.
    static func keyPart(_ name: String) -> String {
        String(name.lowercased().map { $0.isASCII && ($0.isLetter || $0.isNumber) ? $0 : "_" })
    }

    /// `models.<key>.test_accuracy.ci95_low` / `_high`, the same for `macro_f1`, `models.<key>.recall.<class>`
    /// with its interval, `models.<key>.ece` and `models.<key>.bootstrap_resamples`.
    public func uncertaintyHeadlines(_ u: ModelUncertainty) -> [Headline] {
        uncertaintyHeadlines(u, keys: UncertaintyKeys(model: key))
    }

    /// The same under `keys` (a page that lists its keys as literals passes them).
    public func uncertaintyHeadlines(_ u: ModelUncertainty, keys: UncertaintyKeys) -> [Headline] {
        func bound(_ key: String, _ label: String, _ value: Double, _ side: String) -> Headline {
            Headline(key, value.isFinite ? .double(value) : .null, label: "\(label), 95% bootstrap interval: \(side)")
        }
        func bounds(_ low: String, _ high: String, _ label: String, _ interval: ConfidenceInterval) -> [Headline] {
            [bound(low, label, interval.low, "low"), bound(high, label, interval.high, "high")]
        }
        var lines = bounds(keys.testAccuracyLow, keys.testAccuracyHigh, "\(displayName): test accuracy", u.accuracy)
            + bounds(keys.macroF1Low, keys.macroF1High, "\(displayName): macro F1", u.macroF1)
        for c in classNames.indices {
            // Per class: the class names come from the data, so these keys are built from them.
            let key = "\(keys.recallPrefix).\(Self.keyPart(classNames[c]))"
            let support = report.perClass[c].support
            lines.append(Headline(key, support > 0 ? .double(report.perClass[c].recall) : .null, label: "\(displayName): recall of \(classNames[c])"))
            lines += bounds("\(key).ci95_low", "\(key).ci95_high", "\(displayName): recall of \(classNames[c])", u.recall[c])
        }
        lines.append(Headline(keys.ece, u.calibration.expectedError.isFinite ? .double(u.calibration.expectedError) : .null,
                              label: "\(displayName): expected calibration error (15 bins)"))
        lines.append(Headline(keys.bootstrapResamples, .int(u.resamples), label: "\(displayName): bootstrap resamples of the test set"))
        return lines
    }
}

/// The `results.json` keys of a model's uncertainty headlines.
public struct UncertaintyKeys: Sendable {
    public var testAccuracyLow: String, testAccuracyHigh: String
    public var macroF1Low: String, macroF1High: String
    public var ece: String
    public var bootstrapResamples: String
    /// `models.<key>.recall`: each class's recall goes under `<prefix>.<class>`.
    public var recallPrefix: String

    public init(testAccuracyLow: String, testAccuracyHigh: String, macroF1Low: String, macroF1High: String,
                ece: String, bootstrapResamples: String, recallPrefix: String) {
        self.testAccuracyLow = testAccuracyLow; self.testAccuracyHigh = testAccuracyHigh
        self.macroF1Low = macroF1Low; self.macroF1High = macroF1High
        self.ece = ece; self.bootstrapResamples = bootstrapResamples; self.recallPrefix = recallPrefix
    }

    /// The keys of model `model` built from its results key (`models.<model>.…`).
    public init(model: String) {
        let base = "models.\(model)"
        self.init(testAccuracyLow: "\(base).test_accuracy.ci95_low", testAccuracyHigh: "\(base).test_accuracy.ci95_high",
                  macroF1Low: "\(base).macro_f1.ci95_low", macroF1High: "\(base).macro_f1.ci95_high",
                  ece: "\(base).ece", bootstrapResamples: "\(base).bootstrap_resamples", recallPrefix: "\(base).recall")
    }
}
