import Foundation
@testable import Neural
import Report
@testable import Study
import Testing
import _TestSupport

/// The network, comparison and SHAP pages drawn from stored results alone, without training,
/// explaining or reading the dataset.
@Suite("Network pages rendered from stored results")
struct NetworkComputedPagesTests {
    static let classes = ["a", "b", "c"]

    /// Six test images in test order: four right, the fifth (class 1) predicted as 2, the sixth as 0.
    static func evaluation() -> NetworkEvaluation {
        let labels = [0, 1, 2, 0, 1, 2], predictions = [0, 1, 2, 0, 2, 0]
        let probabilities = predictions.map { p in (0..<3).map { $0 == p ? 0.8 : 0.1 } }
        return NetworkEvaluation(classes: classes, paths: (0..<6).map { "\(classes[labels[$0]])/\($0).jpg" },
                                 labels: labels, predictions: predictions, probabilities: probabilities, loss: 0.5)
    }

    static func info(_ kind: NetworkKind) -> NetworkTrainingInfo {
        NetworkTrainingInfo(key: kind.resultsKey, name: kind.displayName, parameters: 1234, trainableParameters: 1200, imageSize: 16,
                            epochsRun: 2, epochsPlanned: 2, bestEpoch: 2, stoppedEarly: false, optimizer: "SGD (lr 0.0001)",
                            pretrained: false, weights: "random initialisation", trainSeconds: 3, evaluationSeconds: 0.5,
                            trainImages: 24, validationImages: 6, testImages: 6, resumedAfterEpoch: nil, substitute: nil)
    }

    static func history() -> Neural.TrainingHistory {
        var h = Neural.TrainingHistory()
        h.trainLoss = [2, 1.5]; h.trainAccuracy = [0.3, 0.5]; h.trainPrecision = [0.3, 0.5]; h.trainRecall = [0.3, 0.5]; h.trainF1 = [0.3, 0.5]
        h.valLoss = [1.9, 1.4]; h.valAccuracy = [0.3, 0.6]; h.valPrecision = [0.3, 0.6]; h.valRecall = [0.3, 0.6]; h.valF1 = [0.3, 0.6]
        h.epochSeconds = [1.5, 1.5]; h.bestEpoch = 2
        return h
    }

    func texts(_ page: SectionResult) -> String {
        page.cells.map { cell -> String in
            switch cell {
            case let .markdown(m): return m
            case let .reference(text, source): return text + " " + source
            default: return ""
            }
        }.joined(separator: "\n")
    }

    func tables(_ page: SectionResult) -> [Table] {
        page.cells.flatMap { cell -> [Table] in
            if case let .code(_, outputs) = cell { return outputs.compactMap { if case let .table(t) = $0 { t } else { nil } } }
            return []
        }
    }

