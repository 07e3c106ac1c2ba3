import Tensor

/// Mirrors `torch.nn.MaxPool2d` (dilation 1, floor mode): the maximum of each window, padding
/// counting as −∞.
///
/// - Parameters: `kernelSize`, `stride` (default = kernelSize), `padding` (default 0, at most half the kernel).
/// - Input (N, C, H, W) → (N, C, Ho, Wo), Ho = (H + 2p − k) / s + 1.
/// - Backward routes each output gradient to the first maximum of its window (PyTorch's choice).
public final class MaxPool2d: Layer {
    public let kernelSize: Int, stride: Int, padding: Int
    /// The last input, kept for the backward pass: the windows' first maxima are found again
    /// there, so a forward pass whose gradient is never asked for (a frozen stem) writes no indices.
    private var input = Tensor(zeros: [0])

    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        precondition(padding * 2 <= kernelSize, "MaxPool2d: padding \(padding) must be at most half the kernel \(kernelSize)")
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding
    }

    private func outputSize(_ shape: [Int]) -> (Int, Int) {
        ((shape[2] + 2 * padding - kernelSize) / stride + 1, (shape[3] + 2 * padding - kernelSize) / stride + 1)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.rank == 4, "MaxPool2d expects (N, C, H, W), got \(x.shape)")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (ho, wo) = outputSize(x.shape)
        precondition(ho > 0 && wo > 0, "MaxPool2d(\(kernelSize)) input \(x.shape) is too small")
        input = x
        let (k, s, p) = (kernelSize, stride, padding)
        return Tensor.uninitialized([n, c, ho, wo]) { yp in
            x.data.withUnsafeBufferPointer { xp in
                Parallel.forEachChunk(n * c, minimumChunk: 4) { planes in
                    // Column maxima with one −∞ on each side and room for whole 32-lane loads.
                    let padded = UnsafeMutablePointer<Float>.allocate(capacity: w + 34)
                    defer { padded.deallocate() }
                    padded.initialize(repeating: -.infinity, count: w + 34)
                    let columnMaxima = padded + 1
                    for plane in planes {
                        let src = xp.baseAddress! + plane * h * w, dst = yp + plane * ho * wo
                        if k == 2 && s == 2 && p == 0 {
                            Self.pool2x2(src, width: w, into: dst, outHeight: ho, outWidth: wo)
                        } else {
                            Self.poolSeparably(src, height: h, width: w, into: dst, outHeight: ho, outWidth: wo,
                                               kernel: k, stride: s, padding: p, columnMaxima: columnMaxima)
                        }
                    }
                }
            }
        }
    }

    /// `v` replaces `best` when greater or NaN: the maximum, propagating NaN, as PyTorch.
    @inline(__always)
    private static func larger(_ best: Float, _ v: Float) -> Float { v > best || v.isNaN ? v : best }

    /// `v` where it is greater or NaN, else `best`, lane by lane: `larger` on vectors.
    @inline(__always)
    private static func larger<V: SIMD>(_ best: V, _ v: V) -> V where V.Scalar == Float {
        best.replacing(with: v, where: (v .> best) .| (v .!= v))
    }

    @inline(__always)
    private static func load32(_ p: UnsafePointer<Float>) -> SIMD32<Float> { UnsafeRawPointer(p).loadUnaligned(as: SIMD32<Float>.self) }

    /// The study's MaxPool2d(2): the larger of the two rows, then of each even/odd column pair,
    /// 16 outputs at a time (values as a row-major scan's, up to the sign of a ±0 tie).
    private static func pool2x2(_ src: UnsafePointer<Float>, width w: Int, into dst: UnsafeMutablePointer<Float>,
                                outHeight ho: Int, outWidth wo: Int) {
        for oh in 0..<ho {
            let r0 = src + 2 * oh * w, r1 = r0 + w
            var start = 0
            while start + 16 <= wo && 2 * start + 32 <= w {
                let rows = larger(load32(r0 + 2 * start), load32(r1 + 2 * start))
                UnsafeMutableRawPointer(dst + oh * wo + start).storeBytes(of: larger(rows.evenHalf, rows.oddHalf), as: SIMD16<Float>.self)
                start += 16
            }
            for ow in start..<wo {
                let best = larger(larger(larger(r0[2 * ow], r0[2 * ow + 1]), r1[2 * ow]), r1[2 * ow + 1])
                dst[oh * wo + ow] = best
            }
        }
    }

    /// Any window, in two passes per output row: the maxima down the window's rows for every column
    /// (16 columns at a time), then along each window's columns. The values equal a row-major scan's
    /// (only a tie between −0 and +0 may keep the other sign); backward finds the first maximum
    /// itself.
    private static func poolSeparably(_ src: UnsafePointer<Float>, height h: Int, width w: Int,
                                      into dst: UnsafeMutablePointer<Float>, outHeight ho: Int, outWidth wo: Int,
                                      kernel k: Int, stride s: Int, padding p: Int,
                                      columnMaxima: UnsafeMutablePointer<Float>) {
        // columnMaxima[-1] is −∞ (the caller's padding) for the stride-2 vector path.
        typealias V16 = SIMD16<Float>
        for oh in 0..<ho {
            let hs = max(oh * s - p, 0), he = min(oh * s - p + k, h)
            var j = 0
            while j + 16 <= w {
                var best = UnsafeRawPointer(src + hs * w + j).loadUnaligned(as: V16.self)
                for ih in (hs + 1)..<he {
                    let v = UnsafeRawPointer(src + ih * w + j).loadUnaligned(as: V16.self)
                    best = best.replacing(with: v, where: (v .> best) .| (v .!= v))
                }
                UnsafeMutableRawPointer(columnMaxima + j).storeBytes(of: best, as: V16.self)
                j += 16
            }
            while j < w {
                var best = src[hs * w + j]
                for ih in (hs + 1)..<he { best = larger(best, src[ih * w + j]) }
                columnMaxima[j] = best
                j += 1
            }
            var first = 0
            if k == 3 && s == 2 && p == 1 {
                // ResNet's stem pool: out[ow] = max(m[2ow − 1], m[2ow], m[2ow + 1]), m[−1] = −∞ (the
                // padding), 16 outputs per step from even/odd halves of two 32-lane loads.
                while first + 16 <= wo && 2 * first + 32 <= w {
                    let here = load32(columnMaxima + 2 * first), before = load32(columnMaxima + 2 * first - 1)
                    let best = larger(larger(before.evenHalf, here.evenHalf), here.oddHalf)
                    UnsafeMutableRawPointer(dst + oh * wo + first).storeBytes(of: best, as: SIMD16<Float>.self)
                    first += 16
                }
            }
            for ow in first..<wo {
                let ws = max(ow * s - p, 0), we = min(ow * s - p + k, w)
                var best = -Float.infinity
                for iw in ws..<we { best = larger(best, columnMaxima[iw]) }
                dst[oh * wo + ow] = best
            }
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (ho, wo) = outputSize(input.shape)
        precondition(dy.shape == [n, c, ho, wo], "MaxPool2d backward got gradient \(dy.shape)")
        let (k, s, p) = (kernelSize, stride, padding)
        var dx = Tensor(zeros: input.shape)
        dx.data.withUnsafeMutableBufferPointer { dxp in
            dy.data.withUnsafeBufferPointer { dp in
                input.data.withUnsafeBufferPointer { xp in
                    // dx[first argmax of each window] += dy; windows overlap when stride < kernel, hence +=.
                    Parallel.forEach(n * c, minimumChunk: 4) { plane in
                        let src = xp.baseAddress! + plane * h * w, dst = dxp.baseAddress! + plane * h * w
                        let grad = dp.baseAddress! + plane * ho * wo
                        for oh in 0..<ho {
                            let hs = max(oh * s - p, 0), he = min(oh * s - p + k, h)
                            for ow in 0..<wo {
                                let ws = max(ow * s - p, 0), we = min(ow * s - p + k, w)
                                var best = -Float.infinity, at = hs * w + ws
                                for ih in hs..<he {
                                    for iw in ws..<we {
                                        let v = src[ih * w + iw]
                                        if v > best || v.isNaN { best = v; at = ih * w + iw }
                                    }
                                }
                                dst[at] += grad[oh * wo + ow]
                            }
                        }
                    }
                }
            }
        }
        return dx
    }
}
