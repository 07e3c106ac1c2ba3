import Testing
@testable import Neural
import Tensor
import _TestSupport

/// `EncoderInferencePlan` (ViT's encoder in inference as oneDNN primitives) against the
/// layer-by-layer path that training uses, on a reduced ViT with random weights and non-trivial
/// layer-norm scales and shifts and biases, so that every weight of a block enters.
///
/// Tolerance 1e-5 of the largest output magnitude: the two paths compute the same float32 sums in
/// different orders (oneDNN adds the bias after the product, sgemm onto a preloaded bias; their
/// erf, exp and layer-norm sums round differently). Measured: 1e-7 to 3.3e-7. A wrong stride, head
/// offset, scale or missed bias moves outputs by 1e-2 or more. The PyTorch parity tests
/// (`PretrainedParityTests`) also run through the plan when oneDNN is present.
@Suite(.enabled(if: OneDNN.shared != nil, "needs oneDNN (libdnnl.so.2) as the float32 backend"))
struct EncoderInferencePlanTests {
    static let configuration = ViTConfiguration(imageSize: 32, patchSize: 8, layers: 2, width: 64, heads: 4,
                                                mlpWidth: 128, classes: 5)

    static func model(seed: UInt64, pooling: VisionTransformer.Pooling = .classToken) -> VisionTransformer {
        var g = SeededGenerator(seed: seed)
        let model = VisionTransformer(configuration, pooling: pooling, using: &g)
        for block in model.blocks {
            for p in [block.norm1.weight, block.norm2.weight] { p.value.data = p.value.data.map { _ in Float.random(in: 0.5...1.5, using: &g) } }
            for p in [block.norm1.bias, block.norm2.bias, block.attention.inProjBias, block.attention.outProjBias,
                      block.mlpLinears.expand.bias!, block.mlpLinears.contract.bias!] {
                p.value.data = p.value.data.map { _ in Float.random(in: -0.3...0.3, using: &g) }
            }
        }
        return model
    }

    static func images(_ n: Int, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return Tensor(shape: [n, 3, 32, 32], data: (0..<(n * 3 * 32 * 32)).map { _ in Float.random(in: -2...2, using: &g) })
    }

    /// The largest difference between the plan's and the layers' outputs, relative to the largest output.
    static func planError(_ model: VisionTransformer, _ x: Tensor, hidden: Bool = false) -> Double {
        func run(_ plan: Bool) -> Tensor {
            model.usesEncoderInferencePlan = plan
            return hidden ? model.hiddenStates(x) : model.forward(x, training: false)
        }
        let reference = run(false), ours = run(true)
        model.usesEncoderInferencePlan = true
        #expect(ours.shape == reference.shape)
        let scale = reference.data.map { abs(Double($0)) }.max() ?? 1
        return maxAbsDifference(ours.data, reference.data) / scale
    }

    @Test func matchesTheLayersForBothPoolingsAndTheHiddenStates() {
        for pooling in [VisionTransformer.Pooling.classToken, .meanOfTokens] {
            let model = Self.model(seed: 1, pooling: pooling)
            let x = Self.images(3, seed: 2)
            let logits = Self.planError(model, x), hidden = Self.planError(model, x, hidden: true)
            print("encoder plan against the layers (\(pooling)): logits \(logits), hidden states \(hidden)")
            #expect(logits < 1e-5 && hidden < 1e-5, "\(pooling): logits \(logits), hidden states \(hidden)")
        }
    }

    @Test func aNewBatchSizeBuildsAPlanThatFits() {
        let model = Self.model(seed: 3)
        for n in [2, 5, 1, 5] {
            let error = Self.planError(model, Self.images(n, seed: UInt64(10 + n)))
            #expect(error < 1e-5, "batch \(n): \(error)")
        }
    }

    /// The plan binds each block's weights when it runs, so a training step between two
    /// evaluations (weights changed in place) is seen by the second.
    @Test func seesWeightsChangedAfterItWasBuilt() {
        let model = Self.model(seed: 4)
        let x = Self.images(2, seed: 5)
        let before = model.forward(x, training: false)
        let fc1 = model.blocks[1].mlpLinears.expand
        for i in stride(from: 0, to: fc1.weight.value.count, by: 7) { fc1.weight.value.data[i] += 0.5 }
        model.blocks[0].attention.inProjBias.value.data[3] -= 1
        let after = model.forward(x, training: false)
        #expect(maxAbsDifference(before.data, after.data) > 1e-3)
        #expect(Self.planError(model, x) < 1e-5)
    }

    /// Gradients of an inference pass (eval mode with autograd, as the gradient parity tests take
    /// them): backward after the plan's forward equals backward after the layers' forward.
    @Test func backwardAfterAPlannedForwardRedoesTheLayers() {
        let model = Self.model(seed: 8)
        let x = Self.images(2, seed: 9)
        func gradients(plan: Bool) -> [[Float]] {
            model.usesEncoderInferencePlan = plan
            defer { model.usesEncoderInferencePlan = true }
            for p in model.parameters { p.grad = Tensor(zeros: p.value.shape) }
            let logits = model.forward(x, training: false)
            let dx = model.backward(Tensor(shape: logits.shape, data: (0..<logits.count).map { Float($0 % 3) - 1 }))
            return [dx.data] + model.parameters.map(\.grad.data)
        }
        let planned = gradients(plan: true), layered = gradients(plan: false)
        #expect(planned.allSatisfy { $0.allSatisfy(\.isFinite) })
        #expect(planned == layered)
    }

    /// Training never takes the plan: its forward saves what backward needs.
    @Test func trainingKeepsTheLayerPath() {
        let model = Self.model(seed: 6)
        let x = Self.images(2, seed: 7)
        let trained = model.forward(x, training: true)
        model.usesEncoderInferencePlan = false
        #expect(model.forward(x, training: true).data == trained.data)
    }
}
