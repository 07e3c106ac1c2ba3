import Foundation
import Testing
import _TestSupport
@testable import Learn

/// One case of `Tests/Fixtures/learn/bootstrap_calibration.json` (numpy's answers on the resample
/// indices in `bootstrap_<name>_indices.npy`; generator: Tests/Fixtures/tools/bootstrap_calibration.py).
private struct BootstrapCase: Decodable {
    struct Bin: Decodable { var count: Int; var meanConfidence: Double?; var accuracy: Double? }
    var name: String
    var classes: Int
    var seed: UInt32
    var resamples: Int
    var labels: [Int]
    var probabilitiesA: [[Double]]
    var probabilitiesB: [[Double]]
    var accuracy: [Double]
    var accuracyInterval: [Double]
    var macroF1: [Double]
    var macroF1Interval: [Double]
    var recallIntervals: [[Double]?]
    var paired: [Double]
    var pairedInterval: [Double]
    var ece: Double
    var bins: [Bin]

    static func load() throws -> [BootstrapCase] {
        struct File: Decodable { var cases: [BootstrapCase] }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        return try decoder.decode(File.self, from: Data(contentsOf: TestPaths.fixture("learn/bootstrap_calibration.json"))).cases
    }

    var indices: [Int] { get throws { try NPYArray(contentsOf: TestPaths.fixture("learn/bootstrap_\(name)_indices.npy")).ints } }

    func argmax(_ p: [[Double]]) -> [Int] { p.map { row in row.indices.max { row[$0] < row[$1] || (row[$0] == row[$1] && $0 > $1) }! } }
}

/// The bootstrap and calibration error against numpy on the same inputs and resample indices:
/// equal to 1e-12 (only the order of floating-point sums can differ; counts are exact).
@Suite struct BootstrapCalibrationTests {
    @Test func resampleIndicesAreNumpys() throws {
        for c in try BootstrapCase.load() {
            let drawn = BootstrapResamples(count: c.labels.count, resamples: c.resamples, seed: c.seed)
            #expect(drawn.indices == (try c.indices), "case \(c.name): RandomState(\(c.seed)).randint differs")
        }
    }

    @Test func bootstrapMatchesNumpy() throws {
        for c in try BootstrapCase.load() {
            let draws = BootstrapResamples(count: c.labels.count, indices: try c.indices)
            let predictions = c.argmax(c.probabilitiesA)
            let b = ClassificationBootstrap(labels: c.labels, predictions: predictions, classes: c.classes, resamples: draws)
            let accuracyDifference = maxAbsDifference(b.accuracy, c.accuracy)
            let f1Difference = maxAbsDifference(b.macroF1, c.macroF1)
            let intervals = [b.accuracyInterval.low - c.accuracyInterval[0], b.accuracyInterval.high - c.accuracyInterval[1],
                             b.macroF1Interval.low - c.macroF1Interval[0], b.macroF1Interval.high - c.macroF1Interval[1]].map(abs)
            print("bootstrap \(c.name): largest difference from numpy: per-resample accuracy \(accuracyDifference), macro F1 \(f1Difference), intervals \(intervals.max()!)")
            #expect(accuracyDifference <= 1e-12 && f1Difference <= 1e-12)
            #expect(intervals.allSatisfy { $0 <= 1e-12 }, "case \(c.name): intervals \(b.accuracyInterval) \(b.macroF1Interval)")
            for (k, expected) in c.recallIntervals.enumerated() {
                let got = b.recallIntervals[k]
                if let expected {
                    #expect(abs(got.low - expected[0]) <= 1e-12 && abs(got.high - expected[1]) <= 1e-12, "case \(c.name) class \(k): \(got) vs \(expected)")
                } else {
                    #expect(got.low.isNaN && got.high.isNaN)
                }
            }
            let paired = PairedBootstrap.accuracyDifferences(first: zip(predictions, c.labels).map { $0 == $1 },
                                                             second: zip(c.argmax(c.probabilitiesB), c.labels).map { $0 == $1 },
                                                             resamples: draws)
            let pairedInterval = Bootstrap.interval(paired)
            print("paired \(c.name): largest difference \(maxAbsDifference(paired, c.paired)); interval \(pairedInterval)")
            #expect(maxAbsDifference(paired, c.paired) <= 1e-12)
            #expect(abs(pairedInterval.low - c.pairedInterval[0]) <= 1e-12 && abs(pairedInterval.high - c.pairedInterval[1]) <= 1e-12)
        }
    }

