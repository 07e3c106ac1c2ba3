import Tensor

/// Mirrors `torch.nn.MaxPool2d` (dilation 1, floor mode): the maximum of each window, padding
/// counting as −∞.
///
/// - Parameters: `kernelSize`, `stride` (default = kernelSize), `padding` (default 0, at most half the kernel).
/// - Input (N, C, H, W) → (N, C, Ho, Wo), Ho = (H + 2p − k) / s + 1.
/// - Backward routes each output gradient to the first maximum of its window (PyTorch's choice).
public final class MaxPool2d: Layer {
    public let kernelSize: Int, stride: Int, padding: Int
    /// Flat index within its (H, W) plane of each output's maximum, (N, C, Ho, Wo).
    private var argmax: [Int32] = []
    private var inputShape: [Int] = []

    public init(kernelSize: Int, stride: Int? = nil, padding: Int = 0) {
        precondition(padding * 2 <= kernelSize, "MaxPool2d: padding \(padding) must be at most half the kernel \(kernelSize)")
        self.kernelSize = kernelSize; self.stride = stride ?? kernelSize; self.padding = padding
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.rank == 4, "MaxPool2d expects (N, C, H, W), got \(x.shape)")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let ho = (h + 2 * padding - kernelSize) / stride + 1, wo = (w + 2 * padding - kernelSize) / stride + 1
        precondition(ho > 0 && wo > 0, "MaxPool2d(\(kernelSize)) input \(x.shape) is too small")
        inputShape = x.shape
        var indices = [Int32](repeating: 0, count: n * c * ho * wo)
        let fast2x2 = kernelSize == 2 && stride == 2 && padding == 0
        let y = Tensor.uninitialized([n, c, ho, wo]) { yp in
            x.data.withUnsafeBufferPointer { xp in
                indices.withUnsafeMutableBufferPointer { ip in
                    Parallel.forEach(n * c, minimumChunk: 4) { plane in
                        let src = xp.baseAddress! + plane * h * w
                        let dst = yp + plane * ho * wo, idx = ip.baseAddress! + plane * ho * wo
                        if fast2x2 {
                            // The study's MaxPool2d(2): four reads per output, no bounds checks.
                            for oh in 0..<ho {
                                let r0 = 2 * oh * w, r1 = r0 + w
                                for ow in 0..<wo {
                                    let c = 2 * ow
                                    var best = src[r0 + c], at = r0 + c
                                    var k = r0 + c + 1
                                    if src[k] > best || src[k].isNaN { best = src[k]; at = k }
                                    k = r1 + c
                                    if src[k] > best || src[k].isNaN { best = src[k]; at = k }
                                    k += 1
                                    if src[k] > best || src[k].isNaN { best = src[k]; at = k }
                                    dst[oh * wo + ow] = best; idx[oh * wo + ow] = Int32(at)
                                }
                            }
                            return
                        }
                        for oh in 0..<ho {
                            let h0 = oh * stride - padding
                            let hs = max(h0, 0), he = min(h0 + kernelSize, h)
                            for ow in 0..<wo {
                                let w0 = ow * stride - padding
                                let ws = max(w0, 0), we = min(w0 + kernelSize, w)
                                var best = -Float.infinity, at = hs * w + ws
                                for ih in hs..<he {
                                    for iw in ws..<we {
                                        let v = src[ih * w + iw]
                                        // `> best || NaN` keeps the first maximum and propagates NaN, as PyTorch.
                                        if v > best || v.isNaN { best = v; at = ih * w + iw }
                                    }
                                }
                                dst[oh * wo + ow] = best; idx[oh * wo + ow] = Int32(at)
                            }
                        }
                    }
                }
            }
        }
        argmax = indices
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let per = dy.count / max(1, n * c)
        precondition(dy.count == argmax.count, "MaxPool2d backward got gradient \(dy.shape)")
        var dx = Tensor(zeros: inputShape)
        dx.data.withUnsafeMutableBufferPointer { dxp in
            dy.data.withUnsafeBufferPointer { dp in
                argmax.withUnsafeBufferPointer { ip in
                    // dx[argmax] += dy; windows may overlap when stride < kernel, hence +=.
                    Parallel.forEach(n * c, minimumChunk: 4) { plane in
                        let dst = dxp.baseAddress! + plane * h * w
                        for o in 0..<per { dst[Int(ip[plane * per + o])] += dp[plane * per + o] }
                    }
                }
            }
        }
        return dx
    }
}
