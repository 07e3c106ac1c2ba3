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

    /// Drop connect (training only, blocks with a skip): each image's branch is either dropped
    /// (output = input) or kept and scaled by 1 / (1 − rate), as the reference's `drop_connect`;
    /// backward sends dy through the skip and dy · scale through the branch (whose batch norms
    /// still couple the images); evaluation mode never drops.
    @Test func dropConnectDropsOrScalesWholeImages() {
        var g = SeededGenerator(seed: 12)
        let block = MBConvBlock(inChannels: 8, outChannels: 8, expandRatio: 2, kernelSize: 3, stride: 1, using: &g)
        let n = 64
        let x = Tensor(shape: [n, 8, 3, 3], data: (0..<(n * 72)).map { _ in Float.random(in: -2..<2, using: &g) })
        // With rate 0 the output minus x is the branch (batch statistics are the same either way).
        let branch = block.forward(x, training: true).data.enumerated().map { $0.element - x.data[$0.offset] }
        block.dropConnectRate = 0.5
        block.reseedDropConnect(3)
        let y = block.forward(x, training: true)
        let dy = Tensor(shape: y.shape, data: (0..<y.count).map { _ in Float.random(in: -1..<1, using: &g) })
        let dx = block.backward(dy)
        var scale = [Float](repeating: 0, count: n)
        for i in 0..<n {
            let range = (i * 72)..<((i + 1) * 72)
            let delta = range.map { y.data[$0] - x.data[$0] }
            if !delta.allSatisfy({ $0 == 0 }) {
                scale[i] = 2
                #expect(maxAbsDifference(delta, range.map { 2 * branch[$0] }) < 1e-5, "image \(i) kept: 2 · branch")
            }
        }
        let kept = scale.filter { $0 > 0 }.count
        #expect(kept > 16 && kept < 48, "\(kept) of \(n) kept at rate 0.5")
        // The branch's gradient for dy · scale, from the same block without drop connect.
        block.dropConnectRate = 0
        _ = block.forward(x, training: true)
        let scaled = Tensor(shape: dy.shape, data: dy.data.enumerated().map { $0.element * scale[$0.offset / 72] })
        let throughBoth = block.backward(scaled)
        let expected = (0..<dy.count).map { throughBoth.data[$0] - scaled.data[$0] + dy.data[$0] }
        #expect(maxAbsDifference(dx.data, expected) < 1e-5)
        let evaluation = block.forward(x, training: false)
        #expect(stride(from: 0, to: n * 72, by: 72).allSatisfy { i in (i..<(i + 72)).contains { evaluation.data[$0] != x.data[$0] } })
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

/// GroupedConv2d's SIMD kernels (depthwise SAME; dense SAME over few channels without input
/// gradient, the stem) against its scalar loops (`usesSIMDKernels = false`), which
/// GroupedConvTests check against PyTorch. Tolerance 1e-5 of the largest value: at most 25 products
/// per output summed in another order. Odd, even and non-square sides, strides 1 and 2, with bias.
@Suite(.serialized) struct GroupedConvSIMDKernelTests {
    static func run(_ conv: GroupedConv2d, _ x: Tensor, simd: Bool) -> (y: Tensor, dx: Tensor, dw: Tensor, db: Tensor?) {
        GroupedConv2d.usesSIMDKernels = simd
        defer { GroupedConv2d.usesSIMDKernels = true }
        conv.weight.grad = Tensor(zeros: conv.weight.value.shape)
        conv.bias?.grad = Tensor(zeros: conv.bias!.value.shape)
        let y = conv.forward(x, training: true)
        var r = SeededGenerator(seed: 3)
        let dy = Tensor(shape: y.shape, data: (0..<y.count).map { _ in Float.random(in: -1..<1, using: &r) })
        let dx = conv.backward(dy)
        return (y, dx, conv.weight.grad, conv.bias?.grad)
    }

    static func error(_ a: Tensor, _ b: Tensor) -> Double {
        #expect(a.shape == b.shape)
        return maxAbsDifference(a.data, b.data) / max(b.data.map { abs(Double($0)) }.max() ?? 0, 1e-30)
    }

    @Test(arguments: [(3, 1, 9, 9), (5, 2, 11, 8), (5, 1, 2, 2), (5, 2, 4, 4), (3, 2, 17, 20)])
    func depthwiseMatchesTheScalarLoops(kernel: Int, stride: Int, h: Int, w: Int) {
        var g = SeededGenerator(seed: UInt64(kernel * 100 + h))
        let conv = GroupedConv2d(6, 6, kernelSize: kernel, stride: stride, padding: .same, groups: 6, bias: true, using: &g)
        let x = Tensor(shape: [3, 6, h, w], data: (0..<(3 * 6 * h * w)).map { _ in Float.random(in: -2..<2, using: &g) })
        let fast = Self.run(conv, x, simd: true), slow = Self.run(conv, x, simd: false)
        for (a, b, what) in [(fast.y, slow.y, "y"), (fast.dx, slow.dx, "dx"), (fast.dw, slow.dw, "dW"), (fast.db!, slow.db!, "db")] {
            #expect(Self.error(a, b) < 1e-5, "\(what)")
        }
    }

    @Test(arguments: [(3, 2, 64, 64), (3, 2, 33, 20), (3, 1, 7, 9)])
    func stemMatchesTheScalarLoops(kernel: Int, stride: Int, h: Int, w: Int) {
        var g = SeededGenerator(seed: UInt64(h))
        let conv = GroupedConv2d(3, 8, kernelSize: kernel, stride: stride, padding: .same, groups: 1, bias: true, using: &g)
        let x = Tensor(shape: [2, 3, h, w], data: (0..<(2 * 3 * h * w)).map { _ in Float.random(in: -2..<2, using: &g) })
        conv.computesInputGradient = false
        let fast = Self.run(conv, x, simd: true)
        conv.computesInputGradient = true
        let slow = Self.run(conv, x, simd: true)   // with an input gradient: the scalar loops
        #expect(fast.dx.count == 0)
        for (a, b, what) in [(fast.y, slow.y, "y"), (fast.dw, slow.dw, "dW"), (fast.db!, slow.db!, "db")] {
            #expect(Self.error(a, b) < 1e-5, "\(what)")
        }
    }
}
