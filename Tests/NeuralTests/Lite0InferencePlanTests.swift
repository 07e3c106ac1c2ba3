import Neural
import Tensor
import Testing
import _TestSupport

/// `EfficientNetLite0.InferencePlan` (folded batch norms, fused kernels, one image per worker)
/// against the training-capable layers' `EfficientNetLite0.features(_:)`.
///
/// Tolerance 1e-4 of the largest feature magnitude: the two paths compute the same Float32 sums in
/// different orders (BLAS blocking vs. im2col/Winograd layers, folded W·γ/σ vs. a separate batch
/// norm, SIMD lanes in the depthwise sums). With the real weights that is about 1.5e-6 relative
/// (WeightsImportTests); the calibrated random network here amplifies rounding more (batch norms
/// that divide by small variances, eighteen layers) and measured 1e-5 to 3e-5. A wrong tap,
/// padding side, folding or skip moves features by 1e-1 or more (images differ by 0.2 to 0.8).
@Suite struct Lite0InferencePlanTests {
    /// A random-weight Lite0 whose batch norms have non-trivial statistics and affine values, so
    /// that folding them (mean, variance, γ, β and eps all enter) is exercised. The statistics are
    /// first those of a calibration batch (one training pass with momentum 1), so that the signal
    /// reaches the head: with PyTorch's default initialisation and unit running variances each
    /// layer shrinks it, and the features would hardly depend on the image. Then they are perturbed.
    static func model(seed: UInt64, variant: EfficientNetLite.Variant = .lite0) -> EfficientNetLite {
        var g = SeededGenerator(seed: seed)
        let model = EfficientNetLite(variant, using: &g)
        var norms = [model.bn0, model.bn1]
        for block in model.blocks { norms += [block.bn0, block.bn1, block.bn2].compactMap { $0 } }
        for bn in norms { bn.momentum = 1 }
        _ = model.featureMaps(images(4, 64, 64, seed: seed + 1), training: true)
        for bn in norms {
            bn.momentum = MBConvBlock.batchNormMomentum
            for c in 0..<bn.features {
                let variance = bn.runningVar.value.data[c]
                bn.runningMean.value.data[c] += Float.random(in: -0.2...0.2, using: &g) * variance.squareRoot()
                bn.runningVar.value.data[c] = variance * Float.random(in: 0.7...1.3, using: &g)
                bn.weight.value.data[c] = Float.random(in: 0.5...1.5, using: &g)
                bn.bias.value.data[c] = Float.random(in: -0.2...0.4, using: &g)
            }
        }
        return model
    }

    static func images(_ n: Int, _ h: Int, _ w: Int, seed: UInt64) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return Tensor(shape: [n, 3, h, w], data: (0..<(n * 3 * h * w)).map { _ in Float.random(in: -2..<2, using: &g) })
    }

    /// max |a − b| / max |b|.
    static func scaledDifference(_ a: Tensor, _ b: Tensor) -> Double {
        maxAbsDifference(a.data, b.data) / Double(b.data.map { abs($0) }.max()!)
    }

    // Sizes: 224 (the study's; even sides, so SAME pads one more on the bottom/right than on the
    // top/left at every stride-2 layer), 97 (odd sides at every stage: equal padding on both sides),
    // and a small non-square 33×45 (odd and even sides mixed; planes narrower than one SIMD8 chunk).
    // Checked to fail: putting the larger half of the padding first moves the 224 features by 0.26.
    @Test(arguments: [(1, 224, 224), (3, 224, 224), (1, 97, 97), (3, 97, 97), (2, 33, 45)])
    func planFeaturesEqualTheLayers(n: Int, h: Int, w: Int) {
        let model = Self.model(seed: 7)
        let x = Self.images(n, h, w, seed: UInt64(n * 1000 + h))
        let expected = model.features(x)
        let ours = EfficientNetLite0.InferencePlan(model).features(x)
        // The plan gives the layers' pooled features, shape (N, 1280), to Float32 rounding.
        #expect(ours.shape == [n, EfficientNetLite0.featureLength])
        let error = Self.scaledDifference(ours, expected)
        #expect(error < 1e-4, "largest scaled difference \(error)")
        // The features are not degenerate and depend on the image, far beyond the tolerance
        // (otherwise the comparison would prove little about the early layers).
        #expect(Set(expected.data).count > expected.count / 3, "features nearly constant")
        let other = model.features(Self.images(1, h, w, seed: 99))
        #expect(Self.scaledDifference(Tensor(shape: [1, 1280], data: Array(expected.data.prefix(1280))), other) > 1e-2)
    }

    @Test func planFeaturesDoNotDependOnTheBatchOrRun() {
        let plan = EfficientNetLite0.InferencePlan(Self.model(seed: 11))
        let x = Self.images(3, 64, 64, seed: 5)
        let batch = plan.features(x)
        // An image's features are bit-identical alone or in a batch, and from run to run.
        for i in 0..<3 {
            let one = Tensor(shape: [1, 3, 64, 64], data: Array(x.data[(i * 3 * 64 * 64)..<((i + 1) * 3 * 64 * 64)]))
            #expect(plan.features(one).data == Array(batch.data[(i * 1280)..<((i + 1) * 1280)]), "image \(i)")
        }
        #expect(plan.features(x).data == batch.data)
    }

    @Test func aPlanIsASnapshotOfTheModel() {
        let model = Self.model(seed: 13)
        let x = Self.images(1, 40, 40, seed: 6)
        let plan = EfficientNetLite0.InferencePlan(model)
        let before = plan.features(x)
        // Weights changed after the plan was made do not reach it; a new plan sees them.
        model.bn1.bias.value.data[0] += 1
        #expect(plan.features(x).data == before.data)
        #expect(EfficientNetLite0.InferencePlan(model).features(x).data != before.data)
    }
}
