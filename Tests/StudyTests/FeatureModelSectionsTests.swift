import Foundation
import Report
import Tensor
import Testing
import _TestSupport
@testable import Study

/// Stands in for the `split` step (the feature classifiers only order themselves after it).
struct StubSplitForModels: StudySection {
    let id = "split", title = "Split", usesDataset = false
    func inputs(_ config: StudyConfig) -> StepInputs { StepInputs() }
    func run(_ context: StudyContext) throws -> SectionResult { SectionResult(cells: []) }
}

/// A synthetic `deep-features` step following the contract: an index and a Float32 matrix of
/// separable class clusters (rows train, validation, test), or no features (`backbone` "none").
struct SyntheticDeepFeatures: StudySection {
    let id = "deep-features", title = "Deep features", usesDataset = false
    let dependencies = ["split"]
    var backbone = "efficientnet-lite0"
    var width = 12
    func inputs(_ config: StudyConfig) -> StepInputs { StepInputs().adding("backbone", backbone).adding("width", width) }
    func run(_ context: StudyContext) throws -> SectionResult {
        let classes = ["basophil", "eosinophil", "ig <b>"]
        let counts = (train: 300, validation: 15, test: 15)
        var rng = SeededGenerator(seed: 5)
        let centres = (0..<(classes.count * width)).map { _ in 2 * rng.nextGaussian() }
        var labels: [Int] = [], paths: [String] = [], rows: [Float] = []
        for (part, n) in [("train", counts.train), ("val", counts.validation), ("test", counts.test)] {
            for i in 0..<n {
                let c = i % classes.count
                labels.append(c); paths.append("\(classes[c])/\(part)_\(i).jpg")
                rows += (0..<width).map { Float(centres[c * width + $0] + rng.nextGaussian()) }
            }
        }
        let hasFeatures = backbone != "none"
        if hasFeatures {
            try context.artifacts.write(matrix: Matrix(rows: labels.count, columns: width, storage: rows), as: "features")
        }
        try context.artifacts.write(DeepFeaturesIndex(backbone: backbone, backboneName: hasFeatures ? "EfficientNet-Lite0 (ImageNet)" : "none",
                                                      weightsSHA256: hasFeatures ? "abcdef0123456789" : "", imageSize: hasFeatures ? 224 : 0,
                                                      classes: classes, paths: paths, labels: labels, train: counts.train,
                                                      validation: counts.validation, test: counts.test), as: "index")
        return SectionResult(cells: [])
    }
}

@Suite("Logistic regression and decision tree pages on deep features")
struct FeatureModelSectionsTests {
    func run(_ features: SyntheticDeepFeatures) throws -> (StudyRun, URL) {
        let cache = try TestPaths.temporaryFolder("feature-models")
        // The smoke profile's 5 epochs are too few for 300 images in one-batch epochs; 30 make the test meaningful.
        var config = try StudyFixtures.smokeConfig()
        config.logisticRegression.epochs = 30
        let runner = try StudyFixtures.runner([StubSplitForModels(), features, LogisticRegressionSection(), DecisionTreeSection()],
                                              cache: cache, config: config)
        return (try runner.run(), cache)
    }

    func outputs(_ result: SectionResult) -> [CellOutput] {
        result.cells.flatMap { cell -> [CellOutput] in if case .code(_, let o) = cell { return o } else { return [] } }
    }

    @Test("with features: both pages train, evaluate, publish predictions, fill models.<key>.* and name the substitute backbone")
    func withFeatures() throws {
        let (run, cache) = try self.run(SyntheticDeepFeatures())
        defer { try? FileManager.default.removeItem(at: cache) }
        for (step, key) in [("logistic-regression", "logistic_regression"), ("decision-tree", "decision_tree")] {
            let result = try #require(run.results[step])
            let h = Dictionary(uniqueKeysWithValues: result.headlines.map { ($0.key, $0.value) })
            // Separable clusters: both classifiers do far better than chance (1/3) on the test part.
            let accuracy = try #require(h["models.\(key).test_accuracy"]?.number)
            #expect(accuracy > 0.8, "\(key): test accuracy \(accuracy)")
            for metric in ["macro_f1", "weighted_f1", "micro_auc", "train_seconds"] {
                #expect(h["models.\(key).\(metric)"]?.number?.isFinite == true, "\(key).\(metric)")
            }
            #expect(h["models.\(key).pretrained"] == .bool(true))
            let files = outputs(result).compactMap { if case .file(let f) = $0 { return f } else { return nil } }
            #expect(files.map(\.path) == ["predictions/\(key).csv"])
            #expect(String(decoding: files[0].data, as: UTF8.self).split(separator: "\n").count == 1 + 15)
            #expect(result.deviations.contains { $0.what.contains("input features") && $0.thisRun.contains("EfficientNet-Lite0") })
            #expect(outputs(result).contains { if case .warning(let w) = $0 { return w.contains("substitute") } else { return false } })
            let record = try #require(run.records.first { $0.id == step })
            let folder = StepCache(root: cache).entry(step, record.inputHash)
            let summary = try ArtifactReader(step: step, folder: folder).read(ModelSummary.self, "summary")
            #expect(summary.key == key && summary.testAccuracy == accuracy && summary.weights.contains("substitute"))
        }
        // The logistic regression page also shows the per-epoch curves and the t-SNE of the test features.
        let lr = try #require(run.results["logistic-regression"])
        let captions = outputs(lr).compactMap { if case .figure(let f) = $0 { return f.caption } else { return nil } }
        // Curves, confusion matrix, ROC, reliability diagram, t-SNE, and the mistakes' gallery when there are any.
        let lrWrong = run.results["logistic-regression"]?.headlines.first { $0.key == "models.logistic_regression.test_accuracy" }?.value != .double(1)
        #expect(captions.count == (lrWrong ? 6 : 5))
        #expect(captions.contains { $0.hasPrefix("Left: accuracy (bars) and mean confidence") })
        #expect(captions.contains { $0.hasPrefix("t-SNE of this run's 15 test-part") })
    }

    @Test("without features: both pages say why, write no summary, and report every models.<key>.* key as null")
    func withoutFeatures() throws {
        let (run, cache) = try self.run(SyntheticDeepFeatures(backbone: "none"))
        defer { try? FileManager.default.removeItem(at: cache) }
        for (step, key) in [("logistic-regression", "logistic_regression"), ("decision-tree", "decision_tree")] {
            let result = try #require(run.results[step])
            #expect(result.headlines.count == 6 && result.headlines.allSatisfy { $0.value == .null && $0.key.hasPrefix("models.\(key).") })
            #expect(outputs(result).contains { if case .warning(let w) = $0 { return w.contains("extracted no features") } else { return false } })
        }
    }

    @Test("the same seed gives the same pages and numbers")
    func deterministic() throws {
        let (a, cacheA) = try run(SyntheticDeepFeatures())
        let (b, cacheB) = try run(SyntheticDeepFeatures())
        defer { for c in [cacheA, cacheB] { try? FileManager.default.removeItem(at: c) } }
        for step in ["logistic-regression", "decision-tree"] {
            let ha = a.results[step]!.headlines.filter { !$0.key.hasSuffix("train_seconds") }
            let hb = b.results[step]!.headlines.filter { !$0.key.hasSuffix("train_seconds") }
            #expect(ha == hb, "\(step)")
        }
    }
}
