import Tensor

/// Mirrors `torch.nn.Conv2d` (groups = 1, dilation = 1): cross-correlation of an (N, C, H, W) batch
/// with `outChannels` filters, computed per image as im2col + one `sgemm`.
///
/// - Parameters: `inChannels`, `outChannels`, `kernelSize`, `stride` (default 1), `padding`
///   (default 0, zeros), `bias` (default true).
/// - Learned: `weight` (O, C, kh, kw), `bias` (O), PyTorch's default U(-1/sqrt(C·kh·kw), ...) init.
/// - Output: (N, O, Ho, Wo) with Ho = (H + 2p − kh) / s + 1.
///
/// Images are split between the cores, each core running its own im2col (one band of about 4096
/// output pixels at a time) into a private workspace and a single-threaded sgemm (`Parallel` pins OpenBLAS to one thread), which keeps both cores busy
/// through the memory-bound im2col as well as the gemm. Backward recomputes the columns instead of
/// storing N of them.
///
/// 3x3 stride-1 pad-1 layers with channel counts in multiples of 8 (most of CNNModel and ResNet18)
/// run the forward pass, the input gradient and the weight gradient by Winograd F(4x4, 3x3) instead
/// (`Winograd3x3`, 4x fewer multiplications). The weight gradient reuses the input tiles of the
/// forward pass, kept from a training forward until the backward pass (36 floats per 4x4 tile and
/// channel: 75 MB for CNNModel's widest layer at 64x64, batch 32), on images of at least 16 tiles
/// (`Winograd3x3.weightGradientWins`; ResNet18's 7x7 layer4 keeps im2col for dW).
///
/// Frozen layers (the study's ResNet18 below layer4) transform their filters once and keep them
/// while the weights stay the same array; a layer with `computesInputGradient` false (the first
/// trainable one) takes only its own gradients in backward.
public final class Conv2d: Layer {
    /// Whether eligible layers use Winograd (true); false forces im2col everywhere, for the
    /// benchmarks' same-run comparison and the tests against the plain path.
    nonisolated(unsafe) public static var usesWinograd = true
    /// Whether Winograd layers also take their weight gradient by Winograd (true) or by im2col +
    /// GEMM, as before it existed (false: the benchmarks' same-run comparison).
    nonisolated(unsafe) public static var usesWinogradWeightGradient = true

    public let inChannels: Int, outChannels: Int
    public let kernelSize: (Int, Int), stride: (Int, Int), padding: (Int, Int)
    public let weight: Parameter
    public let bias: Parameter?
    /// The last input (N, C, H, W), kept for the backward pass.
    private var input = Tensor(zeros: [0])
    /// A Winograd layer's input tiles from the last training forward, for the weight gradient.
    private var savedTiles: [Float] = []
    /// Whether `backward` returns dL/dx (true). A network's first trainable layer whose input comes
    /// from frozen layers sets it false: backward then only accumulates this layer's own gradients
    /// (and returns an empty tensor), as PyTorch's autograd skips what no trainable tensor needs.
    public var computesInputGradient = true
    /// Winograd transforms of frozen weights (`requiresGrad` false), kept while `weight.value.data`
    /// is still the array they were made from: holding it makes any in-place change copy it first
    /// (copy-on-write), so the same storage address means the same values.
    private var frozenFilters: (source: [Float], forward: [Float]?, flipped: [Float]?) = ([], nil, nil)

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

    /// The tiling `Winograd3x3.correlate` and `filterGradient` use for this layer at their default budget.
    private static func tiling(_ g: ConvGeometry, n: Int, outChannels o: Int) -> Winograd3x3.Tiling {
        Winograd3x3.Tiling(n: n, height: g.height, width: g.width, widestChannels: max(g.channels, o), budget: 131_072)
    }

    /// The Winograd filter transform of the current weights (`Winograd3x3.transformFilters`), from
    /// `frozenFilters` when the weights are frozen and unchanged since it was made.
    private func winogradFilters(flipTranspose: Bool) -> [Float] {
        let weights = weight.value.data
        let transform = {
            weights.withUnsafeBufferPointer {
                Winograd3x3.transformFilters($0.baseAddress!, outChannels: self.outChannels, inChannels: self.inChannels,
                                            flipTranspose: flipTranspose)
            }
        }
        guard !weight.requiresGrad else {
            frozenFilters = ([], nil, nil)
            return transform()
        }
        if !Self.sameStorage(frozenFilters.source, weights) { frozenFilters = (weights, nil, nil) }
        if flipTranspose {
            if let cached = frozenFilters.flipped { return cached }
            frozenFilters.flipped = transform()
            return frozenFilters.flipped!
        }
        if let cached = frozenFilters.forward { return cached }
        frozenFilters.forward = transform()
        return frozenFilters.forward!
    }

