import Foundation
import Neural
import Tensor
import Testing
import _TestSupport

@Suite struct SafetensorsTests {
    /// Builds a safetensors file by hand: header JSON and raw bytes.
    func handMade(_ header: String, _ payload: [UInt8]) -> Data {
        var d = Data()
        withUnsafeBytes(of: UInt64(header.utf8.count).littleEndian) { d.append(contentsOf: $0) }
        d.append(contentsOf: Array(header.utf8))
        d.append(contentsOf: payload)
        return d
    }

    @Test func writeThenReadRoundTripsValuesShapesAndMetadata() throws {
        let folder = try TestPaths.temporaryFolder("safetensors")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("m.safetensors")
        let a = randomTensor([2, 3], seed: 1), b = Tensor(shape: [], data: [4.5])
        try SafetensorsFile.write([("a.weight", a), ("b", b)], metadata: ["format": "pt"], to: url)
        let file = try SafetensorsFile(contentsOf: url)
        #expect(file.names == ["a.weight", "b"])
        #expect(file.metadata == ["format": "pt"])
        #expect(try file.tensor("a.weight") == a)
        #expect(try file.tensor("b") == b)
        // The data section starts 8-byte aligned, as the reference writer makes it.
        let raw = try Data(contentsOf: url)
        #expect(raw.prefix(8).enumerated().reduce(0) { $0 | Int($1.element) << (8 * $1.offset) } % 8 == 0)
        // The file holds exactly the encoded bytes (what a checkpoint artifact stores).
        #expect(raw == (try SafetensorsFile.encoded([("a.weight", a), ("b", b)], metadata: ["format": "pt"])))
    }

    @Test("a failed write names the file in plain words and leaves no temporary file (it goes through FileOps)")
    func failedWriteIsPlainWords() throws {
        let folder = try TestPaths.temporaryFolder("safetensors")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("missing/m.safetensors")
        #expect { try SafetensorsFile.write([("a", Tensor(shape: [1], data: [1]))], to: url) } throws: { error in
            let text = "\(error)"
            return text.contains("missing/m.safetensors") && !text.contains("Error Domain")
        }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path).isEmpty)
    }

    @Test func readsHalfBFloatAndDouble() throws {
        // F16 0x3C00 = 1, 0xC000 = -2, 0x0001 = 2^-24 (subnormal); BF16 0x3FC0 = 1.5; F64 0.25.
        let header = #"{"h":{"dtype":"F16","shape":[3],"data_offsets":[0,6]},"#
            + #""b":{"dtype":"BF16","shape":[1],"data_offsets":[6,8]},"#
            + #""d":{"dtype":"F64","shape":[1],"data_offsets":[8,16]}}"#
        var payload: [UInt8] = [0x00, 0x3C, 0x00, 0xC0, 0x01, 0x00, 0xC0, 0x3F]
        withUnsafeBytes(of: (0.25 as Double).bitPattern.littleEndian) { payload.append(contentsOf: $0) }
        let file = try SafetensorsFile(data: handMade(header, payload), url: URL(fileURLWithPath: "mem.safetensors"))
        #expect(try file.tensor("h").data == [1, -2, Float(sign: .plus, exponent: -24, significand: 1)])
        #expect(try file.tensor("b").data == [1.5])
        #expect(try file.tensor("d").data == [0.25])
    }

    @Test func rejectsOffsetsOutsideTheFileNamingFileAndTensor() {
        let header = #"{"w":{"dtype":"F32","shape":[4],"data_offsets":[0,16]}}"#
        let data = handMade(header, [0, 0, 0, 0, 0, 0, 0, 0])   // only 8 of the 16 bytes
        #expect {
            _ = try SafetensorsFile(data: data, url: URL(fileURLWithPath: "/x/broken.safetensors"))
        } throws: { error in
            let text = "\(error)"
            return text.contains("/x/broken.safetensors") && text.contains("'w'") && text.contains("outside")
        }
    }

    @Test func rejectsSizeThatDisagreesWithShapeAndUnknownDTypes() {
        let wrongSize = #"{"w":{"dtype":"F32","shape":[3],"data_offsets":[0,8]}}"#
        #expect(throws: SafetensorsError.self) {
            _ = try SafetensorsFile(data: handMade(wrongSize, Array(repeating: 0, count: 8)), url: URL(fileURLWithPath: "a"))
        }
        let int8 = #"{"w":{"dtype":"I8","shape":[2],"data_offsets":[0,2]}}"#
        #expect(throws: SafetensorsError.unsupportedDType(file: "/a", tensor: "w", dtype: "I8")) {
            _ = try SafetensorsFile(data: handMade(int8, [1, 2]), url: URL(fileURLWithPath: "/a"))
        }
    }

    @Test func rejectsHeaderLongerThanTheFile() {
        var d = Data()
        withUnsafeBytes(of: UInt64(1000).littleEndian) { d.append(contentsOf: $0) }
        d.append(contentsOf: Array("{}".utf8))
        #expect(throws: SafetensorsError.self) { _ = try SafetensorsFile(data: d, url: URL(fileURLWithPath: "short")) }
    }
}

