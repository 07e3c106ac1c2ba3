import Tensor

/// Mirrors `torch.nn.AdaptiveAvgPool2d`: averages over windows chosen so the output is
/// (outputHeight, outputWidth); output (1, 1) is global average pooling.
///
/// Window of output row i: rows floor(i·H/Ho) ..< ceil((i+1)·H/Ho), likewise for columns (PyTorch's
/// `start_index` / `end_index`), so windows may overlap when H is not a multiple of Ho.
public final class AdaptiveAvgPool2d: Layer {
    public let outputHeight: Int, outputWidth: Int
    private var inputShape: [Int] = []

    public init(outputSize: Int = 1) { outputHeight = outputSize; outputWidth = outputSize }
    public init(outputHeight: Int, outputWidth: Int) { self.outputHeight = outputHeight; self.outputWidth = outputWidth }

    @inline(__always) private static func window(_ i: Int, _ size: Int, _ out: Int) -> Range<Int> {
        (i * size / out)..<(((i + 1) * size + out - 1) / out)
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.rank == 4, "AdaptiveAvgPool2d expects (N, C, H, W), got \(x.shape)")
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (ho, wo) = (outputHeight, outputWidth)
        inputShape = x.shape
        return Tensor.uninitialized([n, c, ho, wo]) { yp in
            x.data.withUnsafeBufferPointer { xp in
                Parallel.forEach(n * c, minimumChunk: 16) { plane in
                    let src = xp.baseAddress! + plane * h * w
                    for oh in 0..<ho {
                        let rows = Self.window(oh, h, ho)
                        for ow in 0..<wo {
                            let cols = Self.window(ow, w, wo)
                            var sum: Float = 0
                            for ih in rows { for iw in cols { sum += src[ih * w + iw] } }
                            yp[plane * ho * wo + oh * wo + ow] = sum / Float(rows.count * cols.count)
                        }
                    }
                }
            }
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let (n, c, h, w) = (inputShape[0], inputShape[1], inputShape[2], inputShape[3])
        let (ho, wo) = (outputHeight, outputWidth)
        precondition(dy.shape == [n, c, ho, wo], "AdaptiveAvgPool2d backward got gradient \(dy.shape)")
        var dx = Tensor(zeros: inputShape)
        dx.data.withUnsafeMutableBufferPointer { dxp in
            dy.data.withUnsafeBufferPointer { dp in
                Parallel.forEach(n * c, minimumChunk: 16) { plane in
                    let dst = dxp.baseAddress! + plane * h * w
                    for oh in 0..<ho {
                        let rows = Self.window(oh, h, ho)
                        for ow in 0..<wo {
                            let cols = Self.window(ow, w, wo)
                            // y = mean(window) ⇒ each input of the window receives dy / |window|.
                            let g = dp[plane * ho * wo + oh * wo + ow] / Float(rows.count * cols.count)
                            for ih in rows { for iw in cols { dst[ih * w + iw] += g } }
                        }
                    }
                }
            }
        }
        return dx
    }
}
