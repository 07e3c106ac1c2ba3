import Neural
import Tensor

/// DeepLIFT's rescale rules for the two non-linear layers of the study's CNNs, as shap's
/// deep_pytorch.py backward hooks (`nonlinear_1d`, `maxpool`) compute them.
///
/// Both see a joint batch: the first half is the explained image repeated, the second half the
/// background (references), row for row. Their "gradient" is the multiplier Δout/Δin, the same for
/// both halves, so linear layers' ordinary backward passes chain it unchanged.
enum DeepLIFTRules {
    /// Port of shap `nonlinear_1d` for ReLU: g · Δy/Δx, or the ordinary gradient of each row where
    /// |Δx| < 1e-6 (shap's guard against dividing by a vanishing difference).
    static func relu(input x: Tensor, output y: Tensor, gradient g: Tensor) -> Tensor {
        let half = x.count / 2
        var dx = [Float](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let j = i % half
            let deltaIn = x.data[j] - x.data[j + half]
            if abs(deltaIn) < 1e-6 {
                dx[i] = x.data[i] > 0 ? g.data[i] : 0
            } else {
                dx[i] = g.data[i] * ((y.data[j] - y.data[j + half]) / deltaIn)
            }
        }
        return Tensor(shape: x.shape, data: dx)
    }

    /// Port of shap `maxpool`: the output differences are split at the cross maximum
    /// max(y, y_ref) into (cross − y_ref) routed to the image's argmax and (y − cross) routed to the
    /// reference's argmax (max_unpool2d, later writes winning as in PyTorch), then divided by Δx
    /// (0 where |Δx| < 1e-7) and shared by both halves.
    static func maxPool(_ pool: MaxPool2d, input x: Tensor, output y: Tensor, gradient g: Tensor) -> Tensor {
        let (n, c, h, w) = (x.shape[0], x.shape[1], x.shape[2], x.shape[3])
        let (ho, wo) = (y.shape[2], y.shape[3])
        let half = n / 2, planeIn = h * w, planeOut = ho * wo
        var unpooled = [Float](repeating: 0, count: x.count)
        for plane in 0..<(n * c) {
            let sample = plane / c, channel = plane % c
            let partner = (sample < half ? sample + half : sample - half) * c + channel
            for oh in 0..<ho {
                for ow in 0..<wo {
                    let o = plane * planeOut + oh * wo + ow
                    let own = y.data[o], other = y.data[partner * planeOut + oh * wo + ow]
                    // Image rows carry cross − y_ref; reference rows carry y − cross (y being
                    // the image row's output), as shap's `diffs`.
                    let diff: Float = sample < half ? max(own, other) - other : other - max(other, own)
                    let at = argmax(x, plane: plane, oh: oh, ow: ow, pool: pool, height: h, width: w)
                    unpooled[plane * planeIn + at] = g.data[o] * diff
                }
            }
        }
        var dx = [Float](repeating: 0, count: x.count)
        let halfCount = x.count / 2
        for j in 0..<halfCount {
            let deltaIn = x.data[j] - x.data[j + halfCount]
            let value: Float = abs(deltaIn) < 1e-7 ? 0 : (unpooled[j] + unpooled[j + halfCount]) / deltaIn
            dx[j] = value; dx[j + halfCount] = value
        }
        return Tensor(shape: x.shape, data: dx)
    }

    /// Index within its plane of the first maximum of a pooling window (PyTorch's choice); padding
    /// counts as −∞.
    private static func argmax(_ x: Tensor, plane: Int, oh: Int, ow: Int, pool: MaxPool2d, height h: Int, width w: Int) -> Int {
        let base = plane * h * w
        var best = -Float.infinity, at = -1
        for kh in 0..<pool.kernelSize {
            let ih = oh * pool.stride - pool.padding + kh
            guard ih >= 0 && ih < h else { continue }
            for kw in 0..<pool.kernelSize {
                let iw = ow * pool.stride - pool.padding + kw
                guard iw >= 0 && iw < w else { continue }
                let v = x.data[base + ih * w + iw]
                if v > best || at < 0 { best = v; at = ih * w + iw }
            }
        }
        return at
    }
}
