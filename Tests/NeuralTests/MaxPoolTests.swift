import Testing
import Tensor
@testable import Neural

/// MaxPool2d against a plain row-major scan of every window, with NaNs and ties among the inputs and
/// sizes that leave partial vectors, several whole ones, and rows and columns no window covers:
/// the forward pass (16-lane column maxima, then window maxima) and the backward pass (the general
/// scatter, and the path for windows that tile the input).
@Suite struct MaxPoolTests {
    static func scan(_ x: [Float], n: Int, c: Int, h: Int, w: Int, k: Int, s: Int, p: Int) -> [Float] {
        let ho = (h + 2 * p - k) / s + 1, wo = (w + 2 * p - k) / s + 1
        var y: [Float] = []
        for plane in 0..<(n * c) { for oh in 0..<ho { for ow in 0..<wo {
            var best = -Float.infinity
            for ih in max(0, oh * s - p)..<min(h, oh * s - p + k) {
                for iw in max(0, ow * s - p)..<min(w, ow * s - p + k) {
                    let v = x[plane * h * w + ih * w + iw]
                    if v > best || v.isNaN { best = v }
                }
            }
            y.append(best)
        } } }
        return y
    }

    @Test(arguments: [(3, 2, 1), (2, 2, 0), (3, 1, 1), (2, 1, 0), (5, 3, 2)])
    func forwardEqualsAWindowScan(k: Int, s: Int, p: Int) {
        for (h, w) in [(9, 37), (20, 20), (6, 5), (5, 70)] {
            var x = GradientCheck.random([2, 3, h, w], seed: UInt64(h * w + k)).data
            x[7] = .nan; x[x.count / 2] = .nan
            let y = MaxPool2d(kernelSize: k, stride: s, padding: p).forward(Tensor(shape: [2, 3, h, w], data: x), training: true)
            let reference = Self.scan(x, n: 2, c: 3, h: h, w: w, k: k, s: s, p: p)
            #expect(y.data.count == reference.count)
            #expect(zip(y.data, reference).allSatisfy { $0 == $1 || ($0.isNaN && $1.isNaN) }, "k \(k) s \(s) p \(p) on \(h)x\(w)")
        }
    }

    @Test(arguments: [(2, 2, 0), (3, 3, 0), (3, 2, 1), (2, 1, 0)])
    func backwardRoutesEachGradientToTheFirstMaximum(k: Int, s: Int, p: Int) {
        for (h, w) in [(9, 37), (6, 5), (4, 4)] {
            var x = GradientCheck.random([2, 3, h, w], seed: UInt64(h + w + k)).data
            x = x.map { ($0 * 2).rounded() / 2 }   // many ties
            x[5] = .nan; x[6] = .nan; x[x.count - 3] = .nan
            let layer = MaxPool2d(kernelSize: k, stride: s, padding: p)
            let y = layer.forward(Tensor(shape: [2, 3, h, w], data: x), training: true)
            let dy = GradientCheck.random(y.shape, seed: 9)
            let dx = layer.backward(dy)
            // Reference: the window's maximum chosen as `forward`'s scan does (first max, a NaN wins).
            let (ho, wo) = (y.shape[2], y.shape[3])
            var reference = [Float](repeating: 0, count: x.count)
            for plane in 0..<6 { for oh in 0..<ho { for ow in 0..<wo {
                var best = -Float.infinity, at = plane * h * w + max(0, oh * s - p) * w + max(0, ow * s - p)
                for ih in max(0, oh * s - p)..<min(h, oh * s - p + k) {
                    for iw in max(0, ow * s - p)..<min(w, ow * s - p + k) {
                        let v = x[plane * h * w + ih * w + iw]
                        if v > best || v.isNaN { best = v; at = plane * h * w + ih * w + iw }
                    }
                }
                reference[at] += dy.data[(plane * ho + oh) * wo + ow]
            } } }
            #expect(dx.data == reference, "k \(k) s \(s) p \(p) on \(h)x\(w)")
        }
    }
}
