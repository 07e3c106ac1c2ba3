import Foundation
import Testing
import _TestSupport
@testable import Learn

/// One case of `Tests/Fixtures/models/classification_metrics.json` (scikit-learn 1.9.1 answers;
/// generator: Tests/Fixtures/tools/classification_metrics.py).
struct ClassificationCase: Decodable {
    struct Curve: Decodable { var fpr: [Double?]; var tpr: [Double?]; var thresholds: [Double]; var auc: Double? }
    var name: String
    var classes: Int
    var targetNames: [String]
    var labels: [Int]
    var predictions: [Int]
    var probabilities: [[Double]]
    var reportText: String
    var reportText4: String
    var perClass: [[String: Double]]
    var accuracy: Double
    var macro: [String: Double]
    var weighted: [String: Double]
    var confusion: [[Int]]
    var roc: [Curve?]
    var micro: Curve
    var rocAucOvr: Double?

    static func load() throws -> [ClassificationCase] {
        struct File: Decodable { var cases: [ClassificationCase] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(File.self, from: Data(contentsOf: TestPaths.fixture("models/classification_metrics.json"))).cases
    }
}

/// Equal to 1e-12, with NaN (JSON null) equal only to NaN.
private func same(_ a: Double, _ b: Double?) -> Bool {
    guard let b else { return a.isNaN }
    return abs(a - b) <= 1e-12
}

private func same(_ a: [Double], _ b: [Double?]) -> Bool {
    a.count == b.count && zip(a, b).allSatisfy { same($0, $1) }
}

@Suite("Classification metrics (parity with scikit-learn)")
struct ClassificationMetricsTests {
    // Tolerance 1e-12: the counts are exact integers and every ratio, sum and trapezoid is computed
    // in the order numpy uses, so only a last-bit difference would be allowed.

    @Test("classification_report: per-class scores, accuracy and averages equal scikit-learn's")
    func reportNumbers() throws {
        for c in try ClassificationCase.load() {
            let report = ClassificationReport(labels: c.labels, predictions: c.predictions, classes: c.classes)
            for (k, row) in report.perClass.enumerated() {
                let ref = c.perClass[k]
                #expect(same(row.precision, ref["precision"]) && same(row.recall, ref["recall"]) && same(row.f1, ref["f1-score"]),
                        "\(c.name) class \(k): \(row) vs \(ref)")
                #expect(Double(row.support) == ref["support"], "\(c.name) class \(k) support")
            }
            #expect(same(report.accuracy, c.accuracy), "\(c.name) accuracy")
            for (mine, ref, label) in [(report.macroAverage, c.macro, "macro"), (report.weightedAverage, c.weighted, "weighted")] {
                #expect(same(mine.precision, ref["precision"]) && same(mine.recall, ref["recall"]) && same(mine.f1, ref["f1-score"]),
                        "\(c.name) \(label): \(mine) vs \(ref)")
                #expect(Double(mine.support) == ref["support"])
            }
        }
    }

    @Test("classification_report text is character for character scikit-learn's (digits 2 and 4)")
    func reportText() throws {
        for c in try ClassificationCase.load() {
            let report = ClassificationReport(labels: c.labels, predictions: c.predictions, classes: c.classes)
            #expect(report.text(targetNames: c.targetNames) == c.reportText, "\(c.name)\n\(report.text(targetNames: c.targetNames))")
            #expect(report.text(targetNames: c.targetNames, digits: 4) == c.reportText4, "\(c.name) digits 4")
        }
    }

    @Test("confusion_matrix equals scikit-learn's (rows = true class)")
    func confusion() throws {
        for c in try ClassificationCase.load() {
            #expect(confusionMatrix(labels: c.labels, predictions: c.predictions, classes: c.classes) == c.confusion, "\(c.name)")
        }
    }

    @Test("roc_curve points, thresholds and AUC per class and micro-averaged equal scikit-learn's")
    func rocCurves() throws {
        var largest = 0.0
        for c in try ClassificationCase.load() {
            let roc = OneVsRestROC(labels: c.labels, probabilities: c.probabilities.flatMap { $0 }, classes: c.classes)
            for k in 0..<c.classes {
                guard let ref = c.roc[k] else {
                    #expect(roc.perClass[k] == nil && roc.classAUC[k].isNaN, "\(c.name) class \(k) has no positives")
                    continue
                }
                let mine = try #require(roc.perClass[k])
                #expect(mine.thresholds.first == .infinity)
                #expect(same(mine.fpr, ref.fpr) && same(mine.tpr, ref.tpr), "\(c.name) class \(k) points")
                #expect(Array(mine.thresholds.dropFirst()) == ref.thresholds, "\(c.name) class \(k) thresholds")
                #expect(same(roc.classAUC[k], ref.auc), "\(c.name) class \(k) AUC \(roc.classAUC[k]) vs \(String(describing: ref.auc))")
                largest = max(largest, abs(roc.classAUC[k] - (ref.auc ?? .nan)))
            }
            #expect(same(roc.micro.fpr, c.micro.fpr) && same(roc.micro.tpr, c.micro.tpr), "\(c.name) micro points")
            #expect(Array(roc.micro.thresholds.dropFirst()) == c.micro.thresholds, "\(c.name) micro thresholds")
            #expect(same(roc.microAUC, c.micro.auc), "\(c.name) micro AUC")
            if c.classes > 2 {
                #expect(same(rocAUCScoreOneVsRest(labels: c.labels, probabilities: c.probabilities.flatMap { $0 }, classes: c.classes),
                             c.rocAucOvr), "\(c.name) roc_auc_score ovr")
            } else {
                #expect(same(roc.classAUC[1], c.rocAucOvr), "\(c.name) binary roc_auc_score")
            }
        }
        print("ROC: largest |AUC - sklearn| = \(largest)")
    }

    @Test("A class without positives has no curve and makes the macro AUC NaN, as scikit-learn 1.9")
    func missingClass() throws {
        let c = try #require(try ClassificationCase.load().first { $0.name == "missing_class" })
        let roc = OneVsRestROC(labels: c.labels, probabilities: c.probabilities.flatMap { $0 }, classes: c.classes)
        #expect(roc.perClass[2] == nil)
        #expect(roc.macroAUC.isNaN && c.rocAucOvr == nil)
        #expect(roc.microAUC.isFinite)
    }

    @Test("auc handles decreasing x by flipping the sign, like sklearn.metrics.auc")
    func aucDirection() {
        #expect(auc(x: [0, 0.5, 1], y: [0, 1, 1]) == 0.75)
        #expect(auc(x: [1, 0.5, 0], y: [1, 1, 0]) == 0.75)
    }

    @Test("numpy's pairwise sum: the order matters and matches numpy for n ≥ 8")
    func pairwise() {
        // Sequential summation of these loses the 1s; numpy's eight accumulators keep some of them.
        let values = [1e16, 1, 1, 1, 1, 1, 1, 1, -1e16, 1]
        #expect(numpySum(values) == ((1e16 + 1) + (1 + 1)) + ((1 + 1) + (1 + 1)) - 1e16 + 1)
    }
}
