import Foundation
import Neural
import Tensor
import Testing
import _TestSupport

/// Parity with PyTorch: models built here load the fixture checkpoints written by
/// Tests/Fixtures/tools/pretrained_models.py (torch, torchvision, transformers) through the
/// production safetensors reader and name maps, and reproduce PyTorch's outputs.
///
/// Tolerance: 1e-4 of the largest reference magnitude. Both sides compute in Float32 with different
/// summation orders (gemm blocking, im2col), which moves results by about 1e-6 relative; 1e-4
/// leaves room for that and still fails on any wrong weight, name or layout.
@Suite struct PretrainedParityTests {
    static func fixture(_ name: String) throws -> SafetensorsFile {
        try SafetensorsFile(contentsOf: TestPaths.fixture("pretrained/\(name).safetensors"))
    }

    /// max |ours - reference| / max |reference|.
    static func scaledError(_ ours: Tensor, _ reference: Tensor) -> Double {
        #expect(ours.shape == reference.shape, "shape \(ours.shape) vs reference \(reference.shape)")
        let scale = reference.data.map { abs(Double($0)) }.max() ?? 1
        return maxAbsDifference(ours.data, reference.data) / max(scale, 1e-12)
    }

    static let reducedViT = ViTConfiguration(imageSize: 32, patchSize: 8, layers: 2, width: 64, heads: 4, mlpWidth: 128)

    @Test func studyResNet18MatchesTorchvisionLogitsInEvalMode() throws {
        var g = SeededGenerator(seed: 1)
        let model = StudyResNet18(classes: 8, baseWidth: 8, using: &g)
        // The fixture is the study model's own state_dict: base.* and block.*.
        let report = try PretrainedWeights.load(try Self.fixture("resnet18_w8"), into: model, convention: .torchvision)
        #expect(report.loaded.count == 124 && report.missing.isEmpty && report.unexpected.isEmpty)
        let io = try Self.fixture("resnet18_w8_io")
        let logits = model.forward(try io.tensor("input"), training: false)
        let error = Self.scaledError(logits, try io.tensor("logits"))
        print("ResNet18 (width 8) logits: max scaled difference \(error)")
        #expect(error < 1e-4)
    }

    @Test func torchvisionCheckpointLoadsIntoStudyBaseWithPrefixAndIgnoredFc() throws {
        // Re-save the fixture's base as a plain torchvision ResNet18 checkpoint with an ImageNet-style fc.
        let source = try Self.fixture("resnet18_w8")
        var tensors: [(String, Tensor)] = try source.names.filter { $0.hasPrefix("base.") }
            .map { (String($0.dropFirst(5)), try source.tensor($0)) }
        tensors += [("fc.weight", Tensor(zeros: [1000, 64])), ("fc.bias", Tensor(zeros: [1000]))]
        let folder = try TestPaths.temporaryFolder("resnet-checkpoint")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("resnet18.safetensors")
        try SafetensorsFile.write(tensors, to: url)
        var g = SeededGenerator(seed: 2)
        let model = StudyResNet18(classes: 8, baseWidth: 8, using: &g)
        let report = try PretrainedWeights.load(try SafetensorsFile(contentsOf: url), into: model, convention: .torchvision,
                                                prefix: "base.", ignoring: ["fc."])
        // The new head stays at its initialisation; the ImageNet classifier is dropped on purpose.
        #expect(report.kept == ["block.0.weight", "block.0.bias", "block.3.weight", "block.3.bias"])
        #expect(report.ignored == ["fc.bias", "fc.weight"])
        #expect(report.loaded.count == 120)
        #expect(model.base.stateTensors.first?.value == (try source.tensor("base.conv1.weight")))
    }