/// `torch.save` checkpoints (zip + pickle) read without Python.
@Suite struct TorchCheckpointTests {
    @Test func pthStateDictMatchesTheSafetensorsCopyIncludingHalfAndStridedTensors() throws {
        let pth = try PretrainedWeights.open(TestPaths.fixture("pretrained/vit_tv_small.pth"))
        #expect(pth is TorchCheckpoint)
        let reference = try SafetensorsFile(contentsOf: TestPaths.fixture("pretrained/vit_tv_small.safetensors"))
        #expect(Set(pth.names) == Set(reference.names).union(["half.conv_proj.weight", "strided.heads.head.weight"]))
        for name in reference.names { #expect(try pth.tensor(name) == reference.tensor(name), "\(name)") }
        // Float16 rounding of the weights: relative error below 2^-11.
        let half = try pth.tensor("half.conv_proj.weight"), full = try reference.tensor("conv_proj.weight")
        #expect(half.shape == full.shape && maxRelativeDifference(half.data, full.data, floor: 1e-3) < 1e-3)
        // A transposed view (stride (1, 8)) is materialised in row-major order.
        let t = try pth.tensor("strided.heads.head.weight"), w = try reference.tensor("heads.head.weight")
        #expect(t.shape == [64, 8])
        var transposeMatches = true
        for i in 0..<64 { for j in 0..<8 where t.data[i * 8 + j] != w.data[j * 64 + i] { transposeMatches = false } }
        #expect(transposeMatches)
    }

    @Test func pthLoadsIntoTheViTWithTheTorchvisionConvention() throws {
        var config = PretrainedParityTests.reducedViT
        config.classes = 8
        var g = SeededGenerator(seed: 70)
        let model = VisionTransformer(config, using: &g)
        let report = try PretrainedWeights.load(try PretrainedWeights.open(TestPaths.fixture("pretrained/vit_tv_small.pth")),
                                                into: model, convention: .torchvision, ignoring: ["half.", "strided."])
        #expect(report.loaded.count == 32)
        let io = try PretrainedParityTests.fixture("vit_tv_small_io")
        #expect(PretrainedParityTests.scaledError(model.forward(try io.tensor("input"), training: false), try io.tensor("logits")) < 1e-4)
    }

    @Test func notAZipFileFailsWithTheFileName() throws {
        let folder = try TestPaths.temporaryFolder("pth")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("broken.pth")
        try Data(repeating: 7, count: 100).write(to: url)
        #expect { _ = try TorchCheckpoint(contentsOf: url) } throws: { "\($0)".contains("broken.pth") && "\($0)".contains("zip") }
    }
}
