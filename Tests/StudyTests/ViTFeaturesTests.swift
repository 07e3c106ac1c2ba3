import Foundation
import Imaging
import Neural
import Report
@testable import Study
import Tensor
import Testing
import _TestSupport

/// The ViT-B/16 branch of the deep-features step: the extractor on a tiny ViT, the backbone choice
/// without any model, and the step end to end with a tiny ViT written as a timm checkpoint.
@Suite("ViT deep features: extractor, backbone choice, step")
struct ViTFeaturesTests {
    /// 2 blocks of width 16 on 32x32 images (4x4 patches of 8): 17 tokens, built in milliseconds.
    static let tiny = ViTConfiguration(imageSize: 32, patchSize: 8, layers: 2, width: 16, heads: 2, mlpWidth: 32, layerNormEps: 1e-12)

    static func images(_ data: URL) throws -> [URL] {
        try FileManager.default.subpathsOfDirectory(atPath: data.path).filter { $0.hasSuffix(".jpg") && !$0.contains(".DS_") }
            .sorted().map { data.appendingPathComponent($0) }
    }

    static func largestDifference(_ a: [Float], _ b: [Float]) -> Float {
        precondition(a.count == b.count)
        return zip(a, b).map { abs($0 - $1) }.max() ?? 0
    }

    @Test("class token and token mean are what the model's own poolings give on the study's preprocessing")
    func poolingsMatchTheModel() throws {
        let data = try TinyDataset.make(perClass: 2)
        defer { try? FileManager.default.removeItem(at: data) }
        let urls = try Self.images(data)
        var g = SeededGenerator(seed: 3)
        let model = VisionTransformer(Self.tiny, using: &g)
        let extractor = ViTFeatureExtractor(model: model, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], batchSize: 5)
        var reported: [Int] = []
        let features = try extractor.features(of: urls) { done, total in #expect(total == urls.count); reported.append(done) }

        // Progress rises batch by batch to the total.
        #expect(reported == [5, 10, 15, 16])
        #expect(features.classToken.rows == 16 && features.classToken.columns == 16 && features.meanOfTokens.rows == 16)

        // Reference: each image preprocessed by hand (RGB, Pillow-bilinear 32x32, (x - 0.5) / 0.5),
        // then the model's forward with torchvision's class-token pooling and with the token mean.
        let inputs = try urls.map { url -> [Float] in
            let rgb = try StudyPreprocessing.rgb(contentsOf: url, side: 32)
            return rgb.tensorCHW().data.map { ($0 - 0.5) / 0.5 }
        }
        let batch = Tensor(shape: [urls.count, 3, 32, 32], data: inputs.flatMap { $0 })
        model.pooling = .classToken
        let cls = model.forward(batch, training: false)
        model.pooling = .meanOfTokens
        let mean = model.forward(batch, training: false)
        let dCls = Self.largestDifference(features.classToken.storage, cls.data)
        let dMean = Self.largestDifference(features.meanOfTokens.storage, mean.data)
        #expect(dCls < 1e-5, "largest class-token difference \(dCls)")
        #expect(dMean < 1e-5, "largest token-mean difference \(dMean)")

        // The two poolings differ, and images differ from each other (nothing constant came out).
        #expect(Self.largestDifference(features.classToken.storage, features.meanOfTokens.storage) > 1e-3)
        #expect(Self.largestDifference(Array(features.classToken.storage.prefix(16)), Array(features.classToken.storage[16..<32])) > 1e-3)

        // The checkpoint's normalisation is applied: ImageNet mean/std give other features.
        let imagenet = ViTFeatureExtractor(model: model, mean: [0.485, 0.456, 0.406], std: [0.229, 0.224, 0.225], batchSize: 16)
        let other = try imagenet.features(of: urls) { _, _ in }
        #expect(Self.largestDifference(other.classToken.storage, features.classToken.storage) > 1e-3)
    }

