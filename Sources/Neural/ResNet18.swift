import Tensor

/// Builders of torchvision's ResNet18 (models/resnet.py, `resnet18()`): conv1 7×7/2 (no bias) →
/// bn1 → ReLU → maxpool 3×3/2 pad 1 → layer1…layer4 of two `BasicBlock`s each (widths w, 2w, 4w,
/// 8w, strides 1, 2, 2, 2; a conv1×1+BN `downsample` where the shape changes) → global average
/// pool → flatten → fc. Input `(N, 3, H, W)`, output `(N, K)` logits or `(N, 8w)` features.
public enum ResNet {
    /// ResNet18 with torchvision's `state_dict` names (`conv1.weight`, `bn1.*`,
    /// `layer1.0.conv1.weight`, `layer2.0.downsample.0.weight`, `fc.weight`, …).
    ///
    /// - Parameters:
    ///   - baseWidth: channels of conv1 and layer1; 64 in the real network. Smaller values keep the
    ///     topology and names, for fast tests (the parity fixture uses 8).
    ///   - classes: outputs of `fc`; nil leaves `fc` out (the study's `base.fc = nn.Sequential()`),
    ///     so the network returns the `(N, 8·baseWidth)` pooled features.
    /// - Learned values: initialised as torchvision does (convolutions Kaiming-normal fan-out,
    ///   BatchNorm 1/0, `fc` PyTorch's Linear default); pretrained checkpoints replace them.
    public static func resnet18(baseWidth: Int = 64, classes: Int? = 1000,
                                using generator: inout some RandomNumberGenerator) -> Sequential {
        let w = baseWidth
        var children: [(String, Layer)] = [
            ("conv1", Conv2d(3, w, kernelSize: 7, stride: 2, padding: 3, bias: false, using: &generator)),
            ("bn1", BatchNorm2d(w)), ("relu", ReLU()), ("maxpool", MaxPool2d(kernelSize: 3, stride: 2, padding: 1)),
        ]
        var inWidth = w
        for (index, (width, stride)) in [(w, 1), (2 * w, 2), (4 * w, 2), (8 * w, 2)].enumerated() {
            let first = BasicBlock(inWidth, width, stride: stride, using: &generator)
            let second = BasicBlock(width, width, stride: 1, using: &generator)
            children.append(("layer\(index + 1)", Sequential([first, second])))
            inWidth = width
        }
        children += [("avgpool", AdaptiveAvgPool2d(outputSize: 1)), ("flatten", Flatten())]
        if let classes { children.append(("fc", Linear(8 * w, classes, using: &generator))) }
        let network = Sequential(named: children)
        // torchvision re-initialises every convolution with kaiming_normal_(mode="fan_out",
        // nonlinearity="relu"): N(0, 2 / (out·kh·kw)). BatchNorm starts at weight 1, bias 0.
        var normal = SeededGenerator(seed: generator.next())
        for p in network.parameters where p.value.rank == 4 {
            let std = (2 / Double(p.value.shape[0] * p.value.shape[2] * p.value.shape[3])).squareRoot()
            p.value.data = p.value.data.map { _ in Float(normal.nextGaussian() * std) }
        }
        return network
    }
}

/// Port of the study's `ModelResNet18`: a pretrained ResNet18 `base` whose `fc` is removed, a new
/// head `block = Linear(8w, 128) → ReLU → Dropout(0.2) → Linear(128, classes)`, early layers
/// frozen, and AdamW groups with a small learning rate for the base and a larger one for the head.
///
/// `state_dict` names are the study's: `base.conv1.weight` … `base.layer4.1.bn2.*`, `block.0.*`,
/// `block.3.*`. Load torchvision/timm ImageNet weights into `base` with
/// `PretrainedWeights.load(_:into:convention:prefix:)` and prefix `base.`.
public final class StudyResNet18: StatefulLayer {
    public let base: Sequential
    public let block: Sequential
    private let model: Sequential

    /// Learning rates of the study's `get_optimizer()`: AdamW, base 3e-5, block 8e-4.
    public static let baseLearningRate: Float = 3e-5
    public static let blockLearningRate: Float = 8e-4

    public var parameters: [Parameter] { model.parameters }
    public var stateTensors: [Parameter] { model.stateTensors }

    /// - Parameters: `classes` (8), `baseWidth` (64; smaller only for tests), `dropout` (0.2),
    ///   `dropoutSeed` for the head's dropout mask stream.
    public init(classes: Int = 8, baseWidth: Int = 64, dropout: Float = 0.2,
                using generator: inout some RandomNumberGenerator) {
        base = ResNet.resnet18(baseWidth: baseWidth, classes: nil, using: &generator)
        block = Sequential([Linear(8 * baseWidth, 128, using: &generator), ReLU(),
                            Dropout(dropout, seed: generator.next()), Linear(128, classes, using: &generator)])
        model = Sequential(named: [("base", base), ("block", block)])
        freezeAsInStudy()
    }

    /// The study's `for param in list(self.base.parameters())[:-15]: param.requires_grad = False`.
    ///
    /// That line runs while `base.fc` is still torchvision's `Linear(512, 1000)`, so the last 15
    /// parameters are `fc.weight`, `fc.bias` and the last 13 of layer4 — from
    /// `layer4.0.bn1.bias` on (so `layer4.0.conv1.weight` and `layer4.0.bn1.weight` stay frozen).
    /// `fc` is then replaced by an empty `Sequential`, so here the base's last 13 stay trainable.
    public func freezeAsInStudy() {
        let params = base.parameters
        let trainable = 15 - 2
        for (i, p) in params.enumerated() { p.requiresGrad = i >= params.count - trainable }
    }

    /// The study's AdamW parameter groups: all base parameters at 3e-5 (frozen ones are skipped by
    /// the optimizer, as PyTorch skips tensors without gradients), the head at 8e-4.
    public var optimizerGroups: [ParameterGroup] {
        [ParameterGroup(base.parameters, learningRate: Self.baseLearningRate),
         ParameterGroup(block.parameters, learningRate: Self.blockLearningRate)]
    }

    /// The study's optimizer: `torch.optim.AdamW` with PyTorch defaults (betas 0.9/0.999, eps 1e-8,
    /// weight decay 0.01) and the two groups above.
    public func makeOptimizer() -> Adam { Adam.adamW(optimizerGroups) }

    /// Whether `backward` returns dL/d(images). Training never needs it, and without it the
    /// backward pass stops below the earliest trainable stage (layer4 with the study's freezing),
    /// as PyTorch's autograd does; `backward` then returns an empty tensor (shape `[0]`). Set it to
    /// true for input attributions (SHAP's gradient explainers).
    public var computesInputGradient = false

    public func forward(_ x: Tensor, training: Bool) -> Tensor { model.forward(x, training: training) }

    public func backward(_ dy: Tensor) -> Tensor {
        let stages = base.children
        let firstTrainable = stages.firstIndex { $0.layer.parameters.contains(where: \.requiresGrad) } ?? stages.count
        // The first trainable stage skips its own input gradient too, unless the images' is wanted.
        for (index, stage) in stages.enumerated() {
            (stage.layer as? InputGradientOptional)?.computesInputGradient = computesInputGradient || index != firstTrainable || index == 0
        }
        if computesInputGradient { return model.backward(dy) }
        var g = block.backward(dy)
        for stage in stages[firstTrainable...].reversed() { g = stage.layer.backward(g) }
        return firstTrainable == 0 ? g : Tensor(zeros: [0])
    }
}