    @Test func reducedTorchvisionViTMatchesLogitsAndClassTokenFeatures() throws {
        let file = try Self.fixture("vit_tv_small"), io = try Self.fixture("vit_tv_small_io")
        var config = Self.reducedViT
        config.classes = 8
        var g = SeededGenerator(seed: 3)
        let classifier = VisionTransformer(config, using: &g)
        try PretrainedWeights.load(file, into: classifier, convention: .torchvision)
        let logitsError = Self.scaledError(classifier.forward(try io.tensor("input"), training: false), try io.tensor("logits"))
        // Feature extractor: torchvision's heads.head = Identity gives the class token after encoder.ln.
        let extractor = VisionTransformer(Self.reducedViT, pooling: .classToken, using: &g)
        let report = try PretrainedWeights.load(file, into: extractor, convention: .torchvision, ignoring: ["heads."])
        #expect(report.ignored == ["heads.head.bias", "heads.head.weight"])
        let featureError = Self.scaledError(extractor.forward(try io.tensor("input"), training: false), try io.tensor("features"))
        print("reduced torchvision ViT: logits \(logitsError), class-token features \(featureError)")
        #expect(logitsError < 1e-4 && featureError < 1e-4)
    }

    @Test func torchvisionViTAtAnotherImageSizeMatchesInterpolateEmbeddings() throws {
        var config = Self.reducedViT
        config.imageSize = 48; config.classes = 8
        var g = SeededGenerator(seed: 4)
        let model = VisionTransformer(config, using: &g)
        let report = try PretrainedWeights.load(try Self.fixture("vit_tv_small"), into: model, convention: .torchvision)
        #expect(report.resized == ["encoder.pos_embedding"])
        let io = try Self.fixture("vit_tv_small_io")
        let error = Self.scaledError(model.forward(try io.tensor("input48"), training: false), try io.tensor("logits48"))
        print("torchvision ViT at 48x48 (bicubic, align_corners=True): logits \(error)")
        #expect(error < 1e-4)
    }

    @Test func huggingFaceViTModelMatchesLastHiddenStateAndMeanFeatures() throws {
        var config = Self.reducedViT
        config.layerNormEps = 1e-12
        var g = SeededGenerator(seed: 5)
        let model = VisionTransformer(config, pooling: .meanOfTokens, using: &g)
        let report = try PretrainedWeights.load(try Self.fixture("vit_hf_small"), into: model, convention: .huggingFaceViT)
        #expect(report.ignored == ["pooler.dense.bias", "pooler.dense.weight"])
        let io = try Self.fixture("vit_hf_small_io")
        let input = try io.tensor("input")
        let hiddenError = Self.scaledError(model.hiddenStates(input), try io.tensor("last_hidden_state"))
        let meanError = Self.scaledError(model.forward(input, training: false), try io.tensor("mean"))
        print("reduced HF ViTModel: last_hidden_state \(hiddenError), mean features \(meanError)")
        #expect(hiddenError < 1e-4 && meanError < 1e-4)
    }

    @Test func huggingFaceViTAtAnotherImageSizeMatchesInterpolatePosEncoding() throws {
        var config = Self.reducedViT
        config.layerNormEps = 1e-12; config.imageSize = 48
        var g = SeededGenerator(seed: 6)
        let model = VisionTransformer(config, pooling: .meanOfTokens, using: &g)
        try PretrainedWeights.load(try Self.fixture("vit_hf_small"), into: model, convention: .huggingFaceViT)
        let io = try Self.fixture("vit_hf_small_io")
        let error = Self.scaledError(model.forward(try io.tensor("input48"), training: false), try io.tensor("mean48"))
        print("HF ViTModel at 48x48 (bicubic, align_corners=False): mean features \(error)")
        #expect(error < 1e-4)
    }

