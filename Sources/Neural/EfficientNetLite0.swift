import Tensor

/// Mirrors `EfficientNet.from_name('efficientnet-lite0')` of efficientnet_lite_pytorch 0.1.0:
/// a 3×3 stride-2 stem (32), sixteen MBConv blocks, a 1×1 head (1280), global average pooling,
/// dropout 0.2 and a 1000-way classifier, with ReLU6 and TensorFlow "SAME" padding throughout.
///
/// Module names are the reference's (`_conv_stem`, `_bn0`, `_blocks.N.…`, `_conv_head`, `_bn1`,
/// `_fc`), so `StateDict.load` takes the tensors of `efficientnet-lite0-57934424.pth` as they are.
/// `features(_:)` is the feature vector the study uses: `extract_features(x)` averaged over space.
public final class EfficientNetLite0: StatefulLayer {
    /// One stage of the network: (repeats, kernel, stride, expand ratio, in, out), from
    /// efficientnet_lite_builder's `r1_k3_s11_e1_i32_o16` … `r1_k3_s11_e6_i192_o320`.
    public static let stages: [(repeats: Int, kernel: Int, stride: Int, expand: Int, input: Int, output: Int)] = [
        (1, 3, 1, 1, 32, 16), (2, 3, 2, 6, 16, 24), (2, 5, 2, 6, 24, 40), (3, 3, 2, 6, 40, 80),
        (3, 5, 1, 6, 80, 112), (4, 5, 2, 6, 112, 192), (1, 3, 1, 6, 192, 320),
    ]
    public static let featureLength = 1280

    public let convStem: GroupedConv2d, bn0: BatchNorm2d
    public let blocks: [MBConvBlock]
    public let convHead: Conv2d, bn1: BatchNorm2d
    public let dropout: Dropout
    public let fc: Linear
    private let stemAct = ReLU6(), headAct = ReLU6(), pool = AdaptiveAvgPool2d(outputSize: 1), flatten = Flatten()

    public init(classes: Int = 1000, using generator: inout some RandomNumberGenerator) {
        let eps = MBConvBlock.batchNormEps, momentum = MBConvBlock.batchNormMomentum
        convStem = GroupedConv2d(3, 32, kernelSize: 3, stride: 2, padding: .same, groups: 1, bias: false, using: &generator)
        bn0 = BatchNorm2d(32, eps: eps, momentum: momentum)
        var blocks: [MBConvBlock] = []
        for stage in Self.stages {
            for r in 0..<stage.repeats {
                blocks.append(MBConvBlock(inChannels: r == 0 ? stage.input : stage.output, outChannels: stage.output,
                                          expandRatio: stage.expand, kernelSize: stage.kernel,
                                          stride: r == 0 ? stage.stride : 1, using: &generator))
            }
        }
        self.blocks = blocks
        convHead = Conv2d(320, Self.featureLength, kernelSize: 1, bias: false, using: &generator)
        bn1 = BatchNorm2d(Self.featureLength, eps: eps, momentum: momentum)
        dropout = Dropout(0.2)
        fc = Linear(Self.featureLength, classes, using: &generator)
        for (prefix, layer) in [("_conv_stem", convStem as Layer), ("_bn0", bn0), ("_conv_head", convHead), ("_bn1", bn1), ("_fc", fc)] {
            for t in Neural.stateTensors(of: layer) { t.name = "\(prefix).\(t.name)" }
        }
        for (i, block) in blocks.enumerated() {
            for t in block.stateTensors { t.name = "_blocks.\(i).\(t.name)" }
        }
    }

    public var parameters: [Parameter] {
        convStem.parameters + bn0.parameters + blocks.flatMap(\.parameters) + convHead.parameters + bn1.parameters + fc.parameters
    }
    public var stateTensors: [Parameter] {
        convStem.parameters + bn0.stateTensors + blocks.flatMap(\.stateTensors) + convHead.parameters + bn1.stateTensors
            + fc.parameters
    }

    /// `extract_features`: the head's activations (N, 1280, H/32, W/32).
    public func featureMaps(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == 3, "EfficientNetLite0 expects (N, 3, H, W), got \(x.shape)")
        var h = stemAct.forward(bn0.forward(convStem.forward(x, training: training), training: training), training: training)
        for block in blocks { h = block.forward(h, training: training) }
        return headAct.forward(bn1.forward(convHead.forward(h, training: training), training: training), training: training)
    }

    /// The pooled features (N, 1280), evaluation mode: `extract_features(x).mean((2, 3))`.
    public func features(_ x: Tensor) -> Tensor {
        flatten.forward(pool.forward(featureMaps(x, training: false), training: false), training: false)
    }

    /// Logits (N, classes).
    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let pooled = flatten.forward(pool.forward(featureMaps(x, training: training), training: training), training: training)
        return fc.forward(dropout.forward(pooled, training: training), training: training)
    }

    public func backward(_ dy: Tensor) -> Tensor {
        var d = pool.backward(flatten.backward(dropout.backward(fc.backward(dy))))
        d = convHead.backward(bn1.backward(headAct.backward(d)))
        for block in blocks.reversed() { d = block.backward(d) }
        return convStem.backward(bn0.backward(stemAct.backward(d)))
    }
}
