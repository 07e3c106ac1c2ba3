import Testing
@testable import Neural
import Tensor
import _TestSupport

/// Winograd F(4x4, 3x3) against a direct (seven nested loops, Double) 3x3 pad-1 correlation.
///
/// Tolerance: 1e-4 of max|y|. The transforms' constants (up to 8 in Aᵀ, 1/24 in G) amplify fp32
/// rounding over plain summation, typically to ~1e-6 of max|y| for unit-scale data; 1e-4 leaves
/// room for that while still failing on any wrong tile, edge or transform entry (errors O(|y|)).
@Suite struct WinogradTests {
    /// Direct correlation (N, C, H, W) ⋆ (O, C, 3, 3), stride 1, pad 1, plus bias.
    static func direct(_ x: [Float], n: Int, c: Int, h: Int, w: Int, weights: [Float], o: Int, bias: [Float]?) -> [Double] {
        var y = [Double](repeating: 0, count: n * o * h * w)
        for s in 0..<n { for oc in 0..<o { for oh in 0..<h { for ow in 0..<w {
            var sum = Double(bias?[oc] ?? 0)
            for ic in 0..<c { for i in 0..<3 { for j in 0..<3 {
                let ih = oh - 1 + i, iw = ow - 1 + j
                guard ih >= 0, ih < h, iw >= 0, iw < w else { continue }
                sum += Double(weights[((oc * c + ic) * 3 + i) * 3 + j]) * Double(x[((s * c + ic) * h + ih) * w + iw])
            } } }
            y[((s * o + oc) * h + oh) * w + ow] = sum
        } } } }
        return y
    }

    /// Sizes not multiples of 4 (partial edge tiles), several image groups per worker.
    @Test(arguments: [(5, 16, 8, 9, 13, 384), (3, 8, 16, 4, 4, 131_072), (2, 24, 16, 7, 5, 1)])
    func correlationEqualsDirect(n: Int, c: Int, o: Int, h: Int, w: Int, budget: Int) {
        let x = GradientCheck.random([n, c, h, w], seed: 31).data
        let weights = GradientCheck.random([o, c, 3, 3], seed: 32, scale: 0.2).data
        let bias = GradientCheck.random([o], seed: 33).data
        let u = weights.withUnsafeBufferPointer {
            Winograd3x3.transformFilters($0.baseAddress!, outChannels: o, inChannels: c, flipTranspose: false)
        }
        var y = [Float](repeating: .nan, count: n * o * h * w)
        x.withUnsafeBufferPointer { xp in u.withUnsafeBufferPointer { up in y.withUnsafeMutableBufferPointer { yp in
            Winograd3x3.correlate(xp.baseAddress!, n: n, channels: c, height: h, width: w, filters: up.baseAddress!,
                                  outChannels: o, bias: bias, into: yp.baseAddress!, tileChannelsPerGroup: budget)
        } } }
        let reference = Self.direct(x, n: n, c: c, h: h, w: w, weights: weights, o: o, bias: bias)
        let scale = reference.map(abs).max()!
        #expect(maxAbsDifference(y, reference) / scale < 1e-4)
    }

