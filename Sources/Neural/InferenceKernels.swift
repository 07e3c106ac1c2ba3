import Tensor

/// Forward-only kernels of the inference plans (`EfficientNetLite0.InferencePlan`): one image in
/// (C, H, W) layout, raw pointers into preallocated buffers, batch norm already folded into each
/// convolution's weights and bias, ReLU6 and the skip-add applied while the output is in registers.
///
/// Shape letters: C channels, H×W an input plane, Ho×Wo an output plane, k kernel side, s stride.
enum InferenceKernels {
    /// TensorFlow "SAME" geometry of one k×k stride-s convolution (as `GroupedConv2d.geometry`):
    /// output ceil(side / s), total padding max((out − 1)·s + k − side, 0), the smaller half first.
    ///
    /// The padded input is stored as s *phase planes* per channel: phase p, row i, column j holds
    /// padded[i][j·s + p], so the tap (kh, kw) of output column c reads phase kw % s at column
    /// c + kw / s: contiguous for every stride. Rows are `phaseWidth` long, a multiple of 8 output
    /// columns plus the kernel's reach, so whole SIMD8 loads never leave the plane.
    struct Same: Equatable {
        let k: Int, s: Int, h: Int, w: Int
        let ho: Int, wo: Int, top: Int, left: Int
        /// Padded rows ((Ho − 1)·s + k) and the width of one phase row.
        let rows: Int, phaseWidth: Int

        init(k: Int, s: Int, h: Int, w: Int) {
            self.k = k; self.s = s; self.h = h; self.w = w
            ho = (h + s - 1) / s; wo = (w + s - 1) / s
            top = max((ho - 1) * s + k - h, 0) / 2
            left = max((wo - 1) * s + k - w, 0) / 2
            rows = (ho - 1) * s + k
            phaseWidth = (wo + 7) / 8 * 8 + (k - 1) / s
        }

        /// Floats of one phase plane, and of all s phases of one channel.
        var phaseSize: Int { rows * phaseWidth }
        var channelSize: Int { s * phaseSize }

        /// Offset of tap (kh, kw) from the start of an output row's data in channel's phases.
        func tapOffsets() -> [Int] {
            (0..<(k * k)).map { t in (t / k) * phaseWidth + (t % k) % s * phaseSize + (t % k) / s }
        }
    }

    /// Writes the zero-padded phase planes of one input channel (H, W) into `phases` (s · rows · phaseWidth).
    static func pad(_ x: UnsafePointer<Float>, _ g: Same, into phases: UnsafeMutablePointer<Float>) {
        for p in 0..<g.s {
            // Columns j of phase p whose input column j·s + p − left lies in 0..<W.
            let lo = g.left - p <= 0 ? 0 : (g.left - p + g.s - 1) / g.s
            let last = g.w - 1 + g.left - p
            let hi = last < 0 ? lo : min(g.phaseWidth, max(lo, last / g.s + 1))
            for i in 0..<g.rows {
                let row = phases + p * g.phaseSize + i * g.phaseWidth
                let ir = i - g.top
                guard ir >= 0 && ir < g.h else { row.update(repeating: 0, count: g.phaseWidth); continue }
                if lo > 0 { row.update(repeating: 0, count: lo) }
                let src = x + ir * g.w + lo * g.s + p - g.left
                if g.s == 1 {
                    (row + lo).update(from: src, count: hi - lo)
                } else {
                    for j in 0..<(hi - lo) { row[lo + j] = src[j * g.s] }
                }
                if hi < g.phaseWidth { (row + hi).update(repeating: 0, count: g.phaseWidth - hi) }
            }
        }
    }

    @inline(__always) static func load8(_ p: UnsafePointer<Float>) -> SIMD8<Float> {
        UnsafeRawPointer(p).loadUnaligned(as: SIMD8<Float>.self)
    }

    @inline(__always) static func relu6(_ v: SIMD8<Float>) -> SIMD8<Float> {
        v.replacing(with: 0, where: v .< 0).replacing(with: 6, where: v .> 6)
    }

    @inline(__always) static func store(_ v: SIMD8<Float>, _ y: UnsafeMutablePointer<Float>, count: Int) {
        if count == 8 {
            UnsafeMutableRawPointer(y).storeBytes(of: v, as: SIMD8<Float>.self)
        } else {
            for i in 0..<count { y[i] = v[i] }
        }
    }

