import Tensor

/// The trainable part of ResNet18's fine-tuning recipe applied to an EfficientNet-Lite: the last
/// stage, `_conv_head`, `_bn1`, ReLU6, global average pooling, and the study's new classifier
/// `Linear(1280, 128) → ReLU → Dropout(0.2) → Linear(128, classes)` in place of `_fc`.
///
/// Its input is the frozen trunk's output, the activations entering the last stage
/// (`EfficientNetLite.InferencePlan.trunkFeatures`), which is the same every epoch without
/// augmentation: computed once, each epoch then costs only this part.
///
/// State-dict names are those of the fine-tuned PyTorch model (`_blocks.15.…`, `_conv_head.…`,
/// `_bn1.…`, `_fc.0.…`, `_fc.3.…` for `model._fc = nn.Sequential(...)`), so a saved tail is a
/// subset of that model's `state_dict()`.
public final class EfficientNetLiteTail: StatefulLayer {
    public let stage: [MBConvBlock]
    public let convHead: Conv2d, bn1: BatchNorm2d
    /// `_fc`: Linear(1280, hidden), ReLU, Dropout, Linear(hidden, classes).
    public let classifier: Sequential
    /// The variant the stage was taken from, and the stage's first block index in it.
    public let variant: EfficientNetLite.Variant
    public let firstBlock: Int
    private let headAct = ReLU6(), pool = AdaptiveAvgPool2d(outputSize: 1), flatten = Flatten()

    /// Copies `model`'s (pretrained) last stage, `_conv_head` and `_bn1`, values and running
    /// statistics, and makes a new classifier with PyTorch's default initialisation from `generator`.
    /// The stage does not compute the gradient toward its input (the trunk is frozen).
    public init(from model: EfficientNetLite, hiddenUnits: Int = 128, classes: Int, dropout: Float = 0.2, dropoutSeed: UInt64,
                using generator: inout some RandomNumberGenerator) {
        variant = model.variant
        firstBlock = model.lastStageStart
        stage = model.blocks[model.lastStageStart...].map { source in
            let input = source.expandConv?.inChannels ?? source.depthwiseConv.inChannels
            let block = MBConvBlock(inChannels: input, outChannels: source.projectConv.outChannels,
                                    expandRatio: source.depthwiseConv.outChannels / input, kernelSize: source.depthwiseConv.kernelSize,
                                    stride: source.depthwiseConv.stride, using: &generator)
            block.dropConnectRate = source.dropConnectRate
            Self.copy(source, into: block)
            return block
        }
        convHead = Conv2d(model.convHead.inChannels, model.convHead.outChannels, kernelSize: 1, bias: false, using: &generator)
        bn1 = BatchNorm2d(model.bn1.features, eps: model.bn1.eps, momentum: model.bn1.momentum)
        Self.copy(model.convHead, into: convHead)
        Self.copy(model.bn1, into: bn1)
        classifier = Sequential([Linear(EfficientNetLite.featureLength, hiddenUnits, using: &generator), ReLU(),
                                 Dropout(dropout, seed: dropoutSeed), Linear(hiddenUnits, classes, using: &generator)])
        for (i, block) in stage.enumerated() {
            for t in block.stateTensors { t.name = "_blocks.\(firstBlock + i).\(t.name)" }
        }
        for (prefix, layer) in [("_conv_head", convHead as Layer), ("_bn1", bn1), ("_fc", classifier)] {
            for t in Neural.stateTensors(of: layer) { t.name = "\(prefix).\(t.name)" }
        }
        stage.first?.computesInputGradient = false
    }

    /// Copies every state tensor's value of `source` into `target` (same architecture).
    private static func copy(_ source: Layer, into target: Layer) {
        let from = Neural.stateTensors(of: source), to = Neural.stateTensors(of: target)
        precondition(from.map(\.value.shape) == to.map(\.value.shape), "EfficientNetLiteTail: layer shapes differ")
        for (f, t) in zip(from, to) { t.value = f.value }
    }

    /// Channels of the trunk features the tail takes (192 for Lite0 and Lite1, 208 for Lite2).
    public var inputChannels: Int { stage[0].expandConv?.inChannels ?? stage[0].depthwiseConv.inChannels }

    /// The last stage, `_conv_head` and `_bn1` (the study's smaller learning rate, 3e-5).
    public var stageParameters: [Parameter] { stage.flatMap(\.parameters) + convHead.parameters + bn1.parameters }
    /// The new classifier (the study's larger learning rate, 8e-4).
    public var headParameters: [Parameter] { classifier.parameters }
    public var dropoutLayers: [Dropout] { classifier.children.compactMap { $0.layer as? Dropout } }

    public var parameters: [Parameter] { stageParameters + headParameters }
    public var stateTensors: [Parameter] {
        stage.flatMap(\.stateTensors) + convHead.parameters + bn1.stateTensors + classifier.stateTensors
    }

    /// Logits (N, classes) of trunk features x (N, C, h, w).
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == inputChannels,
                     "EfficientNetLiteTail expects trunk features (N, \(inputChannels), h, w), got \(x.shape)")
        var h = x
        for block in stage { h = block.forward(h, training: training) }
        h = headAct.forward(bn1.forward(convHead.forward(h, training: training), training: training), training: training)
        return classifier.forward(flatten.forward(pool.forward(h, training: training), training: training), training: training)
    }

    /// Accumulates the gradients of every parameter; returns an empty tensor (the trunk is frozen).
    public func backward(_ dy: Tensor) -> Tensor {
        var d = pool.backward(flatten.backward(classifier.backward(dy)))
        d = convHead.backward(bn1.backward(headAct.backward(d)))
        for block in stage.reversed() { d = block.backward(d) }
        return d
    }
}
