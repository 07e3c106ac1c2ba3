import Tensor

/// Mirrors `torch.nn.Conv2d` with `groups` > 1 (dilation 1): input channels and filters are split
/// into `groups` equal parts and part g of the filters sees only part g of the channels. With
/// `groups == inChannels == outChannels` it is the depthwise convolution of MobileNet/EfficientNet.
///
/// - Parameters: `inChannels`, `outChannels` (both divisible by `groups`), `kernelSize`, `stride`,
///   `padding`: `.symmetric(p)` as PyTorch's `padding=p`, or `.same` as TensorFlow's "SAME"
///   (output ceil(H / s), the total padding split with the smaller half on top/left), which is what
///   efficientnet_lite_pytorch's `Conv2dStaticSamePadding` applies.
/// - Learned: `weight` (O, C / groups, k, k), optional `bias` (O), PyTorch's default uniform init.
///
/// Computed directly (no im2col): each output plane is a sum of k·k shifted, scaled input rows,
/// which vectorises along the row for stride 1. Forward runs (sample, filter) planes in parallel;
/// backward runs groups in parallel so that dW and dx of different workers never overlap.
public final class GroupedConv2d: Layer, InputGradientOptional {
    public enum Padding: Sendable, Equatable { case symmetric(Int), same }

    public let inChannels: Int, outChannels: Int, groups: Int
    public let kernelSize: Int, stride: Int, padding: Padding
    public let weight: Parameter
    public let bias: Parameter?
    /// False skips dL/d(input) (`InputGradientOptional`), e.g. for a stem whose input is the images.
    public var computesInputGradient = true
    private var input = Tensor(zeros: [0])

    public init(_ inChannels: Int, _ outChannels: Int, kernelSize: Int, stride: Int = 1, padding: Padding = .symmetric(0),
                groups: Int, bias: Bool = true, using generator: inout some RandomNumberGenerator) {
        precondition(groups > 0 && inChannels % groups == 0 && outChannels % groups == 0,
                     "GroupedConv2d: \(inChannels) and \(outChannels) channels are not divisible into \(groups) groups")
        self.inChannels = inChannels; self.outChannels = outChannels; self.groups = groups
        self.kernelSize = kernelSize; self.stride = stride; self.padding = padding
        let fanIn = inChannels / groups * kernelSize * kernelSize
        weight = Parameter(name: "weight", value: Tensor(shape: [outChannels, inChannels / groups, kernelSize, kernelSize],
            data: DefaultInitializer.uniform(count: outChannels * fanIn, fanIn: fanIn, using: &generator)))
        self.bias = bias ? Parameter(name: "bias", value: Tensor(shape: [outChannels],
            data: DefaultInitializer.uniform(count: outChannels, fanIn: fanIn, using: &generator))) : nil
    }

    public var parameters: [Parameter] { [weight] + (bias.map { [$0] } ?? []) }

    /// Output size and the padding before the first row/column for an input side.
    func geometry(_ side: Int) -> (out: Int, before: Int) {
        switch padding {
        case .symmetric(let p):
            return ((side + 2 * p - kernelSize) / stride + 1, p)
        case .same:
            let out = (side + stride - 1) / stride
            let total = max((out - 1) * stride + kernelSize - side, 0)
            return (out, total / 2)
        }
    }