    /// One output plane (Ho, Wo) of a k×k convolution over `inputs` padded channels:
    /// y = relu6(bias + Σ_i Σ_taps weights[i][tap] · phases[i][tap]). Depthwise convolutions pass one
    /// input channel, the stem passes three. Four output rows are computed together so that four
    /// independent sums are in flight (a single chain of k² multiply-adds waits on its latency).
    static func convolvePlane(_ phases: UnsafePointer<Float>, inputs: Int, channelStride: Int,
                              _ weights: UnsafePointer<Float>, bias: Float, _ g: Same, taps: UnsafePointer<Int>,
                              relu: Bool, into y: UnsafeMutablePointer<Float>) {
        let kk = g.k * g.k, rowStep = g.s * g.phaseWidth
        var r0 = 0
        while r0 < g.ho {
            // Rows past the end repeat the last row (computed, never stored).
            let r1 = min(r0 + 1, g.ho - 1), r2 = min(r0 + 2, g.ho - 1), r3 = min(r0 + 3, g.ho - 1)
            var c0 = 0
            while c0 < g.wo {
                var a0 = SIMD8<Float>(repeating: bias), a1 = a0, a2 = a0, a3 = a0
                for i in 0..<inputs {
                    let base = phases + i * channelStride + c0, wi = weights + i * kk
                    let p0 = base + r0 * rowStep, p1 = base + r1 * rowStep
                    let p2 = base + r2 * rowStep, p3 = base + r3 * rowStep
                    for t in 0..<kk {
                        let wv = SIMD8<Float>(repeating: wi[t]), o = taps[t]
                        a0 += wv * load8(p0 + o); a1 += wv * load8(p1 + o)
                        a2 += wv * load8(p2 + o); a3 += wv * load8(p3 + o)
                    }
                }
                if relu { a0 = relu6(a0); a1 = relu6(a1); a2 = relu6(a2); a3 = relu6(a3) }
                let n = min(8, g.wo - c0)
                store(a0, y + r0 * g.wo + c0, count: n)
                if r0 + 1 < g.ho { store(a1, y + (r0 + 1) * g.wo + c0, count: n) }
                if r0 + 2 < g.ho { store(a2, y + (r0 + 2) * g.wo + c0, count: n) }
                if r0 + 3 < g.ho { store(a3, y + (r0 + 3) * g.wo + c0, count: n) }
                c0 += 8
            }
            r0 += 4
        }
    }

    /// Depthwise k×k SAME convolution + bias + ReLU6 of x (C, H, W) into y (C, Ho, Wo).
    /// `scratch` holds one channel's phases (`g.channelSize`); `taps` is `g.tapOffsets()`.
    static func depthwise(_ x: UnsafePointer<Float>, channels: Int, _ g: Same, weights: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>, taps: UnsafePointer<Int>, scratch: UnsafeMutablePointer<Float>,
                          into y: UnsafeMutablePointer<Float>) {
        let kk = g.k * g.k
        for c in 0..<channels {
            pad(x + c * g.h * g.w, g, into: scratch)
            convolvePlane(scratch, inputs: 1, channelStride: 0, weights + c * kk, bias: bias[c], g, taps: taps,
                          relu: true, into: y + c * g.ho * g.wo)
        }
    }

    /// 1×1 convolution of x (Cin, HW) into y (Cout, HW): one sgemm `W[Cout, Cin] · X[Cin, HW]`, then
    /// bias with either ReLU6 or the skip connection added (`residual`, (Cout, HW)) in one pass.
    static func pointwise(_ x: UnsafePointer<Float>, cin: Int, hw: Int, weights: UnsafePointer<Float>,
                          bias: UnsafePointer<Float>, cout: Int, relu: Bool, residual: UnsafePointer<Float>?,
                          into y: UnsafeMutablePointer<Float>) {
        Float.gemm(transA: false, transB: false, m: cout, n: hw, k: cin, alpha: 1, a: weights, lda: cin,
                   b: x, ldb: hw, beta: 0, c: y, ldc: hw)
        let vectorEnd = hw / 8 * 8
        for o in 0..<cout {
            let row = y + o * hw, b = bias[o], bv = SIMD8<Float>(repeating: b)
            if let residual {
                let r = residual + o * hw
                var i = 0
                while i < vectorEnd {
                    store(load8(row + i) + bv + load8(r + i), row + i, count: 8); i += 8
                }
                for j in vectorEnd..<hw { row[j] = row[j] + b + r[j] }
            } else if relu {
                var i = 0
                while i < vectorEnd { store(relu6(load8(row + i) + bv), row + i, count: 8); i += 8 }
                for j in vectorEnd..<hw { row[j] = min(max(row[j] + b, 0), 6) }
            } else {
                var i = 0
                while i < vectorEnd { store(load8(row + i) + bv, row + i, count: 8); i += 8 }
                for j in vectorEnd..<hw { row[j] += b }
            }
        }
    }

    /// The head: 1×1 convolution x (Cin, HW) → (Cout, HW) into `scratch`, bias, ReLU6, and the mean
    /// over HW of each channel into `features` (Cout).
    static func pooledPointwise(_ x: UnsafePointer<Float>, cin: Int, hw: Int, weights: UnsafePointer<Float>,
                                bias: UnsafePointer<Float>, cout: Int, scratch: UnsafeMutablePointer<Float>,
                                into features: UnsafeMutablePointer<Float>) {
        Float.gemm(transA: false, transB: false, m: cout, n: hw, k: cin, alpha: 1, a: weights, lda: cin,
                   b: x, ldb: hw, beta: 0, c: scratch, ldc: hw)
        let vectorEnd = hw / 8 * 8, scale = 1 / Float(hw)
        for o in 0..<cout {
            let row = scratch + o * hw, b = bias[o], bv = SIMD8<Float>(repeating: b)
            var sums = SIMD8<Float>(repeating: 0)
            var i = 0
            while i < vectorEnd { sums += relu6(load8(row + i) + bv); i += 8 }
            var total = sums.sum()
            for j in vectorEnd..<hw { total += min(max(row[j] + b, 0), 6) }
            features[o] = total * scale
        }
    }
}
