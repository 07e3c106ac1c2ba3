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
    /// The last output: windows that tile the input find their maximum by equality with it.
    private var output = Tensor(zeros: [0])

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
        output = Tensor.uninitialized([n, c, ho, wo]) { yp in
            x.data.withUnsafeBufferPointer { xp in
                Parallel.forEachChunk(n * c, minimumChunk: 4) { planes in
                    let rows = Rows(width: w, kernel: k)
                    defer { rows.deallocate() }
                    for plane in planes {
                        Self.poolSeparably(xp.baseAddress! + plane * h * w, height: h, width: w, into: yp + plane * ho * wo,
                                           outHeight: ho, outWidth: wo, kernel: k, stride: s, padding: p, rows: rows)
                    }
                }
            }
        }
        return output
    }

    typealias V16 = SIMD16<Float>

    /// `v` replaces `best` when greater or NaN: the maximum, propagating NaN, as PyTorch.
    @inline(__always)
    private static func larger(_ best: Float, _ v: Float) -> Float { v > best || v.isNaN ? v : best }

    /// `larger` on 16 lanes.
    @inline(__always)
    private static func larger(_ best: V16, _ v: V16) -> V16 { best.replacing(with: v, where: (v .> best) .| (v .!= v)) }

    @inline(__always) private static func load(_ p: UnsafePointer<Float>) -> V16 { UnsafeRawPointer(p).loadUnaligned(as: V16.self) }
    @inline(__always) private static func store(_ v: V16, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V16.self)
    }

    /// One worker's scratch rows: the column maxima of the current output row, with `margin` −∞ on
    /// each side (the padding, and room for whole-vector loads past the edges), and the window maxima.
    struct Rows {
        let margin: Int
        let columnMaxima: UnsafeMutablePointer<Float>, windowMaxima: UnsafeMutablePointer<Float>
        private let storage: UnsafeMutablePointer<Float>

        init(width w: Int, kernel k: Int) {
            margin = 16 + k
            storage = .allocate(capacity: 2 * margin + w + w + 16)
            storage.initialize(repeating: -.infinity, count: 2 * margin + w + w + 16)
            columnMaxima = storage + margin
            windowMaxima = storage + 2 * margin + w
        }

        func deallocate() { storage.deallocate() }
    }

    /// One plane, a row of outputs at a time: the maxima down the window's rows for every column,
    /// then the maxima along each window's columns starting at every column (both 16 lanes at a
    /// time), of which the output takes every `stride`-th. The values equal a row-major scan's (only
    /// a tie between −0 and +0 may keep the other sign); backward finds the first maximum itself.
    private static func poolSeparably(_ src: UnsafePointer<Float>, height h: Int, width w: Int,
                                      into dst: UnsafeMutablePointer<Float>, outHeight ho: Int, outWidth wo: Int,
                                      kernel k: Int, stride s: Int, padding p: Int, rows: Rows) {
        let columnMaxima = rows.columnMaxima, windowMaxima = rows.windowMaxima
        let starts = (wo - 1) * s + 1   // window starts, in padded columns, that some output uses
        for oh in 0..<ho {
            let hs = max(oh * s - p, 0), he = min(oh * s - p + k, h)
            var j = 0
            while j + 16 <= w {
                var best = load(src + hs * w + j)
                for ih in (hs + 1)..<he { best = larger(best, load(src + ih * w + j)) }
                store(best, columnMaxima + j)
                j += 16
            }
            while j < w {
                var best = src[hs * w + j]
                for ih in (hs + 1)..<he { best = larger(best, src[ih * w + j]) }
                columnMaxima[j] = best
                j += 1
            }
            // windowMaxima[q] = max of columns q − p ..< q − p + k (outside the image: −∞; p ≤ k / 2
            // stays inside the margin).
            var q = 0
            while q < starts {
                var best = load(columnMaxima + q - p)
                for i in 1..<k { best = larger(best, load(columnMaxima + q - p + i)) }
                store(best, windowMaxima + q)
                q += 16
            }
            for ow in 0..<wo { dst[oh * wo + ow] = windowMaxima[ow * s] }
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let (n, c, h, w) = (input.shape[0], input.shape[1], input.shape[2], input.shape[3])
        let (ho, wo) = outputSize(input.shape)
        precondition(dy.shape == [n, c, ho, wo], "MaxPool2d backward got gradient \(dy.shape)")
        let (k, s, p) = (kernelSize, stride, padding)
        if k == s && p == 0 { return tilingWindowsBackward(dy, n: n, c: c, h: h, w: w, ho: ho, wo: wo) }
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

    /// Backward for windows that tile the input (kernel = stride, no padding; the study's
    /// MaxPool2d(2)): every input value belongs to at most one window, so each window writes its
    /// own k×k values, dy at its first maximum and 0 elsewhere; rows and columns no window covers are
    /// zeroed. The maximum is found by equality with the forward output, without data-dependent
    /// branches (on real activations those mispredict about every other window); the same value the
    /// general path picks: the first equal to the maximum in row-major order, or with a NaN in the
    /// window (whose output is NaN), the last NaN.
    private func tilingWindowsBackward(_ dy: Tensor, n: Int, c: Int, h: Int, w: Int, ho: Int, wo: Int) -> Tensor {
        let k = kernelSize
        return Tensor.uninitialized(input.shape) { dxp in
            dy.data.withUnsafeBufferPointer { dp in
                input.data.withUnsafeBufferPointer { xp in
                    output.data.withUnsafeBufferPointer { yp in
                        Parallel.forEach(n * c, minimumChunk: 4) { plane in
                            let src = xp.baseAddress! + plane * h * w, dst = dxp + plane * h * w
                            let grad = dp.baseAddress! + plane * ho * wo, maxima = yp.baseAddress! + plane * ho * wo
                            for oh in 0..<ho {
                                if k == 2 {
                                    Self.backward2x2Row(src + 2 * oh * w, width: w, maxima: maxima + oh * wo,
                                                        gradient: grad + oh * wo, count: wo, into: dst + 2 * oh * w)
                                }
                                for ow in (k == 2 ? wo : 0)..<wo {
                                    let corner = oh * k * w + ow * k
                                    let m = maxima[oh * wo + ow], gBits = grad[oh * wo + ow].bitPattern
                                    if m.isNaN {
                                        Self.routeToLastNaN(src + corner, dst + corner, width: w, kernel: k, gradient: gBits)
                                        continue
                                    }
                                    var found = false
                                    for i in 0..<k {
                                        for j in 0..<k {
                                            let hit = !found && src[corner + i * w + j] == m
                                            found = found || hit
                                            dst[corner + i * w + j] = Float(bitPattern: hit ? gBits : 0)
                                        }
                                    }
                                }
                                // Columns right of the last window.
                                for i in 0..<k {
                                    let row = dst + (oh * k + i) * w
                                    for j in (wo * k)..<w { row[j] = 0 }
                                }
                            }
                            // Rows below the last window.
                            (dst + ho * k * w).update(repeating: 0, count: (h - ho * k) * w)
                        }
                    }
                }
            }
        }
    }

    /// One row of 2x2 windows in straight-line code: masks from the four equalities select dy's bits
    /// (integer selects: the float ones compile to branches here).
    private static func backward2x2Row(_ top: UnsafePointer<Float>, width w: Int, maxima: UnsafePointer<Float>,
                                       gradient: UnsafePointer<Float>, count: Int, into out: UnsafeMutablePointer<Float>) {
        let bottom = top + w, outBottom = out + w
        @inline(__always) func mask(_ b: Bool) -> UInt32 { 0 &- UInt32(b ? 1 : 0) }
        for ow in 0..<count {
            let m = maxima[ow], g = gradient[ow].bitPattern, i = 2 &* ow
            if m.isNaN {
                routeToLastNaN(top + i, out + i, width: w, kernel: 2, gradient: g)
                continue
            }
            let ea = top[i] == m, eb = top[i &+ 1] == m, ec = bottom[i] == m
            let ma = mask(ea), mb = mask(eb) & ~ma, mc = mask(ec) & ~(ma | mb), md = ~(ma | mb | mc)
            out[i] = Float(bitPattern: g & ma); out[i &+ 1] = Float(bitPattern: g & mb)
            outBottom[i] = Float(bitPattern: g & mc); outBottom[i &+ 1] = Float(bitPattern: g & md)
        }
    }

    /// A window holding a NaN: the scan's rule (replace when greater or NaN) ends on its last NaN.
    private static func routeToLastNaN(_ window: UnsafePointer<Float>, _ dst: UnsafeMutablePointer<Float>,
                                       width w: Int, kernel k: Int, gradient gBits: UInt32) {
        var last = 0
        for i in 0..<k { for j in 0..<k where window[i * w + j].isNaN { last = i * w + j } }
        for i in 0..<k { for j in 0..<k { dst[i * w + j] = Float(bitPattern: i * w + j == last ? gBits : 0) } }
    }
}
