import Tensor

/// Mirrors torchvision ViT's `conv_proj` (`nn.Conv2d(C, D, kernel_size=P, stride=P)`) followed by
/// its `flatten(2).transpose(1, 2)`: image `(N, C, H, W)` → patch tokens `(N, T, D)` with
/// `T = (H/P)·(W/P)` in row-major patch order.
///
/// A stride-P, P×P convolution over non-overlapping patches is a matrix product: each patch is
/// cut out as a `C·P·P` row (channel-major, like the conv weight's `(C, P, P)` layout) and
/// multiplied by the weight seen as `(D, C·P·P)` in one gemm over all patches of all images.
///
/// - Parameters:
///   - channels: `C` (3 for RGB). - patchSize: `P` (16 for ViT-B/16). - width: `D`.
/// - Learned values: `weight` `(D, C, P, P)`, `bias` `(D)`, initialised `U(±1/√(C·P·P))` like
///   PyTorch's Conv2d default (torchvision re-initialises with a truncated normal; pretrained
///   weights replace both).
public final class PatchEmbedding: Layer {
    public let channels: Int, patchSize: Int, width: Int
    public let weight: Parameter
    public let bias: Parameter
    public var parameters: [Parameter] { [weight, bias] }

    private var patches: [Float] = []   // (N·T, C·P·P)
    private var inputShape: [Int] = []

    public init(channels: Int = 3, patchSize: Int, width: Int,
                using generator: inout some RandomNumberGenerator) {
        self.channels = channels; self.patchSize = patchSize; self.width = width
        let fanIn = channels * patchSize * patchSize
        let bound = 1 / Float(fanIn).squareRoot()
        weight = Parameter(name: "weight", value: Tensor(shape: [width, channels, patchSize, patchSize],
            data: UniformFloat.draws(width * fanIn, in: -bound...bound, using: &generator)))
        bias = Parameter(name: "bias", value: Tensor(shape: [width],
            data: UniformFloat.draws(width, in: -bound...bound, using: &generator)))
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.rank == 4 && input.shape[1] == channels
                     && input.shape[2] % patchSize == 0 && input.shape[3] % patchSize == 0,
                     "PatchEmbedding expects (N, \(channels), H, W) with H, W multiples of \(patchSize), got \(input.shape)")
        inputShape = input.shape
        let (n, c, hh, ww, p) = (input.shape[0], channels, input.shape[2], input.shape[3], patchSize)
        let (gh, gw) = (hh / p, ww / p)
        let rowWidth = c * p * p, tokens = gh * gw
        patches = [Float](repeating: 0, count: n * tokens * rowWidth)
        input.data.withUnsafeBufferPointer { x in
            patches.withUnsafeMutableBufferPointer { out in
                Parallel.forEach(n * gh) { task in
                    let (img, py) = (task / gh, task % gh)
                    for px in 0..<gw {
                        let row = out.baseAddress! + ((img * gh + py) * gw + px) * rowWidth
                        for ch in 0..<c {
                            for dy in 0..<p {
                                let src = x.baseAddress! + ((img * c + ch) * hh + py * p + dy) * ww + px * p
                                (row + (ch * p + dy) * p).update(from: src, count: p)
                            }
                        }
                    }
                }
            }
        }
        let y = TokenMath.affine(patches, rows: n * tokens, inWidth: rowWidth, weight: weight.value.data,
                                 bias: bias.value.data, outWidth: width)
        return Tensor(shape: [n, tokens, width], data: y)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let (n, c, hh, ww, p) = (inputShape[0], channels, inputShape[2], inputShape[3], patchSize)
        let (gh, gw) = (hh / p, ww / p)
        let rowWidth = c * p * p, tokens = gh * gw
        // y = patches · Wᵀ + b
        let dPatches = TokenMath.affineBackward(outputGradient.data, x: patches, rows: n * tokens, inWidth: rowWidth,
                                                outWidth: width, weight: weight, bias: bias)
        // Patches do not overlap, so scattering the rows back is a plain copy.
        var dx = [Float](repeating: 0, count: inputShape.reduce(1, *))
        dPatches.withUnsafeBufferPointer { src in
            dx.withUnsafeMutableBufferPointer { out in
                Parallel.forEach(n * gh) { task in
                    let (img, py) = (task / gh, task % gh)
                    for px in 0..<gw {
                        let row = src.baseAddress! + ((img * gh + py) * gw + px) * rowWidth
                        for ch in 0..<c {
                            for dy in 0..<p {
                                let dst = out.baseAddress! + ((img * c + ch) * hh + py * p + dy) * ww + px * p
                                dst.update(from: row + (ch * p + dy) * p, count: p)
                            }
                        }
                    }
                }
            }
        }
        return Tensor(shape: inputShape, data: dx)
    }
}