    /// Output indices o in 0..<outSide whose input index o·s − before + k lies in 0..<side.
    @inline(__always) func validOutputs(_ k: Int, before: Int, side: Int, outSide: Int) -> Range<Int> {
        // o·s ≥ before − k  and  o·s ≤ side − 1 + before − k
        let lowNumerator = before - k
        let low = lowNumerator <= 0 ? 0 : (lowNumerator + stride - 1) / stride
        let highNumerator = side - 1 + before - k
        let high = highNumerator < 0 ? -1 : highNumerator / stride
        return low..<max(low, min(outSide, high + 1))
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == inChannels, "GroupedConv2d(\(inChannels), \(outChannels)) got input \(x.shape)")
        input = x
        let n = x.shape[0], h = x.shape[2], w = x.shape[3]
        let (ho, top) = geometry(h), (wo, left) = geometry(w)
        precondition(ho > 0 && wo > 0, "GroupedConv2d: input \(x.shape) is smaller than the kernel")
        if isDepthwiseSame { return depthwiseSameForward(x) }
        if isSmallDenseSame { return smallDenseSameForward(x) }
        let cg = inChannels / groups, og = outChannels / groups, k = kernelSize, s = stride
        return Tensor.uninitialized([n, outChannels, ho, wo]) { yp in
            x.data.withUnsafeBufferPointer { xp in
                weight.value.data.withUnsafeBufferPointer { wp in
                    let biasValues = bias?.value.data
                    Parallel.forEach(n * outChannels, minimumChunk: 4) { plane in
                        let sample = plane / outChannels, oc = plane % outChannels, g = oc / og
                        let y = yp + plane * ho * wo
                        let start = biasValues?[oc] ?? 0
                        for i in 0..<(ho * wo) { y[i] = start }
                        for icl in 0..<cg {
                            let xs = xp.baseAddress! + (sample * inChannels + g * cg + icl) * h * w
                            let ws = wp.baseAddress! + (oc * cg + icl) * k * k
                            for kh in 0..<k {
                                let rows = validOutputs(kh, before: top, side: h, outSide: ho)
                                for kw in 0..<k {
                                    let cols = validOutputs(kw, before: left, side: w, outSide: wo)
                                    guard !cols.isEmpty else { continue }
                                    let weightValue = ws[kh * k + kw]
                                    for r in rows {
                                        let xr = xs + (r * s - top + kh) * w - left + kw
                                        let yr = y + r * wo
                                        if s == 1 {
                                            for c in cols { yr[c] += weightValue * xr[c] }
                                        } else {
                                            for c in cols { yr[c] += weightValue * xr[c * s] }
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

    public func backward(_ dy: Tensor) -> Tensor {
        let x = input
        if isDepthwiseSame { return depthwiseSameBackward(dy, input: x) }
        if isSmallDenseSame { return smallDenseSameBackward(dy, input: x) }
        let n = x.shape[0], h = x.shape[2], w = x.shape[3]
        let (ho, top) = geometry(h), (wo, left) = geometry(w)
        precondition(dy.shape == [n, outChannels, ho, wo], "GroupedConv2d backward got gradient \(dy.shape)")
        let cg = inChannels / groups, og = outChannels / groups, k = kernelSize, s = stride
        let wantW = weight.requiresGrad
        var dW = [Float](repeating: 0, count: weight.value.count)
        var dx = Tensor(zeros: x.shape)
        x.data.withUnsafeBufferPointer { xp in
            dy.data.withUnsafeBufferPointer { dp in
                weight.value.data.withUnsafeBufferPointer { wp in
                    dx.data.withUnsafeMutableBufferPointer { dxp in
                        dW.withUnsafeMutableBufferPointer { dwp in
                            // A group owns its filters' dW and its channels' dx: no two workers write the same value.
                            Parallel.forEach(groups) { g in
                                for sample in 0..<n {
                                    for ocl in 0..<og {
                                        let oc = g * og + ocl
                                        let d = dp.baseAddress! + (sample * outChannels + oc) * ho * wo
                                        for icl in 0..<cg {
                                            let channel = (sample * inChannels + g * cg + icl) * h * w
                                            let xs = xp.baseAddress! + channel, dxs = dxp.baseAddress! + channel
                                            let index = (oc * cg + icl) * k * k
                                            for kh in 0..<k {
                                                let rows = validOutputs(kh, before: top, side: h, outSide: ho)
                                                for kw in 0..<k {
                                                    let cols = validOutputs(kw, before: left, side: w, outSide: wo)
                                                    guard !cols.isEmpty else { continue }
                                                    let weightValue = wp[index + kh * k + kw]
                                                    var sum: Float = 0
                                                    for r in rows {
                                                        let offset = (r * s - top + kh) * w - left + kw
                                                        let dr = d + r * wo
                                                        for c in cols {
                                                            // y[r, c] += W · x[offset + c·s]
                                                            sum += dr[c] * xs[offset + c * s]
                                                            dxs[offset + c * s] += weightValue * dr[c]
                                                        }
                                                    }
                                                    dwp[index + kh * k + kw] += sum
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
        }
        if wantW { for i in dW.indices { weight.grad.data[i] += dW[i] } }
        if let b = bias, b.requiresGrad {
            dy.data.withUnsafeBufferPointer { dp in
                for oc in 0..<outChannels {
                    var sum: Float = 0
                    for sample in 0..<n {
                        let d = dp.baseAddress! + (sample * outChannels + oc) * ho * wo
                        for i in 0..<(ho * wo) { sum += d[i] }
                    }
                    b.grad.data[oc] += sum
                }
            }
        }
        return dx
    }
}
