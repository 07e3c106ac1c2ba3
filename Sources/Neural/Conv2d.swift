import Tensor

/// Mirrors `torch.nn.Conv2d` (groups = 1, dilation = 1): cross-correlation of an (N, C, H, W) batch
/// with `outChannels` filters, computed per image as im2col + one `sgemm`.
///
/// - Parameters: `inChannels`, `outChannels`, `kernelSize`, `stride` (default 1), `padding`
///   (default 0, zeros), `bias` (default true).
/// - Learned: `weight` (O, C, kh, kw), `bias` (O), PyTorch's default U(-1/sqrt(C·kh·kw), ...) init.
/// - Output: (N, O, Ho, Wo) with Ho = (H + 2p − kh) / s + 1.
///
/// Images are split between the cores, each core running its own im2col into a private workspace
/// and a single-threaded sgemm (`Parallel` pins OpenBLAS to one thread), which keeps both cores busy
/// through the memory-bound im2col as well as the gemm. Backward recomputes the columns instead of
/// storing N of them.
public final class Conv2d: Layer {
    public let inChannels: Int, outChannels: Int
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)
    public let weight: Parameter
    public let bias: Parameter?
    /// The last input (N, C, H, W), kept for the backward pass.
    private var input = Tensor(zeros: [0])

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Int = 0,
                bias: Bool = true, using generator: inout some RandomNumberGenerator) {
        self.inChannels = inChannels; self.outChannels = outChannels
        self.kernelSize = (kernelSize, kernelSize); self.stride = (stride, stride); self.padding = (padding, padding)
        let fanIn = inChannels * kernelSize * kernelSize
        weight = Parameter(name: "weight", value: Tensor(shape: [outChannels, inChannels, kernelSize, kernelSize],
            data: DefaultInitializer.uniform(count: outChannels * fanIn, fanIn: fanIn, using: &generator)))
        self.bias = bias ? Parameter(name: "bias", value: Tensor(shape: [outChannels],
            data: DefaultInitializer.uniform(count: outChannels, fanIn: fanIn, using: &generator))) : nil
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    func geometry(for x: Tensor) -> ConvGeometry {
        precondition(x.rank == 4 && x.shape[1] == inChannels,
                     "Conv2d(\(inChannels), \(outChannels)) expects (N, \(inChannels), H, W), got \(x.shape)")
        let g = ConvGeometry(channels: inChannels, height: x.shape[2], width: x.shape[3],
                             kernelH: kernelSize.0, kernelW: kernelSize.1, strideH: stride.0, strideW: stride.1,
                             padH: padding.0, padW: padding.1)
        precondition(g.outHeight > 0 && g.outWidth > 0, "Conv2d: input \(x.shape) is smaller than the kernel")
        return g
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let g = geometry(for: x)
        input = x
        let n = x.shape[0], o = outChannels, k = g.patchSize, l = g.outPixels
        let inStride = inChannels * g.height * g.width
        return Tensor.uninitialized([n, o, g.outHeight, g.outWidth]) { y in
            x.data.withUnsafeBufferPointer { xp in
                weight.value.data.withUnsafeBufferPointer { wp in
                    let biasValues = bias?.value.data
                    Parallel.forEachChunk(n) { range in
                        var cols = [Float](unsafeUninitializedCapacity: g.isIdentity ? 0 : k * l) { _, c in c = g.isIdentity ? 0 : k * l }
                        cols.withUnsafeMutableBufferPointer { cp in
                            for s in range {
                                let xs = xp.baseAddress! + s * inStride
                                let ys = y + s * o * l
                                let b: UnsafePointer<Float>
                                if g.isIdentity { b = xs } else { g.im2col(xs, cp.baseAddress!); b = UnsafePointer(cp.baseAddress!) }
                                if let bv = biasValues {
                                    for c in 0..<o { (ys + c * l).update(repeating: bv[c], count: l) }
                                }
                                // y_s (O, L) = W (O, K) · cols (K, L) + y_s
                                Float.gemm(transA: false, transB: false, m: o, n: l, k: k, alpha: 1,
                                           a: wp.baseAddress!, lda: k, b: b, ldb: l,
                                           beta: biasValues == nil ? 0 : 1, c: ys, ldc: l)
                            }
                        }
                    }
                }
            }
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let g = geometry(for: input)
        let n = input.shape[0], o = outChannels, k = g.patchSize, l = g.outPixels
        precondition(dy.shape == [n, o, g.outHeight, g.outWidth], "Conv2d backward got gradient \(dy.shape)")
        let inStride = inChannels * g.height * g.width
        let workers = min(Parallel.threadCount, n)
        let wantW = weight.requiresGrad, wantB = bias?.requiresGrad ?? false
        // Per-worker partial dW and db, summed afterwards in worker order (deterministic).
        var partialW = [Float](repeating: 0, count: wantW ? workers * o * k : 0)
        var partialB = [Float](repeating: 0, count: wantB ? workers * o : 0)
        var dx = Tensor(zeros: input.shape)
        input.data.withUnsafeBufferPointer { xp in
            dy.data.withUnsafeBufferPointer { dyp in
                weight.value.data.withUnsafeBufferPointer { wp in
                    dx.data.withUnsafeMutableBufferPointer { dxp in
                        partialW.withUnsafeMutableBufferPointer { pw in
                            partialB.withUnsafeMutableBufferPointer { pb in
                                Parallel.forEach(workers) { w in
                                    let range = (n * w / workers)..<(n * (w + 1) / workers)
                                    var cols = [Float](repeating: 0, count: k * l)
                                    cols.withUnsafeMutableBufferPointer { cp in
                                        for s in range {
                                            let xs = xp.baseAddress! + s * inStride
                                            let dys = dyp.baseAddress! + s * o * l
                                            if wantW {
                                                let b: UnsafePointer<Float>
                                                if g.isIdentity { b = xs } else { g.im2col(xs, cp.baseAddress!); b = UnsafePointer(cp.baseAddress!) }
                                                // dW (O, K) += dy_s (O, L) · cols_sᵀ (L, K)
                                                Float.gemm(transA: false, transB: true, m: o, n: k, k: l, alpha: 1,
                                                           a: dys, lda: l, b: b, ldb: l,
                                                           beta: 1, c: pw.baseAddress! + w * o * k, ldc: k)
                                            }
                                            if wantB {
                                                // db[c] += Σ_pixels dy_s[c, :]
                                                for c in 0..<o {
                                                    var sum: Float = 0
                                                    let row = dys + c * l
                                                    for p in 0..<l { sum += row[p] }
                                                    pb[w * o + c] += sum
                                                }
                                            }
                                            let dxs = dxp.baseAddress! + s * inStride
                                            if g.isIdentity {
                                                // dx_s (C, L) = Wᵀ (C, O) · dy_s (O, L)
                                                Float.gemm(transA: true, transB: false, m: k, n: l, k: o, alpha: 1,
                                                           a: wp.baseAddress!, lda: k, b: dys, ldb: l,
                                                           beta: 0, c: dxs, ldc: l)
                                            } else {
                                                // dcols (K, L) = Wᵀ (K, O) · dy_s (O, L), then scattered back by col2im
                                                Float.gemm(transA: true, transB: false, m: k, n: l, k: o, alpha: 1,
                                                           a: wp.baseAddress!, lda: k, b: dys, ldb: l,
                                                           beta: 0, c: cp.baseAddress!, ldc: l)
                                                g.col2im(cp.baseAddress!, dxs)
                                            }
                                        }
                                    }
                                }
                            }
                        }
                    }
                }
            }
        }
        if wantW {
            weight.grad.data.withUnsafeMutableBufferPointer { gw in
                for w in 0..<workers { for i in 0..<(o * k) { gw[i] += partialW[w * o * k + i] } }
            }
        }
        if wantB, let b = bias {
            b.grad.data.withUnsafeMutableBufferPointer { gb in
                for w in 0..<workers { for c in 0..<o { gb[c] += partialB[w * o + c] } }
            }
        }
        return dx
    }
}
