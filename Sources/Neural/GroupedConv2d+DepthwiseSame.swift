import Tensor

/// The depthwise SAME convolution of EfficientNet-Lite's blocks (`groups == inChannels ==
/// outChannels`, `.same` padding) in training, on SIMD8 rows instead of scalar loops: each input
/// plane is laid out as zero-padded phase planes (`InferenceKernels.Same`, as the inference plan),
/// where every tap of a whole output row is one contiguous run of values. Then
/// - forward: y = Σ_taps w[t] · phases[tap + row] (`InferenceKernels.convolvePlane`, no ReLU);
/// - dW[t] = Σ_samples Σ_rows dy_row · phases[tap + row], with dy rows zero-padded to whole SIMD8
///   chunks so the values past the row end contribute nothing;
/// - dx: dphases[tap + row] += w[t] · dy_row, then dphases read back in input order (each input
///   value sits at exactly one padded phase position).
/// Planes run in parallel: forward over (sample, channel), backward over channels, each worker
/// owning its channels' dW and dx.
extension GroupedConv2d {
    /// Off: every grouped convolution by the generic scalar loops (for same-run comparisons).
    nonisolated(unsafe) public static var usesSIMDKernels = true

    var isDepthwiseSame: Bool { Self.usesSIMDKernels && groups == inChannels && inChannels == outChannels && padding == .same }

    func depthwiseSameForward(_ x: Tensor) -> Tensor {
        let n = x.shape[0], c = inChannels, h = x.shape[2], w = x.shape[3], k = kernelSize
        let g = InferenceKernels.Same(k: k, s: stride, h: h, w: w)
        let taps = g.tapOffsets()
        let biasValues = bias?.value.data
        return Tensor.uninitialized([n, c, g.ho, g.wo]) { yp in
            x.data.withUnsafeBufferPointer { xp in
                weight.value.data.withUnsafeBufferPointer { wp in
                    taps.withUnsafeBufferPointer { tp in
                        Parallel.forEachChunk(n * c, minimumChunk: 4) { planes in
                            let phases = UnsafeMutablePointer<Float>.allocate(capacity: g.channelSize)
                            defer { phases.deallocate() }
                            for plane in planes {
                                let channel = plane % c
                                InferenceKernels.pad(xp.baseAddress! + plane * h * w, g, into: phases)
                                InferenceKernels.convolvePlane(phases, inputs: 1, channelStride: 0, wp.baseAddress! + channel * k * k,
                                                               bias: biasValues?[channel] ?? 0, g, taps: tp.baseAddress!, relu: false,
                                                               into: yp + plane * g.ho * g.wo)
                            }
                        }
                    }
                }
            }
        }
    }

    /// Accumulates dW (and db) and returns dx.
    func depthwiseSameBackward(_ dy: Tensor, input x: Tensor) -> Tensor {
        let n = x.shape[0], c = inChannels, h = x.shape[2], w = x.shape[3], k = kernelSize, kk = k * k
        let g = InferenceKernels.Same(k: k, s: stride, h: h, w: w)
        precondition(dy.shape == [n, c, g.ho, g.wo], "GroupedConv2d backward got gradient \(dy.shape)")
        let taps = g.tapOffsets()
        let wo8 = (g.wo + 7) / 8 * 8, rowStep = g.s * g.phaseWidth
        var dW = [Float](repeating: 0, count: weight.value.count)
        let dx = Tensor.uninitialized(x.shape) { dxp in
            x.data.withUnsafeBufferPointer { xp in
                dy.data.withUnsafeBufferPointer { dp in
                    weight.value.data.withUnsafeBufferPointer { wp in
                        dW.withUnsafeMutableBufferPointer { dwp in
                            taps.withUnsafeBufferPointer { tp in
                                Parallel.forEachChunk(c) { channels in
                                    let phases = UnsafeMutablePointer<Float>.allocate(capacity: g.channelSize)
                                    let dphases = UnsafeMutablePointer<Float>.allocate(capacity: g.channelSize)
                                    let dyRows = UnsafeMutablePointer<Float>.allocate(capacity: g.ho * wo8)
                                    let sums = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: kk)
                                    defer { phases.deallocate(); dphases.deallocate(); dyRows.deallocate(); sums.deallocate() }
                                    dyRows.initialize(repeating: 0, count: g.ho * wo8)
                                    for channel in channels {
                                        let weights = wp.baseAddress! + channel * kk
                                        sums.initialize(repeating: .zero, count: kk)
                                        for sample in 0..<n {
                                            let plane = sample * c + channel
                                            InferenceKernels.pad(xp.baseAddress! + plane * h * w, g, into: phases)
                                            dphases.initialize(repeating: 0, count: g.channelSize)
                                            for r in 0..<g.ho {
                                                (dyRows + r * wo8).update(from: dp.baseAddress! + plane * g.ho * g.wo + r * g.wo, count: g.wo)
                                            }
                                            for r in 0..<g.ho {
                                                let d = dyRows + r * wo8
                                                for t in 0..<kk {
                                                    let o = tp[t] + r * rowStep, wv = SIMD8<Float>(repeating: weights[t])
                                                    var acc = sums[t]
                                                    var c0 = 0
                                                    while c0 < wo8 {
                                                        let dv = InferenceKernels.load8(d + c0)
                                                        acc += dv * InferenceKernels.load8(phases + o + c0)
                                                        let target = dphases + o + c0
                                                        UnsafeMutableRawPointer(target).storeBytes(of: InferenceKernels.load8(target) + wv * dv,
                                                                                                   as: SIMD8<Float>.self)
                                                        c0 += 8
                                                    }
                                                    sums[t] = acc
                                                }
                                            }
                                            Self.unpad(dphases, g, into: dxp + plane * h * w)
                                        }
                                        for t in 0..<kk { dwp[channel * kk + t] = sums[t].sum() }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if weight.requiresGrad { for i in dW.indices { weight.grad.data[i] += dW[i] } }
        if let b = bias, b.requiresGrad {
            dy.data.withUnsafeBufferPointer { dp in
                for channel in 0..<c {
                    var sum: Float = 0
                    for sample in 0..<n {
                        let d = dp.baseAddress! + (sample * c + channel) * g.ho * g.wo
                        for i in 0..<(g.ho * g.wo) { sum += d[i] }
                    }
                    b.grad.data[channel] += sum
                }
            }
        }
        return dx
    }

    /// The input plane (H, W) of phase planes: the inverse of `InferenceKernels.pad`'s layout.
    static func unpad(_ phases: UnsafePointer<Float>, _ g: InferenceKernels.Same, into x: UnsafeMutablePointer<Float>) {
        if g.s == 1 {
            for ir in 0..<g.h { (x + ir * g.w).update(from: phases + (ir + g.top) * g.phaseWidth + g.left, count: g.w) }
            return
        }
        for ir in 0..<g.h {
            let row = (ir + g.top) * g.phaseWidth
            for ic in 0..<g.w {
                let padded = ic + g.left
                x[ir * g.w + ic] = phases[(padded % g.s) * g.phaseSize + row + padded / g.s]
            }
        }
    }
}
