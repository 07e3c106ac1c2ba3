import Tensor

/// Mirrors `MBConvBlock` of efficientnet_lite_pytorch (model.py) as EfficientNet-Lite builds it
/// (no squeeze-and-excitation, ReLU6): the mobile inverted bottleneck
/// `x → [1×1 expand → BN → ReLU6] → k×k depthwise (SAME) → BN → ReLU6 → 1×1 project → BN (+ x)`.
/// The expansion is absent when the ratio is 1; the skip is added when the stride is 1 and the
/// widths agree. Drop-connect (training only in the reference) is not applied here.
///
/// - Learned values (reference names): `_expand_conv.weight` (C·e, C, 1, 1), `_bn0.*`,
///   `_depthwise_conv.weight` (C·e, 1, k, k), `_bn1.*`, `_project_conv.weight` (O, C·e, 1, 1),
///   `_bn2.*`. Batch norms use the reference's eps 1e-3 and momentum 0.01.
public final class MBConvBlock: StatefulLayer {
    public let expandConv: Conv2d?, bn0: BatchNorm2d?
    public let depthwiseConv: GroupedConv2d, bn1: BatchNorm2d
    public let projectConv: Conv2d, bn2: BatchNorm2d
    public let hasSkip: Bool
    private let act0 = ReLU6(), act1 = ReLU6()

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
        return hasSkip ? h.adding(x) : h
    }

    public func backward(_ dy: Tensor) -> Tensor {
        var d = projectConv.backward(bn2.backward(dy))
        d = depthwiseConv.backward(bn1.backward(act1.backward(d)))
        if let expandConv, let bn0 { d = expandConv.backward(bn0.backward(act0.backward(d))) }
        return hasSkip ? d.adding(dy) : d
    }
}