    @Test func wrongConventionReportsMissingAndUnexpectedNames() throws {
        var g = SeededGenerator(seed: 7)
        let model = VisionTransformer(Self.reducedViT, using: &g)
        #expect {
            try PretrainedWeights.load(try Self.fixture("vit_hf_small"), into: model, convention: .torchvision)
        } throws: { error in
            let text = "\(error)"
            return text.contains("MISSING from the file: class_token") && text.contains("UNEXPECTED in the file")
                && text.contains("vit_hf_small.safetensors")
        }
    }

    @Test func studyFreezesAllButTheLastThirteenBaseTensorsAndUsesTwoLearningRates() {
        var g = SeededGenerator(seed: 8)
        let model = StudyResNet18(classes: 8, baseWidth: 8, using: &g)
        let trainable = model.base.parameters.filter(\.requiresGrad).map(\.name)
        // list(base.parameters())[:-15] with fc still present: fc.weight, fc.bias + 13 of layer4.
        #expect(trainable.count == 13)
        #expect(trainable.first == "base.layer4.0.bn1.bias")
        let headTrainable = model.block.parameters.allSatisfy { $0.requiresGrad }
        #expect(headTrainable)
        #expect(model.optimizerGroups.map(\.learningRate) == [3e-5, 8e-4])
    }
}

/// The Hugging Face map also accepts transformers 5 module names (`layers.N.attention.q_proj`).
@Suite struct HuggingFaceNamingTests {
    @Test func transformers5NamesLoadTheSameWeights() throws {
        let source = try PretrainedParityTests.fixture("vit_hf_small")
        func renamed(_ name: String) -> String {
            var n = name.replacingOccurrences(of: "encoder.layer.", with: "layers.")
            for (old, new) in [("attention.attention.query", "attention.q_proj"), ("attention.attention.key", "attention.k_proj"),
                               ("attention.attention.value", "attention.v_proj"), ("attention.output.dense", "attention.o_proj"),
                               ("intermediate.dense", "mlp.fc1"), ("output.dense", "mlp.fc2")] {
                n = n.replacingOccurrences(of: old, with: new)
            }
            return n
        }
        let folder = try TestPaths.temporaryFolder("hf5")
        defer { try? FileManager.default.removeItem(at: folder) }
        let url = folder.appendingPathComponent("v5.safetensors")
        try SafetensorsFile.write(try source.names.map { (renamed($0), try source.tensor($0)) }, to: url)
        var config = PretrainedParityTests.reducedViT
        config.layerNormEps = 1e-12
        var g = SeededGenerator(seed: 9)
        let a = VisionTransformer(config, pooling: .meanOfTokens, using: &g)
        let b = VisionTransformer(config, pooling: .meanOfTokens, using: &g)
        try PretrainedWeights.load(source, into: a, convention: .huggingFaceViT)
        try PretrainedWeights.load(try SafetensorsFile(contentsOf: url), into: b, convention: .huggingFaceViT)
        for (p, q) in zip(a.stateTensors, b.stateTensors) { #expect(p.value == q.value, "\(p.name)") }
    }
}

/// Backward parity: gradients of the mean cross-entropy match PyTorch's autograd.
@Suite struct PretrainedGradientParityTests {
    /// Runs forward/backward and returns the scaled error of every `grad.*` tensor of the fixture.
    static func compareGradients(_ model: Layer, io: SafetensorsFile, labels: [Int]) throws -> [String: Double] {
        for p in model.parameters { p.grad = Tensor(zeros: p.value.shape) }
        let logits = model.forward(try io.tensor("input"), training: false)
        let (_, dLogits) = CrossEntropyLoss()(logits, labels)
        let dInput = model.backward(dLogits)
        var errors: [String: Double] = [:]
        let byName = Dictionary(uniqueKeysWithValues: model.parameters.map { ($0.name, $0) })
        for key in io.names where key.hasPrefix("grad.") {
            let name = String(key.dropFirst(5))
            let ours = name == "input" ? dInput : try #require(byName[name], "no parameter \(name)").grad
            errors[name] = PretrainedParityTests.scaledError(ours, try io.tensor(key))
        }
        return errors
    }

