import Foundation
import Neural
import Tensor
import Testing
import _TestSupport

/// Gradient checks and basic properties of the transformer layers.
@Suite struct TransformerLayerTests {
    let check = TransformerGradientCheck()

    @Test func layerNormGradientsMatchFiniteDifferences() {
        let ln = LayerNorm(width: 6, eps: 1e-6)
        // Non-trivial affine parameters so dweight and dbias are exercised.
        ln.weight.value = randomTensor([6], seed: 1, scale: 0.5)
        ln.bias.value = randomTensor([6], seed: 2)
        let (error, worst) = check.worstError(ln, input: randomTensor([2, 3, 6], seed: 3))
        #expect(error < 2e-3, "LayerNorm worst gradient error \(error) at \(worst)")
    }

    @Test func layerNormRowsHaveZeroMeanAndUnitVariance() {
        let ln = LayerNorm(width: 8, eps: 1e-12)
        let y = ln.forward(randomTensor([5, 8], seed: 4, scale: 3), training: false)
        for r in 0..<5 {
            let row = y.data[(r * 8)..<(r * 8 + 8)].map(Double.init)
            let mean = row.reduce(0, +) / 8
            let variance = row.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / 8
            #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-4)
        }
    }

    @Test func geluGradientsMatchFiniteDifferences() {
        let (error, worst) = check.worstError(GELU(), input: randomTensor([3, 10], seed: 5, scale: 2))
        #expect(error < 2e-3, "GELU worst gradient error \(error) at \(worst)")
    }

    @Test func geluMatchesKnownValues() {
        // GELU(x) = x Φ(x): Φ(1) = 0.841344746, Φ(-2) = 0.022750132.
        let y = GELU().forward(Tensor(shape: [3], data: [0, 1, -2]), training: false)
        #expect(abs(y.data[0]) < 1e-7)
        #expect(abs(y.data[1] - 0.841344746) < 1e-6)
        #expect(abs(y.data[2] + 2 * 0.022750132) < 1e-6)
    }

    @Test func softmaxGradientsMatchFiniteDifferences() {
        let (error, worst) = check.worstError(Softmax(), input: randomTensor([4, 7], seed: 6, scale: 2))
        #expect(error < 2e-3, "Softmax worst gradient error \(error) at \(worst)")
    }

    @Test func softmaxRowsSumToOneEvenForHugeLogits() {
        let y = Softmax().forward(Tensor(shape: [2, 3], data: [1000, 1001, 1002, -5, 0, 5]), training: false)
        for r in 0..<2 { #expect(abs(y.data[(r * 3)..<(r * 3 + 3)].reduce(0, +) - 1) < 1e-6) }
        #expect(y.data.allSatisfy { $0.isFinite })
    }

    @Test func attentionGradientsMatchFiniteDifferences() {
        var g = SeededGenerator(seed: 8)
        let mha = MultiheadSelfAttention(width: 8, heads: 2, using: &g)
        mha.inProjBias.value = randomTensor([24], seed: 9, scale: 0.3)
        mha.outProjBias.value = randomTensor([8], seed: 10, scale: 0.3)
        let (error, worst) = check.worstError(mha, input: randomTensor([2, 5, 8], seed: 11))
        #expect(error < 3e-3, "Attention worst gradient error \(error) at \(worst)")
    }

    @Test func attentionIsPermutationEquivariantOverTokens() {
        // Self-attention without position information commutes with reordering the tokens.
        var g = SeededGenerator(seed: 12)
        let mha = MultiheadSelfAttention(width: 8, heads: 4, using: &g)
        let x = randomTensor([1, 4, 8], seed: 13)
        let order = [2, 0, 3, 1]
        let shuffled = Tensor(shape: x.shape, data: order.flatMap { Array(x.data[($0 * 8)..<($0 * 8 + 8)]) })
        let y = mha.forward(x, training: false), ys = mha.forward(shuffled, training: false)
        for (i, src) in order.enumerated() {
            #expect(maxAbsDifference(ys.data[(i * 8)..<(i * 8 + 8)], y.data[(src * 8)..<(src * 8 + 8)]) < 1e-5)
        }
    }

    @Test func patchEmbeddingGradientsMatchFiniteDifferences() {
        var g = SeededGenerator(seed: 14)
        let embed = PatchEmbedding(channels: 2, patchSize: 2, width: 3, using: &g)
        let (error, worst) = check.worstError(embed, input: randomTensor([2, 2, 4, 6], seed: 15))
        #expect(error < 2e-3, "Patch embedding worst gradient error \(error) at \(worst)")
    }

    @Test func classTokenEmbeddingGradientsMatchFiniteDifferences() {
        var g = SeededGenerator(seed: 16)
        let embed = ClassTokenEmbedding(patches: 3, width: 4, using: &g)
        embed.classToken.value = randomTensor([1, 1, 4], seed: 17)
        let (error, worst) = check.worstError(embed, input: randomTensor([2, 3, 4], seed: 18))
        #expect(error < 2e-3, "Class token / position embedding worst gradient error \(error) at \(worst)")
    }

    @Test func positionResizeKeepsClassRowAndIsIdentityAtSameGrid() {
        let table = randomTensor([1, 1 + 9, 2], seed: 19)
        #expect(PositionEmbeddingInterpolation.resize(table, toGrid: 3, 3, alignCorners: true) == table)
        let bigger = PositionEmbeddingInterpolation.resize(table, toGrid: 5, 5, alignCorners: true)
        #expect(bigger.shape == [1, 26, 2])
        #expect(Array(bigger.data[0..<2]) == Array(table.data[0..<2]))
        // align_corners=True maps the corners onto the corners exactly.
        #expect(abs(bigger.data[2] - table.data[2]) < 1e-6)
        #expect(abs(bigger.data[(1 + 24) * 2] - table.data[(1 + 8) * 2]) < 1e-6)
    }
}

/// Gradient checks of the composite transformer pieces.
@Suite struct TransformerModelGradientTests {
    @Test func encoderBlockGradientsMatchFiniteDifferences() {
        var g = SeededGenerator(seed: 20)
        let block = EncoderBlock(width: 8, heads: 2, mlpWidth: 12, eps: 1e-6, using: &g)
        let (error, worst) = TransformerGradientCheck().worstError(block, input: randomTensor([2, 3, 8], seed: 21))
        #expect(error < 3e-3, "EncoderBlock worst gradient error \(error) at \(worst)")
    }

    @Test func tinyViTGradientsMatchFiniteDifferencesForBothPoolings() {
        for pooling in [VisionTransformer.Pooling.classToken, .meanOfTokens] {
            var g = SeededGenerator(seed: 22)
            let config = ViTConfiguration(imageSize: 4, patchSize: 2, layers: 1, width: 8, heads: 2, mlpWidth: 8, classes: 3)
            let vit = VisionTransformer(config, pooling: pooling, using: &g)
            vit.tokens.classToken.value = randomTensor([1, 1, 8], seed: 23, scale: 0.5)
            let (error, worst) = TransformerGradientCheck().worstError(vit, input: randomTensor([2, 3, 4, 4], seed: 24))
            #expect(error < 3e-3, "ViT (\(pooling)) worst gradient error \(error) at \(worst)")
        }
    }
}
