import Foundation
import Neural
import Tensor
import Testing
import _TestSupport

/// The legacy (non-zip) `torch.save` format, against files written by
/// Tests/Fixtures/tools/lite0_fixtures.py with `_use_new_zipfile_serialization=False`.
@Suite struct LegacyCheckpointTests {
    static let small = TestPaths.fixture("lite0/legacy_small.pth")

    @Test func legacyStateDictMatchesTheSafetensorsCopyIncludingHalfLongAndStridedTensors() throws {
        let pth = try TorchCheckpoint(contentsOf: Self.small)
        #expect(pth.isLegacy)
        let reference = try SafetensorsFile(contentsOf: TestPaths.fixture("lite0/legacy_small.safetensors"))
        #expect(Set(pth.names) == Set(reference.names))
        // Exact: float32 copied bit for bit, float16 and int64 values exactly representable in float32.
        for name in reference.names { #expect(try pth.tensor(name) == reference.tensor(name), "\(name)") }
        #expect(try pth.tensor("view").shape == [3, 4])
        #expect(try pth.tensor("bn.num_batches_tracked").data == [7])
    }

    @Test func truncatedLegacyFileFailsNamingTheFile() throws {
        let folder = try TestPaths.temporaryFolder("legacy")
        defer { try? FileManager.default.removeItem(at: folder) }
        let bytes = try Data(contentsOf: Self.small)
        // Cut inside the raw storages, and inside the state-dict pickle.
        for cut in [bytes.count - 10, 300] {
            let url = folder.appendingPathComponent("cut\(cut).pth")
            try bytes.prefix(cut).write(to: url)
            #expect { _ = try TorchCheckpoint(contentsOf: url) } throws: {
                "\($0)".contains("cut\(cut).pth") && "\($0)".contains("truncated")
            }
        }
    }

    @Test func unknownGlobalIsRefusedNamingTheGlobalAndTheFile() throws {
        let url = TestPaths.fixture("lite0/legacy_unknown_global.pth")
        #expect { _ = try TorchCheckpoint(contentsOf: url) } throws: {
            "\($0)".contains("legacy_unknown_global.pth") && "\($0)".contains("collections.Counter")
        }
    }
}