    @Test func studyResNet18GradientsMatchPyTorch() throws {
        var g = SeededGenerator(seed: 30)
        let model = StudyResNet18(classes: 8, baseWidth: 8, using: &g)
        try PretrainedWeights.load(try PretrainedParityTests.fixture("resnet18_w8"), into: model, convention: .torchvision)
        for p in model.parameters { p.requiresGrad = true }
        model.computesInputGradient = true
        let errors = try Self.compareGradients(model, io: try PretrainedParityTests.fixture("resnet18_w8_io"), labels: [3, 5])
        print("ResNet18 (width 8) gradients, max scaled difference: \(errors)")
        #expect(errors.count == 7)
        #expect(errors.values.allSatisfy { $0 < 1e-4 })
    }

    @Test func reducedViTGradientsMatchPyTorch() throws {
        var config = PretrainedParityTests.reducedViT
        config.classes = 8
        var g = SeededGenerator(seed: 31)
        let model = VisionTransformer(config, using: &g)
        try PretrainedWeights.load(try PretrainedParityTests.fixture("vit_tv_small"), into: model, convention: .torchvision)
        let errors = try Self.compareGradients(model, io: try PretrainedParityTests.fixture("vit_tv_small_io"), labels: [1, 6])
        print("reduced ViT gradients, max scaled difference: \(errors)")
        #expect(errors.count == 9)
        #expect(errors.values.allSatisfy { $0 < 1e-4 })
    }
}

@Suite struct StudyResNetBackwardTests {
    @Test func stoppingBelowTheTrainableStagesGivesTheSameGradients() throws {
        // Skipping layer1-3 in backward (frozen, as autograd does) must not change any trainable gradient.
        func gradients(inputGradient: Bool) throws -> [Tensor] {
            var g = SeededGenerator(seed: 40)
            let model = StudyResNet18(classes: 8, baseWidth: 8, dropout: 0, using: &g)
            model.computesInputGradient = inputGradient
            let x = randomTensor([2, 3, 64, 64], seed: 41)
            let (_, d) = CrossEntropyLoss()(model.forward(x, training: true), [0, 7])
            let dx = model.backward(d)
            #expect(dx.shape == (inputGradient ? [2, 3, 64, 64] : [0]))
            return model.parameters.filter(\.requiresGrad).map(\.grad)
        }
        let early = try gradients(inputGradient: false), full = try gradients(inputGradient: true)
        #expect(early.count == 17 && early == full)
    }
}

@Suite struct TimmParityTests {
    @Test func reducedTimmViTMatchesLogits() throws {
        var config = PretrainedParityTests.reducedViT
        config.classes = 8
        var g = SeededGenerator(seed: 50)
        let model = VisionTransformer(config, using: &g)
        let report = try PretrainedWeights.load(try PretrainedParityTests.fixture("vit_timm_small"), into: model, convention: .timmViT)
        #expect(report.loaded.count == model.stateTensors.count)
        let io = try PretrainedParityTests.fixture("vit_timm_small_io")
        let error = PretrainedParityTests.scaledError(model.forward(try io.tensor("input"), training: false), try io.tensor("logits"))
        print("reduced timm ViT logits: max scaled difference \(error)")
        #expect(error < 1e-4)
    }
}

@Suite struct ReplacedHeadLoadingTests {
    @Test func keepingANewHeadLeavesItInitialisedAndReportsTheOldOneAsIgnored() throws {
        // The study's ViTClassifier: pretrained backbone, heads.head replaced by a fresh Linear(768, 8).
        var config = PretrainedParityTests.reducedViT
        config.classes = 3   // differs from the checkpoint's 8 classes
        var g = SeededGenerator(seed: 60)
        let model = VisionTransformer(config, using: &g)
        let freshHead = model.head!.weight.value
        let report = try PretrainedWeights.load(try PretrainedParityTests.fixture("vit_timm_small"), into: model,
                                                convention: .timmViT, keeping: ["heads.head."])
        #expect(report.kept == ["heads.head.weight", "heads.head.bias"])
        #expect(report.ignored == ["heads.head.bias", "heads.head.weight"])
        #expect(report.unexpected.isEmpty && report.missing.isEmpty)
        #expect(model.head!.weight.value == freshHead)
    }
}
