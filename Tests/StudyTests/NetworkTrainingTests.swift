import Foundation
import Neural
@testable import Study
import Tensor
import Testing
import _TestSupport

@Suite("Network training steps: checkpoints, resume, evaluation")
struct NetworkTrainingTests {
    /// Smoke settings with a small LightCNN and CNNModel (16x16 inputs, few channels) for three epochs,
    /// so a debug-build test trains in seconds.
    func config() throws -> StudyConfig {
        var config = try StudyFixtures.smokeConfig()
        for path in [\NetworksConfig.lightCnn, \NetworksConfig.cnn] {
            config.networks[keyPath: path].imageSize = 16
            config.networks[keyPath: path].epochs = 3
            config.networks[keyPath: path].hiddenUnits = 4
            config.networks[keyPath: path].earlyStoppingPatience = 2
        }
        return config
    }

    func runner(_ sections: [any StudySection], data: URL, cache: URL) throws -> StudyRunner {
        StudyRunner(sections: [AuditSection(), SplitSection()] + sections, config: try config(), profile: .smoke, seed: 42,
                    datasetRoot: data, cacheRoot: cache, resources: StudyFixtures.resources,
                    weights: cache.appendingPathComponent("no-weights"), progress: StudyFixtures.quietProgress())
    }

    func artifacts(_ run: StudyRun, _ id: String, cache: URL) -> ArtifactReader {
        let record = run.records.first { $0.id == id }!
        return ArtifactReader(step: id, folder: StepCache(root: cache).entry(id, record.inputHash))
    }

    @Test("an interrupted training resumes after its last finished epoch and ends with the weights of an uninterrupted run",
          arguments: [NetworkKind.lightCNN, .cnn])
    func resumeGivesSameWeights(kind: NetworkKind) throws {
        let data = try TinyDataset.make(perClass: 6)
        let straightCache = try TestPaths.temporaryFolder("net-straight")
        let resumedCache = try TestPaths.temporaryFolder("net-resumed")
        defer { for url in [data, straightCache, resumedCache] { try? FileManager.default.removeItem(at: url) } }

        let straight = try runner([NetworkTrainSection(kind)], data: data, cache: straightCache).run()
        var interrupted = NetworkTrainSection(kind)
        interrupted.stopAfterEpoch = 1
        #expect(throws: StudyError.self) { try runner([interrupted], data: data, cache: resumedCache).run() }
        let resumed = try runner([NetworkTrainSection(kind)], data: data, cache: resumedCache).run()

        let a = artifacts(straight, "\(kind.id)-train", cache: straightCache)
        let b = artifacts(resumed, "\(kind.id)-train", cache: resumedCache)
        // Exact equality: the same operations in the same order on the same values (seeded order,
        // per-epoch dropout masks, restored optimizer moments and BatchNorm statistics).
        #expect(try a.bytes(NetworkCheckpoint.artifactName) == b.bytes(NetworkCheckpoint.artifactName))
        let ha = try a.read(Neural.TrainingHistory.self, "history"), hb = try b.read(Neural.TrainingHistory.self, "history")
        #expect(ha.valLoss == hb.valLoss && ha.trainLoss == hb.trainLoss && ha.bestEpoch == hb.bestEpoch)
        #expect(try a.read(NetworkEvaluation.self, "evaluation") == b.read(NetworkEvaluation.self, "evaluation"))
        let infoA = try a.read(NetworkTrainingInfo.self, "training"), infoB = try b.read(NetworkTrainingInfo.self, "training")
        #expect(infoA.resumedAfterEpoch == nil && infoB.resumedAfterEpoch == 1)
        #expect(infoB.epochsRun == ha.epochs && ha.epochs >= 2)
        // The resume folder is gone once the step is committed.
        let resumeRoot = resumedCache.appendingPathComponent("resume").appendingPathComponent("\(kind.id)-train")
        #expect(!FileManager.default.fileExists(atPath: resumeRoot.path))
    }

    @Test("the checkpoint loads back into the same network: test probabilities are reproduced")
    func checkpointRoundTrip() throws {
        let data = try TinyDataset.make(perClass: 6)
        let cache = try TestPaths.temporaryFolder("net-ckpt")
        defer { for url in [data, cache] { try? FileManager.default.removeItem(at: url) } }
        let run = try runner([NetworkTrainSection(.cnn)], data: data, cache: cache).run()
        let reader = artifacts(run, "cnn-train", cache: cache)
        let settings = try config().networks.cnn
        let model = try NetworkCheckpoint.load(kind: .cnn, config: settings, classes: 8, from: reader)
        let evaluation = try reader.read(NetworkEvaluation.self, "evaluation")
        let split = try artifacts(run, "split", cache: cache).read(SplitSection.Split.self, "split")
        let images = try NetworkInputs.load(items: split.test, imageSize: settings.imageSize, datasetRoot: data)
        #expect(images.shape == [split.test.count, 3, 16, 16])
        #expect(images.data.allSatisfy { $0 >= 0 && $0 <= 1 })
        let probabilities = softmax(model.forward(images, training: false))
        // Same weights, same inputs, batch of all test images instead of 32: equal to float rounding.
        for i in 0..<split.test.count {
            for k in 0..<8 {
                #expect(abs(Double(probabilities.data[i * 8 + k]) - evaluation.probabilities[i][k]) < 1e-5)
            }
        }
        #expect(evaluation.paths == split.test.map(\.path))
        #expect(evaluation.labels == split.test.map(\.label))
    }
}
