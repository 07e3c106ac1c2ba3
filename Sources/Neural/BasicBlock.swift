import Tensor

/// Mirrors torchvision's `BasicBlock` (models/resnet.py), the two-convolution residual block of
/// ResNet18/34: `y = ReLU(BN₂(conv₂(ReLU(BN₁(conv₁(x))))) + shortcut(x))`, where the shortcut is
/// the identity, or `downsample = conv1x1(stride) → BN` when the stride or width changes.
///
/// - Parameters: `inChannels`, `outChannels` (`planes`), `stride` of the first 3×3 conv (1 or 2).
/// - Learned values (torchvision names): `conv1.weight` `(out, in, 3, 3)`, `bn1.*` `(out)`,
///   `conv2.weight` `(out, out, 3, 3)`, `bn2.*`, and with a shortcut `downsample.0.weight`
///   `(out, in, 1, 1)`, `downsample.1.*`. Convolutions have no bias, as in torchvision.
public final class BasicBlock: StatefulLayer, InputGradientOptional {
    public let conv1: Conv2d, bn1: BatchNorm2d, conv2: Conv2d, bn2: BatchNorm2d
    public let downsample: Sequential?
    private let relu1 = ReLU(), relu2 = ReLU()
    /// Whether `backward` returns dL/dx; false passes the setting to both branches' first
    /// convolutions, which then only accumulate their own gradients (`InputGradientOptional`).
    public var computesInputGradient = true {
        didSet {
            conv1.computesInputGradient = computesInputGradient
            downsample?.computesInputGradient = computesInputGradient
        }
    }

    public var parameters: [Parameter] {
        conv1.parameters + bn1.parameters + conv2.parameters + bn2.parameters + (downsample?.parameters ?? [])
    }
    public var stateTensors: [Parameter] {
        conv1.parameters + bn1.stateTensors + conv2.parameters + bn2.stateTensors + (downsample?.stateTensors ?? [])
    }

    public init(_ inChannels: Int, _ outChannels: Int, stride: Int = 1, using generator: inout some RandomNumberGenerator) {
        conv1 = Conv2d(inChannels, outChannels, kernelSize: 3, stride: stride, padding: 1, bias: false, using: &generator)
        bn1 = BatchNorm2d(outChannels)
        conv2 = Conv2d(outChannels, outChannels, kernelSize: 3, stride: 1, padding: 1, bias: false, using: &generator)
        bn2 = BatchNorm2d(outChannels)
        if stride != 1 || inChannels != outChannels {
            downsample = Sequential([Conv2d(inChannels, outChannels, kernelSize: 1, stride: stride, bias: false, using: &generator),
                                     BatchNorm2d(outChannels)])
        } else {
            downsample = nil
        }
        for (prefix, layer) in [("conv1", conv1 as Layer), ("bn1", bn1), ("conv2", conv2), ("bn2", bn2)] {
            for t in Neural.stateTensors(of: layer) { t.name = "\(prefix).\(t.name)" }
        }
        for t in downsample?.stateTensors ?? [] { t.name = "downsample.\(t.name)" }
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var out = relu1.adopt(bn1.forward(conv1.forward(x, training: training), training: training, thenReLU: true))
        out = bn2.forward(conv2.forward(out, training: training), training: training)
        let shortcut = downsample?.forward(x, training: training) ?? x
        return relu2.adopt(out.addingThenReLU(shortcut))
    }

    public func backward(_ dy: Tensor) -> Tensor {
        // y = ReLU(main + shortcut): both branches receive the same gradient.
        let d = relu2.backward(dy)
        let dMain = conv1.backward(bn1.backward(relu1.backward(conv2.backward(bn2.backward(d)))))
        let dShortcut = downsample?.backward(d) ?? d
        guard computesInputGradient else { return Tensor(zeros: [0]) }
        return dMain.adding(dShortcut)
    }
}
