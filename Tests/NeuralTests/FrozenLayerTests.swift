import Testing
@testable import Neural
import Tensor

/// The shortcuts frozen layers take in training, each against the plain path it replaces: they must
/// give the same values bit for bit, and drop only work nothing uses.
@Suite struct FrozenLayerTests {
    /// A convolution that skips its input gradient accumulates exactly the same weight and bias
    /// gradients, on the Winograd path (3x3 stride 1) and the im2col paths (stride 2, 1x1 stride 2).
    @Test(arguments: [(3, 1, 1), (3, 2, 1), (1, 2, 0)])
    func skippingTheInputGradientKeepsTheParameterGradients(kernel: Int, stride: Int, padding: Int) {
        func gradients(inputGradient: Bool) -> (dx: Tensor, dw: [Float], db: [Float]) {
            var g = SeededGenerator(seed: 70)
            let conv = Conv2d(16, 24, kernelSize: kernel, stride: stride, padding: padding, using: &g)
            conv.computesInputGradient = inputGradient
            let x = GradientCheck.random([3, 16, 13, 16], seed: 71)
            let y = conv.forward(x, training: true)
            let dx = conv.backward(GradientCheck.random(y.shape, seed: 72))
            return (dx, conv.weight.grad.data, conv.bias!.grad.data)
        }
        let skipped = gradients(inputGradient: false), full = gradients(inputGradient: true)
        #expect(skipped.dx.shape == [0] && full.dx.shape == [3, 16, 13, 16])
        #expect(skipped.dw == full.dw && skipped.db == full.db)
    }

    /// A frozen Winograd layer reuses its transformed filters, and recomputes them when its weights
    /// change in place or are replaced: every forward equals a trainable twin's.
    @Test func frozenWinogradFiltersFollowTheWeights() {
        var g = SeededGenerator(seed: 73)
        let frozen = Conv2d(16, 16, kernelSize: 3, padding: 1, using: &g)
        let twin = Conv2d(16, 16, kernelSize: 3, padding: 1, using: &g)
        frozen.weight.requiresGrad = false
        let x = GradientCheck.random([2, 16, 9, 9], seed: 74)
        func check(_ note: String) {
            twin.weight.value = frozen.weight.value
            twin.bias!.value = frozen.bias!.value
            #expect(frozen.forward(x, training: true) == twin.forward(x, training: true), "\(note)")
        }
        check("first forward")
        check("cached filters")
        frozen.weight.value.data[5] += 0.5
        check("after an in-place change")
        frozen.weight.value = GradientCheck.random(frozen.weight.value.shape, seed: 75)
        check("after replacing the weights")
        // The input gradient's (flipped) filters are cached and follow the weights the same way.
        let r = GradientCheck.random([2, 16, 9, 9], seed: 76)
        for round in 0..<2 {
            if round == 1 { frozen.weight.value.data[0] -= 1 }
            twin.weight.value = frozen.weight.value
            _ = frozen.forward(x, training: true); _ = twin.forward(x, training: true)
            #expect(frozen.backward(r) == twin.backward(r), "input gradient, round \(round)")
        }
    }

    /// BatchNorm2d with its ReLU fused (as `Sequential` and `BasicBlock` run them) gives the values,
    /// running statistics and gradients of the two layers run one after the other.
    @Test(arguments: [true, false])
    func fusedBatchNormAndReLUEqualTheTwoLayers(training: Bool) {
        func run(fused: Bool) -> (y: Tensor, dx: Tensor, stats: [Float], grads: [Float]) {
            let norm = BatchNorm2d(6), relu = ReLU()
            norm.weight.value = GradientCheck.random([6], seed: 77)
            norm.bias.value = GradientCheck.random([6], seed: 78)
            var x = GradientCheck.random([3, 6, 5, 7], seed: 79)
            x.data[4] = .nan; x.data[9] = -0.0
            let y = fused ? relu.adopt(norm.forward(x, training: training, thenReLU: true))
                          : relu.forward(norm.forward(x, training: training), training: training)
            let dx = norm.backward(relu.backward(GradientCheck.random(y.shape, seed: 80)))
            return (y, dx, norm.runningMean.value.data + norm.runningVar.value.data, norm.weight.grad.data + norm.bias.grad.data)
        }
        let fused = run(fused: true), separate = run(fused: false)
        func same(_ a: [Float], _ b: [Float]) -> Bool { a.map(\.bitPattern) == b.map(\.bitPattern) }
        #expect(same(fused.y.data, separate.y.data))
        #expect(same(fused.dx.data, separate.dx.data))
        #expect(same(fused.stats, separate.stats) && same(fused.grads, separate.grads))
    }
}