    /// The "rare" case has a class with one image: many resamples miss it, and its recall
    /// interval comes from the resamples that hold it (numpy's nanpercentile).
    @Test func rareClassRecallSkipsResamplesWithoutIt() throws {
        let c = try #require(try BootstrapCase.load().first { $0.name == "rare" })
        let draws = BootstrapResamples(count: c.labels.count, indices: try c.indices)
        let b = ClassificationBootstrap(labels: c.labels, predictions: c.argmax(c.probabilitiesA), classes: c.classes, resamples: draws)
        let missing = b.recall[3].filter(\.isNaN).count
        #expect(missing > 50 && missing < c.resamples, "resamples without the single class-3 image: \(missing)")
    }

    @Test func calibrationErrorMatchesNumpy() throws {
        for c in try BootstrapCase.load() {
            let calibration = Calibration(probabilities: c.probabilitiesA.flatMap { $0 }, labels: c.labels, classes: c.classes)
            print("ECE \(c.name): \(calibration.expectedError) (numpy \(c.ece), difference \(abs(calibration.expectedError - c.ece)))")
            #expect(abs(calibration.expectedError - c.ece) <= 1e-12)
            #expect(calibration.bins.count == 15)
            for (got, expected) in zip(calibration.bins, c.bins) {
                #expect(got.count == expected.count, "case \(c.name): bin \(got.lower)–\(got.upper)")
                if let mean = expected.meanConfidence, let accuracy = expected.accuracy {
                    #expect(abs(got.meanConfidence - mean) <= 1e-12 && abs(got.accuracy - accuracy) <= 1e-12)
                } else {
                    #expect(got.meanConfidence.isNaN && got.accuracy.isNaN)
                }
            }
        }
    }

    @Test func percentileIsNumpysLinear() {
        // np.percentile([1, 2, 3, 4], [0, 2.5, 50, 97.5, 100]) = 1, 1.075, 2.5, 3.925, 4
        let values: [Double] = [4, 1, 3, 2]
        let expected: [(Double, Double)] = [(0, 1), (2.5, 1.075), (50, 2.5), (97.5, 3.925), (100, 4)]
        for (q, v) in expected { #expect(abs(Bootstrap.percentile(values, q) - v) <= 1e-12, "q \(q)") }
        #expect(Bootstrap.percentile([.nan, 5], 50) == 5)
        #expect(Bootstrap.percentile([], 50).isNaN)
    }

    /// 200 simulated test sets of 300 images, each image right with probability 0.9: the 95%
    /// percentile interval (1,000 resamples) should cover 0.9 in about 95% of them. The percentile
    /// interval is known to cover a little less than its level at this size; 88% to 99% is 3.5
    /// binomial standard deviations (1.5 points) around 95% on the low side, 2.5 on the high.
    @Test func intervalCoversTheTrueAccuracyAbout95PercentOfTheTime() {
        var generator = NumPyRandomState(seed: 99)
        let truth = 0.9, n = 300, sets = 200
        var covered = 0
        for s in 0..<sets {
            let labels = [Int](repeating: 0, count: n)
            let predictions = (0..<n).map { _ in Double(generator.nextUInt32()) / 4_294_967_296 < truth ? 0 : 1 }
            let draws = BootstrapResamples(count: n, resamples: 1000, seed: UInt32(s))
            let interval = ClassificationBootstrap(labels: labels, predictions: predictions, classes: 2, resamples: draws).accuracyInterval
            if interval.contains(truth) { covered += 1 }
        }
        let coverage = Double(covered) / Double(sets)
        print("95% bootstrap interval covered the true accuracy in \(covered) of \(sets) simulated test sets (\(coverage))")
        #expect(coverage >= 0.88 && coverage <= 0.99)
    }
}
