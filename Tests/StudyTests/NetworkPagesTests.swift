import Foundation
import Neural
import Report
@testable import Study
import Tensor
import Testing
import _TestSupport

@Suite("Network pages and the model comparison")
struct NetworkPagesTests {
    /// Four small networks on 16x16 images for two epochs (ViT-B/16 is left out: its 86M parameters
    /// make a debug-build test slow; `NetworkKind.build` is checked for it below).
    static let kinds: [NetworkKind] = [.simpleNN, .lightCNN, .cnn, .resnet18]

    func config() throws -> StudyConfig {
        var config = try StudyFixtures.smokeConfig()
        for path in [\NetworksConfig.simpleNn, \NetworksConfig.lightCnn, \NetworksConfig.cnn, \NetworksConfig.resnet18] {
            config.networks[keyPath: path].imageSize = 16
            config.networks[keyPath: path].epochs = 2
            config.networks[keyPath: path].trainImagesPerClass = 0
            config.networks[keyPath: path].evalImagesPerClass = 0
        }
        config.networks.lightCnn.hiddenUnits = 4
        config.networks.cnn.hiddenUnits = 4
        config.networks.resnet18.pretrained = true
        // ResNet18's 11M parameters make a debug-build epoch slow; one is enough to check the page.
        config.networks.resnet18.epochs = 1
        return config
    }

    func outputs(_ result: SectionResult) -> [CellOutput] {
        result.cells.flatMap { cell -> [CellOutput] in
            if case let .code(_, outputs) = cell { return outputs }
            return []
        }
    }

    @Test("each page shows the 2x2 figure, the evaluation and the predictions file; the comparison ranks the models from their summaries")
    func pagesAndComparison() throws {
        let data = try TinyDataset.make(perClass: 6)
        let cache = try TestPaths.temporaryFolder("net-pages")
        defer { for url in [data, cache] { try? FileManager.default.removeItem(at: url) } }
        let sections: [any StudySection] = [AuditSection(), SplitSection()]
            + Self.kinds.flatMap { [NetworkTrainSection($0), NetworkPageSection($0)] as [any StudySection] }
            + [ComparisonSection(modelSteps: Self.kinds.map { "\($0.id)-train" })]
        let run = try StudyRunner(sections: sections, config: config(), profile: .smoke, seed: 42, datasetRoot: data,
                                  cacheRoot: cache, resources: StudyFixtures.resources,
                                  weights: cache.appendingPathComponent("no-weights"), progress: StudyFixtures.quietProgress()).run()
        var headlines: [String: JSONValue] = [:]
        for result in run.results.values { for h in result.headlines { headlines[h.key] = h.value } }

        for kind in Self.kinds {
            let page = try #require(run.results[kind.id])
            let figures = outputs(page).compactMap { if case let .figure(f) = $0 { f } else { nil } }
            // The 2x2 training figure, the confusion matrix, the ROC figure, the reliability diagram and,
            // when the network got any test image wrong, the gallery of its most confident mistakes.
            let wrong = headlines["models.\(kind.resultsKey).test_accuracy"] != .double(1)
            #expect(figures.count == (wrong ? 5 : 4), "\(kind.id): \(figures.count) figures")
            #expect(figures.contains { $0.caption.hasPrefix("Left: accuracy (bars) and mean confidence") })
            #expect(!wrong || figures.contains { $0.caption.contains("wrong test predictions of the \(kind.displayName)") })
            // The bootstrap interval holds the point value; the calibration error is a fraction.
            let key = "models.\(kind.resultsKey)"
            if let value = headlines["\(key).test_accuracy"]?.number, let low = headlines["\(key).test_accuracy.ci95_low"]?.number,
               let high = headlines["\(key).test_accuracy.ci95_high"]?.number {
                #expect(low <= value && value <= high, "\(kind.id): \(value) outside [\(low), \(high)]")
            } else {
                Issue.record("\(kind.id): no accuracy interval")
            }
            #expect((headlines["\(key).ece"]?.number).map { $0 >= 0 && $0 <= 1 } == true)
            #expect(headlines["\(key).bootstrap_resamples"] == .int(1000))
            let files = outputs(page).compactMap { if case let .file(f) = $0 { f } else { nil } }
            #expect(files.map(\.path) == ["predictions/\(kind.resultsKey).csv"])
            // The test part of 48 images is 8 (one per class), so the CSV has a header and 8 rows.
            #expect(String(decoding: files[0].data, as: UTF8.self).split(separator: "\n").count == 9)
            guard case let .double(accuracy) = headlines["models.\(kind.resultsKey).test_accuracy"] else {
                Issue.record("no test accuracy for \(kind.id)"); continue
            }
            #expect(accuracy >= 0 && accuracy <= 1)
            let epochs = kind == .resnet18 ? 1 : 2
            // SimpleNN may stop early only with patience 10 > 2 epochs: it runs both.
            #expect(headlines["models.\(kind.resultsKey).epochs_run"] == .int(epochs))
            #expect(headlines["models.\(kind.resultsKey).image_size"] == .int(16))
            if case let .double(seconds) = headlines["models.\(kind.resultsKey).train_seconds"] { #expect(seconds > 0) } else {
                Issue.record("no train_seconds for \(kind.id)")
            }
        }
        // ResNet18 asked for ImageNet weights that are absent: the page, the result and a deviation say so.
        #expect(headlines["models.resnet18.pretrained"] == .bool(false))
        let resnetTrain = try #require(run.results["resnet18-train"])
        #expect(resnetTrain.deviations.contains { $0.thisRun == "random initialisation" })
        let resnetPage = try #require(run.results["resnet18"])
        let prose = resnetPage.cells.compactMap { if case let .markdown(m) = $0 { m } else { nil } }.joined()
        #expect(prose.contains("random initialisation, not from ImageNet weights"))
        #expect(headlines["models.cnn.pretrained"] == .bool(false))

        // The comparison: one row per model, its best-model headline names the highest accuracy.
        let comparison = try #require(run.results["comparison"])
        let tables = outputs(comparison).compactMap { if case let .table(t) = $0 { t } else { nil } }
        #expect(tables.first?.rows.count == Self.kinds.count)
        // Accuracy with its interval in brackets, and the paired bootstrap of every pair of models.
        #expect(tables.first?.rows.allSatisfy { $0[1].contains("(") && $0[1].contains("–") } == true)
        #expect(tables.contains { $0.caption.hasPrefix("Paired bootstrap") && $0.rows.count == Self.kinds.count * (Self.kinds.count - 1) / 2 })
        // One difference and its interval per pair, keyed in the study's order of models.
        let pairKeys = headlines.keys.filter { $0.hasPrefix("comparison.paired.") }
        #expect(pairKeys.count == 3 * Self.kinds.count * (Self.kinds.count - 1) / 2)
        #expect(pairKeys.contains("comparison.paired.simple_nn_vs_resnet18.accuracy_difference.ci95_low"))
        let accuracies = Self.kinds.compactMap { kind -> (String, Double)? in
            if case let .double(a) = headlines["models.\(kind.resultsKey).test_accuracy"] { return (kind.resultsKey, a) }
            return nil
        }
        let best = accuracies.max { $0.1 < $1.1 }!
        if case let .string(named) = headlines["comparison.best_model"] {
            #expect(accuracies.first { $0.0 == named }!.1 == best.1)
        } else {
            Issue.record("no comparison.best_model")
        }
        let acc = Dictionary(uniqueKeysWithValues: accuracies)
        #expect(headlines["comparison.ordering_holds"] == .bool(acc["simple_nn"]! < acc["light_cnn"]! && acc["light_cnn"]! < acc["cnn"]!))
        let conclusion = comparison.cells.compactMap { if case let .markdown(m) = $0 { m } else { nil } }.joined()
        #expect(conclusion.contains("SimpleNN < LightCNN < CNN"))
    }

