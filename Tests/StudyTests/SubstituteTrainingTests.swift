import Foundation
import Neural
@testable import Study
import Tensor
import Testing
import _TestSupport

/// The study's two fine-tuning recipes on a substitute backbone (EfficientNet-Lite), run as the
/// ResNet18 and ViT-B/16 training steps when the study's ImageNet checkpoints are absent.
///
/// The backbone's "ImageNet weights" here are a seeded random EfficientNet-Lite0 saved where
/// `import-weights` puts the real ones: what these tests pin down is the plumbing (which network
/// runs, what is frozen, what is saved and reloaded, what the page says), not the weights' quality.
@Suite("Substitute backbones: the study's recipes on EfficientNet-Lite")
struct SubstituteTrainingTests {
    static let side = 32

    func config() throws -> StudyConfig {
        var config = try StudyFixtures.smokeConfig()
        for path in [\NetworksConfig.resnet18, \NetworksConfig.vit] {
            config.networks[keyPath: path].pretrained = true
            config.networks[keyPath: path].substitute = SubstituteNetworkConfig(
                backbone: "efficientnet-lite0", imageSize: Self.side, epochs: 2, trainImagesPerClass: 0, evalImagesPerClass: 0)
        }
        return config
    }

    /// A weights folder holding a seeded EfficientNet-Lite0 as `efficientnet-lite0.safetensors`.
    func weightsFolder(in root: URL) throws -> URL {
        let folder = root.appendingPathComponent("weights")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        var g = SeededGenerator(seed: 11)
        let model = EfficientNetLite(.lite0, using: &g)
        try SafetensorsFile.write(model.stateTensors.map { ($0.name, $0.value) },
                                  to: folder.appendingPathComponent("efficientnet-lite0.safetensors"))
        return folder
    }

    func runner(_ sections: [any StudySection], data: URL, cache: URL, weights: URL) throws -> StudyRunner {
        StudyRunner(sections: [AuditSection(), SplitSection()] + sections, config: try config(), profile: .smoke, seed: 42,
                    datasetRoot: data, cacheRoot: cache, resources: StudyFixtures.resources,
                    weights: weights, progress: StudyFixtures.quietProgress())
    }

    func artifacts(_ run: StudyRun, _ id: String, cache: URL) -> ArtifactReader {
        let record = run.records.first { $0.id == id }!
        return ArtifactReader(step: id, folder: StepCache(root: cache).entry(id, record.inputHash))
    }

    @Test("each recipe trains, records what ran, and its saved network reproduces the test probabilities from raw images",
          arguments: [NetworkKind.resnet18, .vit])
    func recipeRunsAndReloads(kind: NetworkKind) throws {
        let data = try TinyDataset.make(perClass: 6)
        let cache = try TestPaths.temporaryFolder("substitute")
        defer { for url in [data, cache] { try? FileManager.default.removeItem(at: url) } }
        let weights = try weightsFolder(in: cache)
        let run = try runner([NetworkTrainSection(kind, weights: weights)], data: data, cache: cache, weights: weights).run()
        let reader = artifacts(run, "\(kind.id)-train", cache: cache)

        // What ran is recorded: the substitute, the study's recipe, this size, from the imported weights.
        let info = try reader.read(NetworkTrainingInfo.self, "training")
        #expect(info.substitute?.backbone == "efficientnet-lite0")
        #expect(info.substitute?.recipe == kind.fineTuningRecipe)
        #expect(info.pretrained && info.imageSize == Self.side && info.epochsRun == 2)
        #expect(info.weights.hasPrefix("EfficientNet-Lite0 ImageNet weights efficientnet-lite0.safetensors sha256 "))
        if kind == .resnet18 {
            // Partial: far fewer trained parameters than the whole network (the trunk is frozen).
            #expect(info.trainableParameters > 0 && info.trainableParameters < info.parameters / 2)
            #expect((info.substitute?.trunkSeconds ?? 0) > 0)
        } else {
            #expect(info.trainableParameters == info.parameters)
        }
        let summary = try reader.read(ModelSummary.self, "summary")
        #expect(summary.substituteBackbone == "efficientnet-lite0")
        #expect(summary.displayName == "\(kind.displayName) recipe on EfficientNet-Lite0")

        // The saved network takes the study's [0, 1] inputs and normalises them itself, so SHAP and
        // any later evaluation see what the training step evaluated.
        let settings = kind.config(try config())
        let model = try NetworkCheckpoint.load(kind: kind, config: settings, classes: 8, from: reader)
        let evaluation = try reader.read(NetworkEvaluation.self, "evaluation")
        let split = try artifacts(run, "split", cache: cache).read(SplitSection.Split.self, "split")
        let images = try NetworkInputs.load(items: split.test, imageSize: Self.side, datasetRoot: data)
        let probabilities = softmax(model.forward(images, training: false))
        var worst = 0.0
        for i in 0..<split.test.count {
            for k in 0..<8 { worst = max(worst, abs(Double(probabilities.data[i * 8 + k]) - evaluation.probabilities[i][k])) }
        }
        // Same weights and pixels; the inputs are normalised in another order (float rounding) and the
        // partial recipe's trunk runs batched instead of per image.
        #expect(worst < 1e-4, "largest probability difference \(worst)")
    }

