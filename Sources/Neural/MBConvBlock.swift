import Tensor

/// Mirrors `MBConvBlock` of efficientnet_lite_pytorch (model.py) as EfficientNet-Lite builds it
/// (no squeeze-and-excitation, ReLU6): the mobile inverted bottleneck
/// `x → [1×1 expand → BN → ReLU6] → k×k depthwise (SAME) → BN → ReLU6 → 1×1 project → BN (+ x)`.
/// The expansion is absent when the ratio is 1; the skip is added when the stride is 1 and the
/// widths agree. In training, a block with a skip drops its branch for whole images with
/// probability `dropConnectRate` and scales the kept ones by 1 / (1 − rate), as the reference's
/// `drop_connect` (stochastic depth); the masks come from the block's own seeded generator.
///
/// - Learned values (reference names): `_expand_conv.weight` (C·e, C, 1, 1), `_bn0.*`,
///   `_depthwise_conv.weight` (C·e, 1, k, k), `_bn1.*`, `_project_conv.weight` (O, C·e, 1, 1),
///   `_bn2.*`. Batch norms use the reference's eps 1e-3 and momentum 0.01.
public final class MBConvBlock: StatefulLayer, InputGradientOptional {
    public let expandConv: Conv2d?, bn0: BatchNorm2d?
    public let depthwiseConv: GroupedConv2d, bn1: BatchNorm2d
    public let projectConv: Conv2d, bn2: BatchNorm2d
    public let hasSkip: Bool
    /// False skips dL/d(input) when nothing needs it (a frozen trunk before this block): the 1×1
    /// expansion then computes only its weight gradient and `backward` returns an empty tensor.
    /// Without an expansion, or with a skip, the input gradient is computed anyway.
    public var computesInputGradient = true {
        didSet { expandConv?.computesInputGradient = computesInputGradient || hasSkip }
    }
    /// The reference's per-block drop-connect probability (EfficientNetLite sets 0.2 · index / count).
    public var dropConnectRate: Float = 0
    private let act0 = ReLU6(), act1 = ReLU6()
    private var dropGenerator = SeededGenerator(seed: 0)
    /// The last training pass's per-image branch scale (0 or 1 / (1 − rate)); empty when none applied.
    private var branchScale: [Float] = []

    /// The reference's batch-norm settings (TensorFlow's momentum 0.99 is PyTorch's 0.01).
    public static let batchNormEps: Float = 1e-3, batchNormMomentum: Float = 0.01

    public init(inChannels: Int, outChannels: Int, expandRatio: Int, kernelSize: Int, stride: Int,
                using generator: inout some RandomNumberGenerator) {
        let hidden = inChannels * expandRatio
        if expandRatio != 1 {
            expandConv = Conv2d(inChannels, hidden, kernelSize: 1, bias: false, using: &generator)
            bn0 = BatchNorm2d(hidden, eps: Self.batchNormEps, momentum: Self.batchNormMomentum)
        } else {
            expandConv = nil; bn0 = nil
        }
        depthwiseConv = GroupedConv2d(hidden, hidden, kernelSize: kernelSize, stride: stride, padding: .same,
                                      groups: hidden, bias: false, using: &generator)
        bn1 = BatchNorm2d(hidden, eps: Self.batchNormEps, momentum: Self.batchNormMomentum)
        projectConv = Conv2d(hidden, outChannels, kernelSize: 1, bias: false, using: &generator)
        bn2 = BatchNorm2d(outChannels, eps: Self.batchNormEps, momentum: Self.batchNormMomentum)
        hasSkip = stride == 1 && inChannels == outChannels
        let named: [(String, Layer?)] = [("_expand_conv", expandConv), ("_bn0", bn0), ("_depthwise_conv", depthwiseConv),
                                         ("_bn1", bn1), ("_project_conv", projectConv), ("_bn2", bn2)]
        for case let (prefix, layer?) in named {
            for t in Neural.stateTensors(of: layer) { t.name = "\(prefix).\(t.name)" }
        }
    }

    public var parameters: [Parameter] {
        (expandConv?.parameters ?? []) + (bn0?.parameters ?? []) + depthwiseConv.parameters + bn1.parameters
            + projectConv.parameters + bn2.parameters
    }
    public var stateTensors: [Parameter] {
        (expandConv?.parameters ?? []) + (bn0?.stateTensors ?? []) + depthwiseConv.parameters + bn1.stateTensors
            + projectConv.parameters + bn2.stateTensors
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var h = x
        if let expandConv, let bn0 {
            h = act0.forward(bn0.forward(expandConv.forward(h, training: training), training: training), training: training)
        }
        h = act1.forward(bn1.forward(depthwiseConv.forward(h, training: training), training: training), training: training)
        h = bn2.forward(projectConv.forward(h, training: training), training: training)
        branchScale = []
        guard hasSkip else { return h }
        if training && dropConnectRate > 0 {
            let keep = 1 - dropConnectRate
            // torch.floor(keep + U[0, 1)) is 1 with probability keep; 24 random bits per image.
            branchScale = (0..<x.shape[0]).map { _ in
                Float(dropGenerator.next() & 0xFF_FFFF) / 16_777_216 < keep ? 1 / keep : 0
            }
            h = Self.scaledPerImage(h, branchScale)
        }
        return h.adding(x)
    }

    /// Restarts the drop-connect masks from `seed`.
    public func reseedDropConnect(_ seed: UInt64) { dropGenerator = SeededGenerator(seed: seed) }

    /// x (N, …) with image n's values times `scale[n]`.
    static func scaledPerImage(_ x: Tensor, _ scale: [Float]) -> Tensor {
        var y = x
        let per = x.count / scale.count
        y.data.withUnsafeMutableBufferPointer { p in
            for (n, s) in scale.enumerated() where s != 1 {
                for i in (n * per)..<((n + 1) * per) { p[i] *= s }
            }
        }
        return y
    }

    public func backward(_ dy: Tensor) -> Tensor {
        var d = projectConv.backward(bn2.backward(branchScale.isEmpty ? dy : Self.scaledPerImage(dy, branchScale)))
        d = depthwiseConv.backward(bn1.backward(act1.backward(d)))
        if let expandConv, let bn0 { d = expandConv.backward(bn0.backward(act0.backward(d))) }
        return hasSkip ? d.adding(dy) : d
    }
}