    /// ViT-B/16 is left out: building its 86M parameters takes minutes in a debug build; its
    /// torchvision names are checked by the Neural parity tests.
    @Test("every network but ViT builds with the study's state_dict names and gives (N, 8) logits")
    func buildsEveryNetwork() throws {
        let config = try StudyFixtures.smokeConfig()
        for kind in NetworkKind.allCases where kind != .vit {
            var settings = kind.config(config)
            settings.imageSize = 32
            var g = SeededGenerator(seed: 1)
            let model = kind.build(config: settings, classes: 8, using: &g)
            let x = Tensor(shape: [2, 3, settings.imageSize, settings.imageSize], data: [Float](repeating: 0.5, count: 2 * 3 * settings.imageSize * settings.imageSize))
            #expect(model.forward(x, training: false).shape == [2, 8], "\(kind.id)")
            let names = StateDict.names(of: model)
            switch kind {
            case .resnet18: #expect(names.contains("base.layer4.1.bn2.weight") && names.contains("block.3.weight"))
            case .simpleNN: #expect(names == ["model_architecture.1.weight", "model_architecture.1.bias", "model_architecture.3.weight", "model_architecture.3.bias"])
            default: #expect(names.contains("block_1.0.weight") && (names.contains("classifier.5.weight") || names.contains("classifier.4.weight")))
            }
            let optimizer = try kind.makeOptimizer(for: model, config: settings)
            if kind == .resnet18 {
                // The study's AdamW groups: base at 3e-5, head at 8e-4.
                #expect(optimizer.groups.map(\.learningRate) == [3e-5, 8e-4])
            }
        }
    }
}