    private static func sameStorage(_ a: [Float], _ b: [Float]) -> Bool {
        a.count == b.count && a.withUnsafeBufferPointer { pa in b.withUnsafeBufferPointer { pb in pa.baseAddress == pb.baseAddress } }
    }

    /// Whether this layer's shape takes the Winograd path.
    func takesWinograd(_ g: ConvGeometry) -> Bool { Self.usesWinograd && Winograd3x3.applies(g, outChannels: outChannels) }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let g = geometry(for: x)
        input = x
        let n = x.shape[0], o = outChannels, k = g.patchSize, l = g.outPixels
        if takesWinograd(g) {
            let u = winogradFilters(flipTranspose: false)
            let keepTiles = training && weight.requiresGrad && Self.usesWinogradWeightGradient
                && Winograd3x3.weightGradientWins(g)
            let savedCount = keepTiles ? Self.tiling(g, n: n, outChannels: o).savedCount(channels: inChannels) : 0
            savedTiles = [Float](unsafeUninitializedCapacity: savedCount) { _, k in k = savedCount }
            return Tensor.uninitialized([n, o, g.outHeight, g.outWidth]) { y in
                x.data.withUnsafeBufferPointer { xp in
                    u.withUnsafeBufferPointer { up in
                        savedTiles.withUnsafeMutableBufferPointer { sp in
                            Winograd3x3.correlate(xp.baseAddress!, n: n, channels: inChannels, height: g.height, width: g.width,
                                                  filters: up.baseAddress!, outChannels: o, bias: bias?.value.data, into: y,
                                                  savingTilesTo: keepTiles ? sp.baseAddress! : nil)
                        }
                    }
                }
            }
        }
        savedTiles = []
        let inStride = inChannels * g.height * g.width
        return Tensor.uninitialized([n, o, g.outHeight, g.outWidth]) { y in
            x.data.withUnsafeBufferPointer { xp in
                weight.value.data.withUnsafeBufferPointer { wp in
                    let biasValues = bias?.value.data
                    Parallel.forEachChunk(n) { range in
                        let band = g.bandRows, wo = g.outWidth
                        var cols = [Float](unsafeUninitializedCapacity: g.isIdentity ? 0 : k * band * wo) { _, c in c = g.isIdentity ? 0 : k * band * wo }
                        cols.withUnsafeMutableBufferPointer { cp in
                            for s in range {
                                let xs = xp.baseAddress! + s * inStride
                                let ys = y + s * o * l
                                if let bv = biasValues {
                                    for c in 0..<o { (ys + c * l).update(repeating: bv[c], count: l) }
                                }
                                if g.isIdentity {
                                    // y_s (O, L) = W (O, C) · x_s (C, L) + y_s
                                    Float.gemm(transA: false, transB: false, m: o, n: l, k: k, alpha: 1, a: wp.baseAddress!, lda: k,
                                               b: xs, ldb: l, beta: biasValues == nil ? 0 : 1, c: ys, ldc: l)
                                    continue
                                }
                                // One band of output rows at a time: y_s[:, band] (O, Lb) = W (O, K) · cols (K, Lb) + y_s[:, band]
                                for r0 in Swift.stride(from: 0, to: g.outHeight, by: band) {
                                    let rows = r0..<min(g.outHeight, r0 + band), lb = rows.count * wo
                                    g.im2col(xs, cp.baseAddress!, rows: rows)
                                    Float.gemm(transA: false, transB: false, m: o, n: lb, k: k, alpha: 1,
                                               a: wp.baseAddress!, lda: k, b: cp.baseAddress!, ldb: lb,
                                               beta: biasValues == nil ? 0 : 1, c: ys + r0 * wo, ldc: l)
                                }
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
        let wantW = weight.requiresGrad, wantB = bias?.requiresGrad ?? false, wantX = computesInputGradient
        if !wantW && !wantB && !wantX {
            savedTiles = []
            return Tensor(zeros: [0])
        }
        // Winograd layers get dx below, as the correlation of dy with the flipped, transposed filters,
        // and dW from the tiles their forward pass kept.
        let winograd = takesWinograd(g)
        let winogradWeights = winograd && wantW && savedTiles.count == Self.tiling(g, n: n, outChannels: o).savedCount(channels: inChannels)
        // Per-worker partial dW and db, summed afterwards in worker order (deterministic).
        let im2colWeights = wantW && !winogradWeights
        var partialW = [Float](repeating: 0, count: im2colWeights ? workers * o * k : 0)
        var partialB = [Float](repeating: 0, count: wantB ? workers * o : 0)
        // The Winograd correlation overwrites every element of dx; col2im only adds.
        var dx = !wantX ? Tensor(zeros: [0]) : winograd ? Tensor.uninitialized(input.shape) { _ in } : Tensor(zeros: input.shape)
        input.data.withUnsafeBufferPointer { xp in
            dy.data.withUnsafeBufferPointer { dyp in
                weight.value.data.withUnsafeBufferPointer { wp in
                    dx.data.withUnsafeMutableBufferPointer { dxp in
                        partialW.withUnsafeMutableBufferPointer { pw in
                            partialB.withUnsafeMutableBufferPointer { pb in
                                Parallel.forEach(workers) { w in
                                    let range = (n * w / workers)..<(n * (w + 1) / workers)
                                    let band = g.bandRows, wo = g.outWidth
                                    let needsColumns = !g.isIdentity && (im2colWeights || (wantX && !winograd))
                                    var cols = [Float](repeating: 0, count: needsColumns ? k * band * wo : 0)
                                    cols.withUnsafeMutableBufferPointer { cp in
                                        for s in range {
                                            let xs = xp.baseAddress! + s * inStride
                                            let dys = dyp.baseAddress! + s * o * l
                                            let dxs: UnsafeMutablePointer<Float>? = wantX ? dxp.baseAddress! + s * inStride : nil
                                            if wantB {
                                                // db[c] += Σ_pixels dy_s[c, :]
                                                for c in 0..<o {
                                                    var sum: Float = 0
                                                    let row = dys + c * l
                                                    for p in 0..<l { sum += row[p] }
                                                    pb[w * o + c] += sum
                                                }
                                            }
                                            if g.isIdentity {
                                                // dW (O, C) += dy_s (O, L) · x_sᵀ (L, C); dx_s (C, L) = Wᵀ (C, O) · dy_s (O, L)
                                                if im2colWeights {
                                                    Float.gemm(transA: false, transB: true, m: o, n: k, k: l, alpha: 1, a: dys, lda: l,
                                                               b: xs, ldb: l, beta: 1, c: pw.baseAddress! + w * o * k, ldc: k)
                                                }
                                                if wantX {
                                                    Float.gemm(transA: true, transB: false, m: k, n: l, k: o, alpha: 1, a: wp.baseAddress!, lda: k,
                                                               b: dys, ldb: l, beta: 0, c: dxs!, ldc: l)
                                                }
                                                continue
                                            }
                                            if !needsColumns { continue }
                                            for r0 in Swift.stride(from: 0, to: g.outHeight, by: band) {
                                                let rows = r0..<min(g.outHeight, r0 + band), lb = rows.count * wo
                                                let dyBand = dys + r0 * wo
                                                if im2colWeights {
                                                    g.im2col(xs, cp.baseAddress!, rows: rows)
                                                    // dW (O, K) += dy_s[:, band] (O, Lb) · colsᵀ (Lb, K)
                                                    Float.gemm(transA: false, transB: true, m: o, n: k, k: lb, alpha: 1,
                                                               a: dyBand, lda: l, b: cp.baseAddress!, ldb: lb,
                                                               beta: 1, c: pw.baseAddress! + w * o * k, ldc: k)
                                                }
                                                if winograd || !wantX { continue }
                                                // dcols (K, Lb) = Wᵀ (K, O) · dy_s[:, band] (O, Lb), scattered back by col2im
                                                Float.gemm(transA: true, transB: false, m: k, n: lb, k: o, alpha: 1,
                                                           a: wp.baseAddress!, lda: k, b: dyBand, ldb: l,
                                                           beta: 0, c: cp.baseAddress!, ldc: lb)
                                                g.col2im(cp.baseAddress!, dxs!, rows: rows)
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
        if winograd && computesInputGradient {
            let u = winogradFilters(flipTranspose: true)
            dy.data.withUnsafeBufferPointer { dyp in
                u.withUnsafeBufferPointer { up in
                    dx.data.withUnsafeMutableBufferPointer { dxp in
                        Winograd3x3.correlate(dyp.baseAddress!, n: n, channels: o, height: g.height, width: g.width,
                                              filters: up.baseAddress!, outChannels: inChannels, bias: nil, into: dxp.baseAddress!)
                    }
                }
            }
        }
        if winogradWeights {
            let dw = savedTiles.withUnsafeBufferPointer { sp in
                dy.data.withUnsafeBufferPointer { dyp in
                    Winograd3x3.filterGradient(savedTiles: sp.baseAddress!, outputGradient: dyp.baseAddress!, n: n,
                                               channels: inChannels, height: g.height, width: g.width, outChannels: o)
                }
            }
            savedTiles = []
            weight.grad.data.withUnsafeMutableBufferPointer { gw in
                for i in 0..<(o * k) { gw[i] += dw[i] }
            }
        }
        if im2colWeights {
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
