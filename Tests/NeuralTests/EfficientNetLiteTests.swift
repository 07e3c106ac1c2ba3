import Foundation
import Neural
import Tensor
import Testing
import _TestSupport

/// The EfficientNet-Lite family (`EfficientNetLite.Variant`), the inference plan's trunk output and
/// the fine-tuning tail (`EfficientNetLiteTail`), against the reference's names and shapes and
/// against the training-capable layers.
@Suite struct EfficientNetLiteTests {
    /// Every variant has exactly the reference's state-dict names, order and shapes
    /// (efficientnet_lite_pytorch 0.1.0 `from_name`, fixture lite_state_shapes.json): the width
    /// rounding, the repeats and the fixed stem, head, first and last stage all enter.
    @Test(arguments: EfficientNetLite.Variant.all)
    func stateDictMatchesTheReference(variant: EfficientNetLite.Variant) throws {
        let reference = try JSONSerialization.jsonObject(with: Data(contentsOf: TestPaths.fixture("lite/lite_state_shapes.json"))) as! [String: [[Any]]]
        let expected = reference[variant.name]!.map { ($0[0] as! String, ($0[1] as! [Int])) }
        var g = SeededGenerator(seed: 1)
        let ours = stateTensors(of: EfficientNetLite(variant, using: &g)).map { ($0.name, $0.value.shape) }
        #expect(ours.count == expected.count, "\(variant.name): \(ours.count) tensors, reference \(expected.count)")
        for ((name, shape), (refName, refShape)) in zip(ours, expected) {
            // The reference stores num_batches_tracked as a 0-d tensor; ours has one element.
            #expect(name == refName && (shape == refShape || refShape.isEmpty && shape.reduce(1, *) == 1),
                    "\(variant.name): \(name) \(shape) vs \(refName) \(refShape)")
        }
    }

    @Test func variantsScaleAsTheReference() {
        // Lite2's widths: round_filters(f · 1.1) to multiples of 8; repeats ceil(1.2 r) except the
        // first and last stage.
        #expect(EfficientNetLite.Variant.lite2.stages.map(\.output) == [16, 24, 48, 88, 120, 208, 352])
        #expect(EfficientNetLite.Variant.lite2.stages.map(\.repeats) == [1, 3, 3, 4, 4, 5, 1])
        #expect(EfficientNetLite.Variant.lite1.stages.map(\.repeats) == [1, 3, 3, 4, 4, 5, 1])
        var g = SeededGenerator(seed: 2)
        #expect(EfficientNetLite(.lite0, using: &g).lastStageStart == 15)
        #expect(EfficientNetLite(.lite1, using: &g).lastStageStart == 20)
        #expect(EfficientNetLite.Variant.named("lite2") == .lite2 && EfficientNetLite.Variant.named("efficientnet-lite1") == .lite1)
        #expect(EfficientNetLite.Variant.named("lite7") == nil)
        #expect(EfficientNetLite.Variant.lite2.displayName == "EfficientNet-Lite2")
    }

    /// The layers' activations entering the last stage, evaluation mode.
    static func trunk(_ model: EfficientNetLite, _ x: Tensor) -> Tensor {
        var h = model.convStem.forward(x, training: false)
        h = model.bn0.forward(h, training: false)
        h = Tensor(shape: h.shape, data: h.data.map { min(max($0, 0), 6) })
        for block in model.blocks[..<model.lastStageStart] { h = block.forward(h, training: false) }
        return h
    }

    /// The plan's trunk features equal the layers' for Lite2 (widths not Lite0's) at its 260 (odd
    /// sides from 65 on) and a small non-square size; bit-identical per image alone or in a batch.
    ///
    /// Tolerance 3e-4 of the largest value: the same sums in another order, through the
    /// calibrated random network of Lite0InferencePlanTests, which amplifies rounding (1e-5 to
    /// 3e-5 for Lite0's 16 blocks; 1.3e-4 measured through Lite2's 20 trunk blocks at 260). With
    /// the real weights the plan is within 1e-4 of the reference (LiteWeightsParityTests); a wrong
    /// tap, padding or folding moves values by 1e-1 or more.
    @Test(arguments: [(2, 260, 260), (3, 47, 64)])
    func planTrunkFeaturesEqualTheLayers(n: Int, h: Int, w: Int) {
        let model = Lite0InferencePlanTests.model(seed: 5, variant: .lite2)
        let x = Lite0InferencePlanTests.images(n, h, w, seed: UInt64(h))
        let plan = EfficientNetLite.InferencePlan(model)
        let ours = plan.trunkFeatures(x)
        let expected = Self.trunk(model, x)
        let shape = plan.trunkShape(height: h, width: w)
        #expect(ours.shape == expected.shape && ours.shape == [n, shape.channels, shape.height, shape.width])
        #expect(shape.channels == 208)
        let error = Lite0InferencePlanTests.scaledDifference(ours, expected)
        #expect(error < 3e-4, "largest scaled difference \(error)")
        print("Lite2 trunk \(n)x\(h)x\(w): plan vs layers, largest scaled difference \(error)")
        let per = ours.count / n
        for i in 0..<n {
            let one = Tensor(shape: [1, 3, h, w], data: Array(x.data[(i * 3 * h * w)..<((i + 1) * 3 * h * w)]))
            #expect(plan.trunkFeatures(one).data == Array(ours.data[(i * per)..<((i + 1) * per)]), "image \(i)")
        }
        // The plan's pooled features still equal the layers' for this variant.
        #expect(Lite0InferencePlanTests.scaledDifference(plan.features(x), model.features(x)) < 3e-4)
    }

    /// The tail holds the model's last stage and head: on trunk features, its evaluation-mode
    /// pooled path equals the whole model's features, so the plan + tail pipeline equals
    /// model.features → new classifier.
    @Test func fineTunedPipelineEqualsTheModelWithTheNewClassifier() {
        let model = Lite0InferencePlanTests.model(seed: 9, variant: .lite1)
        var g = SeededGenerator(seed: 4)
        let tail = EfficientNetLiteTail(from: model, classes: 8, dropoutSeed: 1, using: &g)
        #expect(tail.inputChannels == 192 && tail.firstBlock == 20)
        #expect(tail.stageParameters.count == tail.stage.flatMap(\.parameters).count + 3)
        #expect(tail.headParameters.map(\.name) == ["_fc.0.weight", "_fc.0.bias", "_fc.3.weight", "_fc.3.bias"])
        #expect(tail.dropoutLayers.count == 1 && tail.dropoutLayers[0].p == 0.2)
        let x = Lite0InferencePlanTests.images(2, 48, 40, seed: 3)
        let pipeline = EfficientNetLiteFineTuned(plan: EfficientNetLite.InferencePlan(model), tail: tail)
        let ours = pipeline.logits(images: x)
        let expected = tail.classifier.forward(model.features(x), training: false)
        #expect(ours.shape == [2, 8])
        let error = Lite0InferencePlanTests.scaledDifference(ours, expected)
        #expect(error < 1e-4, "largest scaled difference \(error)")
        // The copied stage is the model's, not shared: training the tail leaves the model as it was.
        tail.stage[0].projectConv.weight.value.data[0] += 1
        #expect(model.blocks[20].projectConv.weight.value.data[0] != tail.stage[0].projectConv.weight.value.data[0])
    }

    /// A tail saved by name (safetensors) and loaded into a fresh one gives the same logits.
    @Test func tailStateRoundTripsThroughSafetensors() throws {
        let model = Lite0InferencePlanTests.model(seed: 2)
        var g = SeededGenerator(seed: 8)
        let tail = EfficientNetLiteTail(from: model, classes: 8, dropoutSeed: 1, using: &g)
        var r = SeededGenerator(seed: 1)
        let x = Tensor(shape: [3, 192, 1, 4], data: (0..<(3 * 192 * 4)).map { _ in Float.random(in: -2..<2, using: &r) })
        _ = tail.forward(x, training: true)   // moves the running statistics off the model's
        let folder = try TestPaths.temporaryFolder("tail")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("tail.safetensors")
        try SafetensorsFile.write(stateTensors(of: tail).map { ($0.name, $0.value) }, to: file)
        var other = SeededGenerator(seed: 99)
        let fresh = EfficientNetLiteTail(from: Lite0InferencePlanTests.model(seed: 3), classes: 8, dropoutSeed: 1, using: &other)
        #expect(fresh.forward(x, training: false).data != tail.forward(x, training: false).data)
        let read = try SafetensorsFile(contentsOf: file)
        try StateDict.load(Dictionary(uniqueKeysWithValues: try read.names.map { ($0, try read.tensor($0)) }), into: fresh)
        #expect(fresh.forward(x, training: false).data == tail.forward(x, training: false).data)
        #expect(StateDict.names(of: tail).first == "_blocks.15._expand_conv.weight")
    }

    /// `loadBackbone` takes every pretrained tensor but `_fc.*` into a model with a new head,
    /// and refuses weights that lack a backbone tensor.
    @Test func loadBackboneKeepsTheNewClassifier() throws {
        var g = SeededGenerator(seed: 6)
        let pretrained = EfficientNetLite(.lite0, using: &g)
        let model = EfficientNetLite(.lite0, classes: 8, using: &g)
        let fc = model.fc.weight.value
        try model.loadBackbone(StateDict.tensors(of: pretrained))
        #expect(model.fc.weight.value == fc)
        #expect(model.blocks[3].depthwiseConv.weight.value == pretrained.blocks[3].depthwiseConv.weight.value)
        var partial = StateDict.tensors(of: pretrained)
        partial["_bn1.weight"] = nil
        #expect(throws: StateDictError.missing(["_bn1.weight"])) { try model.loadBackbone(partial) }
    }
}
