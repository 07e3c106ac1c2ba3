import Foundation
import Neural
import Testing
import _TestSupport

@Suite struct PretrainedWeightsLocationTests {
    @Test func locateFindsFlatAndHubStyleFilesAndNilOtherwise() throws {
        let folder = try TestPaths.temporaryFolder("weights")
        defer { try? FileManager.default.removeItem(at: folder) }
        #expect(PretrainedWeights.locate(in: folder, model: .resnet18ImageNet) == nil)
        let flat = folder.appendingPathComponent("resnet18.tv_in1k.safetensors")
        try Data().write(to: flat)
        #expect(PretrainedWeights.locate(in: folder, model: .resnet18ImageNet)?.path == flat.path)
        let hub = folder.appendingPathComponent("vit-base-patch16-224-in21k/model.safetensors")
        try FileManager.default.createDirectory(at: hub.deletingLastPathComponent(), withIntermediateDirectories: true)
        try Data().write(to: hub)
        #expect(PretrainedWeights.locate(in: folder, model: .vitBase16In21k)?.path == hub.path)
    }

    @Test func downloadFailsFastWithAClearMessageWhenTheServerIsUnreachable() throws {
        // Port 9 (discard) on the loopback refuses connections: the offline path without any traffic off the machine.
        let folder = try TestPaths.temporaryFolder("weights-offline")
        defer { try? FileManager.default.removeItem(at: folder) }
        let start = Date()
        #expect {
            _ = try PretrainedWeights.download(.vitBase16In21k, into: folder,
                                               from: URL(string: "http://127.0.0.1:9/model.safetensors")!, connectTimeout: 3)
        } throws: { error in
            let text = "\(error)"
            return text.contains("vit-base-patch16-224-in21k") && text.contains("127.0.0.1:9")
                && text.contains("bloodstudy fetch-weights")
        }
        #expect(Date().timeIntervalSince(start) < 10)
        #expect(PretrainedWeights.locate(in: folder, model: .vitBase16In21k) == nil)
    }
}