    @Test("the batch size does not change the features; an unreadable image is named in the error")
    func batchingAndErrors() throws {
        let data = try TinyDataset.make(perClass: 2)
        defer { try? FileManager.default.removeItem(at: data) }
        let urls = try Self.images(data)
        var g = SeededGenerator(seed: 4)
        let model = VisionTransformer(Self.tiny, using: &g)
        let one = try ViTFeatureExtractor(model: model, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], batchSize: 1).features(of: urls) { _, _ in }
        // 16 images in one batch go through the network in chunks of `forwardChunk`.
        let all = try ViTFeatureExtractor(model: model, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], batchSize: 16).features(of: urls) { _, _ in }
        #expect(Self.largestDifference(one.classToken.storage, all.classToken.storage) < 1e-5)
        #expect(Self.largestDifference(one.meanOfTokens.storage, all.meanOfTokens.storage) < 1e-5)

        let stray = data.appendingPathComponent("neutrophil/.DS_169665.jpg")
        let extractor = ViTFeatureExtractor(model: model, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], batchSize: 4)
        do {
            _ = try extractor.features(of: [urls[0], stray]) { _, _ in }
            Issue.record("a text file was accepted as an image")
        } catch let error as ViTFeatureExtractor.ExtractionError {
            #expect(error.description.contains(".DS_169665.jpg"))
        }
    }

    @Test("the backbone choice: ViT-B/16 when present (the study's checkpoint per role first), else the substitute, else none; the profile's choice is honoured")
    func choice() {
        let tv = PretrainedModel.vitBase16Torchvision, hf = PretrainedModel.vitBase16In21k, timm = PretrainedModel.vitBase16ImageNet
        // vit-b16: each role takes the study's own checkpoint when present.
        #expect(DeepFeaturesPlan.choose(.vitB16, vitPresent: [tv, hf, timm], substitutePresent: true) == .vit(classifier: tv, eda: hf))
        #expect(DeepFeaturesPlan.choose(.vitB16, vitPresent: [hf], substitutePresent: true) == .vit(classifier: hf, eda: hf))
        #expect(DeepFeaturesPlan.choose(.vitB16, vitPresent: [tv], substitutePresent: false) == .vit(classifier: tv, eda: tv))
        #expect(DeepFeaturesPlan.choose(.vitB16, vitPresent: [timm, hf], substitutePresent: false) == .vit(classifier: timm, eda: hf))
        // Without ViT-B/16 weights (ResNet18's do not count): the substitute, else none.
        #expect(DeepFeaturesPlan.choose(.vitB16, vitPresent: [.resnet18ImageNet], substitutePresent: true) == .substitute(vitPresent: false))
        #expect(DeepFeaturesPlan.choose(.vitB16, vitPresent: [], substitutePresent: false) == .none(vitPresent: false))
        // efficientnet-lite0: the substitute even with ViT-B/16 weights present, and never ViT when it is absent.
        #expect(DeepFeaturesPlan.choose(.efficientNetLite0, vitPresent: [tv, hf], substitutePresent: true) == .substitute(vitPresent: true))
        #expect(DeepFeaturesPlan.choose(.efficientNetLite0, vitPresent: [tv], substitutePresent: false) == .none(vitPresent: true))
        #expect(DeepFeaturesPlan.choose(.efficientNetLite0, vitPresent: [], substitutePresent: true) == .substitute(vitPresent: false))
    }

    @Test("the step's inputs name the ViT-B/16 files present, so adding weights re-runs it")
    func inputsFollowTheWeights() throws {
        let weights = try TestPaths.temporaryFolder("vitweights")
        defer { try? FileManager.default.removeItem(at: weights) }
        let config = try StudyFixtures.smokeConfig()
        let section = DeepFeaturesSection()
        let before = section.inputs(config, weights: weights)
        try Data(count: 10).write(to: weights.appendingPathComponent(PretrainedModel.resnet18ImageNet.fileName))
        #expect(section.inputs(config, weights: weights) == before)
        // Both locations `PretrainedWeights.locate` knows: the file name and Hugging Face's cache layout.
        let hfFolder = weights.appendingPathComponent(PretrainedModel.vitBase16In21k.rawValue)
        try FileManager.default.createDirectory(at: hfFolder, withIntermediateDirectories: true)
        try Data(count: 12).write(to: hfFolder.appendingPathComponent("model.safetensors"))
        let withHF = section.inputs(config, weights: weights)
        #expect(withHF != before)
        try Data(count: 14).write(to: weights.appendingPathComponent(PretrainedModel.vitBase16Torchvision.fileName))
        #expect(section.inputs(config, weights: weights) != withHF)
        #expect(DeepFeaturesSection.vitFiles(in: weights) == ["model.safetensors 12", "vit_b_16-c867db91.pth 14"])
    }

    /// Our (torchvision) parameter names as timm names them (the inverse of `CheckpointConvention.timmViT`).
    static func timmName(_ ours: String) -> String {
        let top = ["class_token": "cls_token", "encoder.pos_embedding": "pos_embed", "conv_proj.weight": "patch_embed.proj.weight",
                   "conv_proj.bias": "patch_embed.proj.bias", "encoder.ln.weight": "norm.weight", "encoder.ln.bias": "norm.bias"]
        if let name = top[ours] { return name }
        var name = ours.replacingOccurrences(of: "encoder.layers.encoder_layer_", with: "blocks.")
        for (from, to) in [("ln_1.", "norm1."), ("ln_2.", "norm2."), ("self_attention.in_proj_weight", "attn.qkv.weight"),
                           ("self_attention.in_proj_bias", "attn.qkv.bias"), ("self_attention.out_proj.", "attn.proj."),
                           ("mlp.0.", "mlp.fc1."), ("mlp.3.", "mlp.fc2.")] {
            name = name.replacingOccurrences(of: from, with: to)
        }
        return name
    }

    func runStep(backbone: FeatureBackbone, weights: URL, data: URL, cache: URL) throws -> StudyRun {
        var config = try StudyFixtures.smokeConfig()
        config.vitFeatures.backbone = backbone
        config.vitFeatures.imageSize = 32   // the tiny ViT's input (4 patches of 8x8)
        var section = DeepFeaturesSection()
        section.vitConfiguration = { _, side in ViTConfiguration(imageSize: side, patchSize: 8, layers: 2, width: 16, heads: 2, mlpWidth: 32) }
        return try StudyRunner(sections: [AuditSection(), SplitSection(), BackboneSurveySection(), section], config: config, profile: .smoke, seed: 42,
                               datasetRoot: data, cacheRoot: cache, resources: StudyFixtures.resources, weights: weights,
                               progress: StudyFixtures.quietProgress()).run()
    }

    @Test("with ViT weights the step writes class tokens as features and token means as eda_features, says which checkpoint, and honours a profile that chose the substitute")
    func stepWithTinyViT() throws {
        let root = try TestPaths.temporaryFolder("vitstep")
        let data = try TinyDataset.make(perClass: 10)
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: data) }
        // A tiny ViT written as timm's checkpoint (the one ViT-B/16 file published as safetensors with timm names).
        let weights = root.appendingPathComponent("weights")
        try FileManager.default.createDirectory(at: weights, withIntermediateDirectories: true)
        var g = SeededGenerator(seed: 5)
        let model = VisionTransformer(ViTConfiguration(imageSize: 32, patchSize: 8, layers: 2, width: 16, heads: 2, mlpWidth: 32), using: &g)
        let file = weights.appendingPathComponent(PretrainedModel.vitBase16ImageNet.fileName)
        try SafetensorsFile.write(model.stateTensors.map { (Self.timmName($0.name), $0.value) }, to: file)

        let cache = root.appendingPathComponent("cache")
        let run = try runStep(backbone: .vitB16, weights: weights, data: data, cache: cache)
        let result = run.results["deep-features"]!
        let record = run.records.first { $0.id == "deep-features" }!
        let step = ArtifactReader(step: "deep-features", folder: StepCache(root: cache).entry("deep-features", record.inputHash))
        let index = try step.read(DeepFeaturesIndex.self, "index")
        let features = try step.readMatrix("features"), eda = try step.readMatrix("eda_features")
        let sha = SHA256.hex(try Data(contentsOf: file))
        #expect(index.backbone == "vit-b16" && index.weightsSHA256 == sha && index.edaWeightsSHA256 == sha && index.imageSize == 32)
        #expect(features.rows == 80 && features.columns == 16 && eda.rows == 80 && eda.columns == 16)

        // The rows are the split's images through the checkpoint's recipe (timm: mean/std 0.5).
        let urls = index.paths.map { data.appendingPathComponent($0) }
        let direct = try ViTFeatureExtractor(model: model, mean: [0.5, 0.5, 0.5], std: [0.5, 0.5, 0.5], batchSize: 8).features(of: urls) { _, _ in }
        #expect(Self.largestDifference(features.storage, direct.classToken.storage) < 1e-5)
        #expect(Self.largestDifference(eda.storage, direct.meanOfTokens.storage) < 1e-5)

        // The page and results.json name ViT-B/16 and the file's hash; no substitute row, but a row
        // per role whose study checkpoint was absent (timm stood in for both).
        let headlines = Dictionary(uniqueKeysWithValues: result.headlines.map { ($0.key, $0.value) })
        #expect(headlines["deep_features.backbone"] == .string("vit-b16") && headlines["vit.pretrained"] == .bool(true))
        #expect(headlines["vit.feature_length"] == .int(16))
        let text = result.cells.map { if case let .markdown(m) = $0 { m } else { "" } }.joined()
        #expect(text.contains(sha) && text.contains(PretrainedModel.vitBase16ImageNet.fileName))
        #expect(!result.deviations.contains { $0.thisRun.contains("EfficientNet") })
        #expect(result.deviations.count == 2 && result.deviations.allSatisfy { $0.thisRun.contains("timm") })

        // The profile chose the substitute, which is absent: no features, and the page says the ViT weights were not used.
        let other = try runStep(backbone: .efficientNetLite0, weights: weights, data: data, cache: root.appendingPathComponent("cache2"))
        let skipped = other.results["deep-features"]!
        #expect(skipped.headlines.contains { $0.key == "deep_features.backbone" && $0.value == .string("none") })
        #expect(skipped.deviations.contains { $0.why.contains("ViT-B/16 weights present were not used") })
    }
}