    @Test("an interrupted partial fine-tuning resumes after its last epoch with the weights of an uninterrupted run")
    func partialRecipeResumes() throws {
        let data = try TinyDataset.make(perClass: 6)
        let cache = try TestPaths.temporaryFolder("substitute-resume")
        defer { for url in [data, cache] { try? FileManager.default.removeItem(at: url) } }
        let weights = try weightsFolder(in: cache)
        let straightCache = cache.appendingPathComponent("a"), resumedCache = cache.appendingPathComponent("b")
        let straight = try runner([NetworkTrainSection(.resnet18, weights: weights)], data: data, cache: straightCache, weights: weights).run()
        var interrupted = NetworkTrainSection(.resnet18, weights: weights)
        interrupted.stopAfterEpoch = 1
        #expect(throws: StudyError.self) { try runner([interrupted], data: data, cache: resumedCache, weights: weights).run() }
        let resumed = try runner([NetworkTrainSection(.resnet18, weights: weights)], data: data, cache: resumedCache, weights: weights).run()
        let a = artifacts(straight, "resnet18-train", cache: straightCache), b = artifacts(resumed, "resnet18-train", cache: resumedCache)
        #expect(try a.bytes(NetworkCheckpoint.artifactName) == b.bytes(NetworkCheckpoint.artifactName))
        #expect(try b.read(NetworkTrainingInfo.self, "training").resumedAfterEpoch == 1)
    }

    @Test("the study's own checkpoint wins over the substitute; 'none' or absent substitute weights train from random initialisation")
    func whichNetworkRuns() throws {
        let root = try TestPaths.temporaryFolder("substitute-resolve")
        defer { try? FileManager.default.removeItem(at: root) }
        let weights = try weightsFolder(in: root)
        var settings = try config().networks.resnet18
        #expect(try SubstituteBackbone.resolve(.resnet18, settings: settings, folder: weights)?.variant == .lite0)
        #expect(try SubstituteBackbone.resolve(.cnn, settings: settings, folder: weights) == nil)
        #expect(try SubstituteBackbone.resolve(.resnet18, settings: settings, folder: root.appendingPathComponent("empty")) == nil)
        settings.substitute?.backbone = "none"
        #expect(try SubstituteBackbone.resolve(.resnet18, settings: settings, folder: weights) == nil)
        settings.substitute?.backbone = "efficientnet-b7"
        #expect(throws: StudyError.self) { try SubstituteBackbone.resolve(.resnet18, settings: settings, folder: weights) }
        settings.substitute?.backbone = "efficientnet-lite0"
        try Data().write(to: weights.appendingPathComponent(PretrainedModel.resnet18ImageNet.fileName))
        #expect(try SubstituteBackbone.resolve(.resnet18, settings: settings, folder: weights) == nil)
    }

    @Test("the page's first paragraph says which network and weights ran, and why")
    func pageSaysWhatRan() throws {
        let settings = try config().networks.resnet18
        let info = NetworkTrainingInfo(key: "resnet18", name: "ResNet18", parameters: 4_000_000, trainableParameters: 1_000_000,
                                       imageSize: 224, epochsRun: 8, epochsPlanned: 8, bestEpoch: nil, stoppedEarly: false,
                                       optimizer: "AdamW", pretrained: true, weights: "EfficientNet-Lite0 ImageNet weights x",
                                       trainSeconds: 10, evaluationSeconds: 1, trainImages: 100, validationImages: 20,
                                       testImages: 20, resumedAfterEpoch: nil,
                                       substitute: SubstituteRun(backbone: "efficientnet-lite0", recipe: .partial, trunkSeconds: 3))
        let text = NetworkPage.introduction(.resnet18, info: info, settings: settings)
        let firstParagraph = text.components(separatedBy: "\n\n").dropFirst().first ?? ""
        #expect(firstParagraph.hasPrefix("**What ran: ResNet18's fine-tuning recipe on EfficientNet-Lite0 with its ImageNet weights"))
        #expect(text.contains("cannot be downloaded"))
        #expect(NetworkPage.captionNote(.resnet18, info: info).hasPrefix("ResNet18's recipe on EfficientNet-Lite0, ImageNet weights"))
    }
}
