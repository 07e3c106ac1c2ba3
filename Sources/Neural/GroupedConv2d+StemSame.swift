import Tensor

/// A dense (groups 1) SAME convolution of few input channels whose input needs no gradient, such
/// as EfficientNet-Lite's stem on the images (3 → 32, 3×3, stride 2), on SIMD8 rows as the
/// depthwise kernels (`GroupedConv2d+DepthwiseSame.swift`): the sample's channels are padded into
/// phase planes once, then every output plane is `InferenceKernels.convolvePlane` over them, and
/// dW[o, i, t] = Σ_samples Σ_rows dy_row · phases_i[tap + row]. Forward runs samples in parallel,
/// backward output channels (each worker owns its filters' dW).
extension GroupedConv2d {
    var isSmallDenseSame: Bool {
        Self.usesSIMDKernels && groups == 1 && inChannels <= 4 && padding == .same && !computesInputGradient
    }

    func smallDenseSameForward(_ x: Tensor) -> Tensor {
        let n = x.shape[0], cin = inChannels, cout = outChannels, h = x.shape[2], w = x.shape[3], kk = kernelSize * kernelSize
        let g = InferenceKernels.Same(k: kernelSize, s: stride, h: h, w: w)
        let taps = g.tapOffsets()
        let biasValues = bias?.value.data
        return Tensor.uninitialized([n, cout, g.ho, g.wo]) { yp in
            x.data.withUnsafeBufferPointer { xp in
                weight.value.data.withUnsafeBufferPointer { wp in
                    taps.withUnsafeBufferPointer { tp in
                        Parallel.forEachChunk(n) { samples in
                            let phases = UnsafeMutablePointer<Float>.allocate(capacity: cin * g.channelSize)
                            defer { phases.deallocate() }
                            for sample in samples {
                                for i in 0..<cin {
                                    InferenceKernels.pad(xp.baseAddress! + (sample * cin + i) * h * w, g, into: phases + i * g.channelSize)
                                }
                                for o in 0..<cout {
                                    InferenceKernels.convolvePlane(phases, inputs: cin, channelStride: g.channelSize,
                                                                   wp.baseAddress! + o * cin * kk, bias: biasValues?[o] ?? 0, g,
                                                                   taps: tp.baseAddress!, relu: false,
                                                                   into: yp + (sample * cout + o) * g.ho * g.wo)
                                }
                            }
                        }
                    }
                }
            }
        }
    }

    /// Accumulates dW (and db); returns an empty tensor (no input gradient).
    func smallDenseSameBackward(_ dy: Tensor, input x: Tensor) -> Tensor {
        let n = x.shape[0], cin = inChannels, cout = outChannels, h = x.shape[2], w = x.shape[3], kk = kernelSize * kernelSize
        let g = InferenceKernels.Same(k: kernelSize, s: stride, h: h, w: w)
        precondition(dy.shape == [n, cout, g.ho, g.wo], "GroupedConv2d backward got gradient \(dy.shape)")
        let taps = g.tapOffsets()
        let wo8 = (g.wo + 7) / 8 * 8, rowStep = g.s * g.phaseWidth
        var dW = [Float](repeating: 0, count: weight.value.count)
        x.data.withUnsafeBufferPointer { xp in
            dy.data.withUnsafeBufferPointer { dp in
                dW.withUnsafeMutableBufferPointer { dwp in
                    taps.withUnsafeBufferPointer { tp in
                        Parallel.forEachChunk(cout) { outputs in
                            let phases = UnsafeMutablePointer<Float>.allocate(capacity: cin * g.channelSize)
                            let dyRow = UnsafeMutablePointer<Float>.allocate(capacity: wo8)
                            let sums = UnsafeMutablePointer<SIMD8<Float>>.allocate(capacity: outputs.count * cin * kk)
                            defer { phases.deallocate(); dyRow.deallocate(); sums.deallocate() }
                            dyRow.initialize(repeating: 0, count: wo8)
                            sums.initialize(repeating: .zero, count: outputs.count * cin * kk)
                            for sample in 0..<n {
                                for i in 0..<cin {
                                    InferenceKernels.pad(xp.baseAddress! + (sample * cin + i) * h * w, g, into: phases + i * g.channelSize)
                                }
                                for (slot, o) in outputs.enumerated() {
                                    let plane = dp.baseAddress! + (sample * cout + o) * g.ho * g.wo
                                    for r in 0..<g.ho {
                                        dyRow.update(from: plane + r * g.wo, count: g.wo)
                                        for i in 0..<cin {
                                            let base = phases + i * g.channelSize + r * rowStep
                                            let acc = sums + (slot * cin + i) * kk
                                            for t in 0..<kk {
                                                var a = acc[t]
                                                var c0 = 0
                                                while c0 < wo8 {
                                                    a += InferenceKernels.load8(dyRow + c0) * InferenceKernels.load8(base + tp[t] + c0)
                                                    c0 += 8
                                                }
                                                acc[t] = a
                                            }
                                        }
                                    }
                                }
                            }
                            for (slot, o) in outputs.enumerated() {
                                for j in 0..<(cin * kk) { dwp[o * cin * kk + j] = sums[slot * cin * kk + j].sum() }
                            }
                        }
                    }
                }
            }
        }
        if weight.requiresGrad { for i in dW.indices { weight.grad.data[i] += dW[i] } }
        if let b = bias, b.requiresGrad {
            dy.data.withUnsafeBufferPointer { dp in
                for o in 0..<cout {
                    var sum: Float = 0
                    for sample in 0..<n {
                        let d = dp.baseAddress! + (sample * cout + o) * g.ho * g.wo
                        for i in 0..<(g.ho * g.wo) { sum += d[i] }
                    }
                    b.grad.data[o] += sum
                }
            }
        }
        return Tensor(zeros: [0])
    }
}