    /// The weight gradient from the forward pass's saved tiles equals the direct sums
    /// dW[o, c, i, j] = Σ dy[o, p] · x[c, p + (i, j) - 1], with partial edge tiles and many groups.
    @Test(arguments: [(5, 16, 8, 9, 13, 384), (3, 8, 16, 4, 4, 131_072), (2, 24, 16, 7, 5, 1)])
    func filterGradientEqualsDirect(n: Int, c: Int, o: Int, h: Int, w: Int, budget: Int) {
        let x = GradientCheck.random([n, c, h, w], seed: 51).data
        let dy = GradientCheck.random([n, o, h, w], seed: 52).data
        let weights = GradientCheck.random([o, c, 3, 3], seed: 53, scale: 0.2).data
        let u = weights.withUnsafeBufferPointer {
            Winograd3x3.transformFilters($0.baseAddress!, outChannels: o, inChannels: c, flipTranspose: false)
        }
        let tiling = Winograd3x3.Tiling(n: n, height: h, width: w, widestChannels: max(c, o), budget: budget)
        var saved = [Float](repeating: .nan, count: tiling.savedCount(channels: c))
        var y = [Float](repeating: .nan, count: n * o * h * w)
        x.withUnsafeBufferPointer { xp in u.withUnsafeBufferPointer { up in y.withUnsafeMutableBufferPointer { yp in
            saved.withUnsafeMutableBufferPointer { sp in
                Winograd3x3.correlate(xp.baseAddress!, n: n, channels: c, height: h, width: w, filters: up.baseAddress!,
                                      outChannels: o, bias: nil, into: yp.baseAddress!, tileChannelsPerGroup: budget,
                                      savingTilesTo: sp.baseAddress!)
            }
        } } }
        #expect(!saved.contains { $0.isNaN }, "every saved tile is written")
        let dw = saved.withUnsafeBufferPointer { sp in dy.withUnsafeBufferPointer { dyp in
            Winograd3x3.filterGradient(savedTiles: sp.baseAddress!, outputGradient: dyp.baseAddress!, n: n, channels: c,
                                       height: h, width: w, outChannels: o, tileChannelsPerGroup: budget)
        } }
        var reference = [Double](repeating: 0, count: o * c * 9)
        for s in 0..<n { for oc in 0..<o { for ic in 0..<c { for i in 0..<3 { for j in 0..<3 {
            var sum = 0.0
            for oh in 0..<h { for ow in 0..<w {
                let ih = oh - 1 + i, iw = ow - 1 + j
                guard ih >= 0, ih < h, iw >= 0, iw < w else { continue }
                sum += Double(x[((s * c + ic) * h + ih) * w + iw]) * Double(dy[((s * o + oc) * h + oh) * w + ow])
            } }
            reference[((oc * c + ic) * 3 + i) * 3 + j] += sum
        } } } } }
        #expect(maxAbsDifference(dw, reference) / reference.map(abs).max()! < 1e-4)
    }

    /// An eligible Conv2d (Winograd forward and input gradient; the weight gradient by im2col on
    /// 10x7, 6 tiles, and by Winograd on 13x16, 16 tiles) equals the direct convolution and its adjoints.
    @Test(arguments: [(10, 7, false), (13, 16, true)])
    func winogradConvLayerEqualsDirect(h: Int, w: Int, winogradWeightGradient: Bool) {
        var g = SeededGenerator(seed: 41)
        let (n, c, o) = (3, 16, 24)
        let conv = Conv2d(c, o, kernelSize: 3, padding: 1, using: &g)
        let geometry = conv.geometry(for: Tensor(zeros: [1, c, h, w]))
        #expect(conv.takesWinograd(geometry))
        #expect(Winograd3x3.weightGradientWins(geometry) == winogradWeightGradient)
        let x = GradientCheck.random([n, c, h, w], seed: 42)
        let y = conv.forward(x, training: true)
        let r = GradientCheck.random(y.shape, seed: 43)
        let dx = conv.backward(r)
        let wts = conv.weight.value.data
        let yRef = Self.direct(x.data, n: n, c: c, h: h, w: w, weights: wts, o: o, bias: conv.bias!.value.data)
        // dx = r ⋆ flip(Wᵀ): the direct correlation with the flipped, transposed filters.
        var flipped = [Float](repeating: 0, count: wts.count)
        for oc in 0..<o { for ic in 0..<c { for k in 0..<9 { flipped[(ic * o + oc) * 9 + k] = wts[(oc * c + ic) * 9 + 8 - k] } } }
        let dxRef = Self.direct(r.data, n: n, c: o, h: h, w: w, weights: flipped, o: c, bias: nil)
        var dwRef = [Double](repeating: 0, count: wts.count)
        for s in 0..<n { for oc in 0..<o { for ic in 0..<c { for i in 0..<3 { for j in 0..<3 {
            var sum = 0.0
            for oh in 0..<h { for ow in 0..<w {
                let ih = oh - 1 + i, iw = ow - 1 + j
                guard ih >= 0, ih < h, iw >= 0, iw < w else { continue }
                sum += Double(x.data[((s * c + ic) * h + ih) * w + iw]) * Double(r.data[((s * o + oc) * h + oh) * w + ow])
            } }
            dwRef[((oc * c + ic) * 3 + i) * 3 + j] += sum
        } } } } }
        #expect(maxAbsDifference(conv.weight.grad.data, dwRef) / dwRef.map(abs).max()! < 1e-4)
        #expect(maxAbsDifference(y.data, yRef) / yRef.map(abs).max()! < 1e-4)
        #expect(maxAbsDifference(dx.data, dxRef) / dxRef.map(abs).max()! < 1e-4)
    }
}