    @Test("SimpleNN: the study-defined scores, the defect with its evidence and the literal headline keys, from the result alone")
    func simpleNNPage() throws {
        let config = try StudyFixtures.smokeConfig()
        let evaluation = Self.evaluation()
        // Batches of 4 as in the study's batch means: batch 1 all right, batch 2 (two images) both wrong.
        let study = StudyDefinedMetrics(.batchMeanMacroAccuracy, labels: evaluation.labels, predictions: evaluation.predictions,
                                        classes: 3, batchSize: 4)
        let thumbnails = FailureThumbnails(indices: [4, 5], pixels: [Data(repeating: 90, count: 128 * 128 * 3), Data(repeating: 90, count: 128 * 128 * 3)],
                                           unreadable: [])
        let result = NetworkPageSection.Result(info: Self.info(.simpleNN), history: Self.history(), evaluation: evaluation,
                                               settings: NetworkKind.simpleNN.config(config), seed: 42, studyMetrics: study,
                                               thumbnails: thumbnails, explanation: [.markdown("explained here")])
        // Through JSON, as the runner stores it.
        let stored = try JSONDecoder().decode(NetworkPageSection.Result.self, from: JSONEncoder().encode(result))
        let page = NetworkPageSection(.simpleNN, explanationStep: "shap-simple-nn").page(stored)
        let values = Dictionary(page.headlines.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(values["models.simple_nn.test_accuracy"] == .double(4.0 / 6))
        #expect(values["models.simple_nn.study_accuracy"] == .double(0.5))
        #expect(values["models.simple_nn.epochs_run"] == .int(2))
        #expect(values["models.simple_nn.backbone"] == .string("simple_nn"))
        let text = texts(page)
        #expect(text.contains("model_1.parameters()"))
        #expect(text.contains("never improved after epoch 1"))
        #expect(text.contains("(the study: \(DocumentedResults.networkImageSize)x\(DocumentedResults.networkImageSize))"))
        #expect(text.contains("explained here"))
        let likeForLike = try #require(tables(page).first { $0.caption.contains("scored with the study's definition") })
        #expect(likeForLike.rows[0] == ["Accuracy", "0.1300", "0.5000", "0.6667"])
    }

    @Test("the comparison compares each documented number with this run's of the same definition, from the result alone")
    func comparisonPage() throws {
        let config = try StudyFixtures.smokeConfig()
        let evaluation = Self.evaluation()
        let summaries = [NetworkKind.simpleNN, .resnet18].map { kind -> ModelSummary in
            NetworkPage.modelEvaluation(kind, evaluation: evaluation).summary(parameterCount: 10, trainingSeconds: 1, imageSize: 16,
                                                                              weights: "random initialisation")
        }
        let result = ComparisonSection.Result(summaries: summaries, missing: [], networks: config.networks, seed: 42)
        let stored = try JSONDecoder().decode(ComparisonSection.Result.self, from: JSONEncoder().encode(result))
        let page = ComparisonSection(modelSteps: ["simple-nn-train", "resnet18-train"]).page(stored)
        let table = try #require(tables(page).first { $0.caption.hasPrefix("The documented test numbers beside this run's") })
        #expect(table.rows.count == 2)
        // SimpleNN: macro accuracy per batch of the smoke profile's batch size; ResNet18: micro over the whole set (4 of 6).
        let resnet = try #require(table.rows.first { $0[0] == NetworkKind.resnet18.displayName })
        #expect(resnet[2] == "0.9661" && resnet[3] == "0.6667" && resnet[9] == "0.9700" && resnet[10] == "0.6667")
        #expect(texts(page).contains("The documented SimpleNN number comes from an untrained network"))
        #expect(page.headlines.contains { $0.key == "comparison.best_model" })
    }

    @Test("the SHAP step's headlines come from its result; a network's count is its own setting")
    func shapPage() throws {
        let result = ShapSection.Result(cells: [.markdown("maps")], requested: 10, explained: 7, positiveShareInNucleus: 0.4,
                                        faithfulness: ShapFaithfulnessSummary(deletion: 0.2, deletionRandom: 0.3, insertion: 0.6,
                                                                              insertionRandom: 0.5, secondsPerImage: nil))
        let stored = try JSONDecoder().decode(ShapSection.Result.self, from: JSONEncoder().encode(result))
        let page = ShapSection(.cnn).page(stored)
        let values = Dictionary(page.headlines.map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
        #expect(values == ["shap.cnn.images": .int(7), "shap.cnn.positive_share_in_nucleus": .double(0.4),
                           "shap.cnn.deletion_auc": .double(0.2), "shap.cnn.deletion_auc_random": .double(0.3),
                           "shap.cnn.insertion_auc": .double(0.6), "shap.cnn.insertion_auc_random": .double(0.5),
                           "shap.cnn.seconds_per_image": .null])
        #expect(page.cells.isEmpty)
        // Nothing explained: no headline is claimed.
        #expect(ShapSection(.cnn).page(.init(cells: [], requested: 10, explained: nil, positiveShareInNucleus: nil, faithfulness: nil)).headlines.isEmpty)
        // The paper profile asks for the study's count per network (CNNModel: 10, of which its first batch holds 7).
        let paper = try StudyConfig.decodeFile(StudyConfig.profileURL(.paper, resources: StudyFixtures.resources))
        for kind in NetworkKind.allCases {
            #expect(ShapSection(kind).requested(paper.shap) == DocumentedResults.shapImagesPerNetwork[kind.resultsKey]?.requested)
        }
    }

    @Test("the train step's page lists its deviations from the result; an entry from before the result was stored keeps its page")
    func trainPage() throws {
        let deviation = Deviation(what: "ResNet18 starting weights", documented: "ImageNet weights", thisRun: "random initialisation", why: "absent")
        let result = NetworkTrainSection.Result(info: Self.info(.resnet18), deviations: [deviation])
        let stored = try JSONDecoder().decode(NetworkTrainSection.Result.self, from: JSONEncoder().encode(result))
        #expect(stored == result)
        let page = NetworkTrainSection(.resnet18).page(stored)
        #expect(page.cells.isEmpty && page.deviations == [deviation])
        let empty = try TestPaths.temporaryFolder("train-entry")
        defer { try? FileManager.default.removeItem(at: empty) }
        #expect(try NetworkTrainSection(.resnet18).page(cachedIn: ArtifactReader(step: "resnet18-train", folder: empty)) == nil)
    }
}
