import Tensor

/// Mirrors `EfficientNet.from_name('efficientnet-liteN')` of efficientnet_lite_pytorch 0.1.0 for
/// Lite0, Lite1 and Lite2: a 3×3 stride-2 stem (32), seven stages of MBConv blocks, a 1×1 head
/// (1280), global average pooling, dropout and a classifier, with ReLU6 and TensorFlow "SAME"
/// padding throughout. A variant scales the stages' widths and repeats (`Variant.stages`).
///
/// Module names are the reference's (`_conv_stem`, `_bn0`, `_blocks.N.…`, `_conv_head`, `_bn1`,
/// `_fc`), so `StateDict.load` takes the tensors of `efficientnet-liteN-….pth` as they are.
/// `features(_:)` is the feature vector the study uses: `extract_features(x)` averaged over space.
///
/// In training, blocks with a skip apply the reference's drop connect (stochastic depth, rate
/// 0.2 · block index / block count), from generators seeded by `reseed(_:)`.
public final class EfficientNetLite: StatefulLayer, InputGradientOptional {
    /// One stage of the network, as efficientnet_lite_builder's `r1_k3_s11_e1_i32_o16`:
    /// repeats, kernel, stride (of its first block), expand ratio, input and output widths.
    public struct Stage: Sendable, Hashable {
        public var repeats: Int, kernel: Int, stride: Int, expand: Int, input: Int, output: Int
    }

    /// A member of the family: the reference's `efficientnet_params` (width, depth, resolution,
    /// dropout). Stem, head, and the first and last stage's repeats are not scaled (`fix_head_stem`).
    public struct Variant: Sendable, Hashable, Codable {
        /// The reference's model name, e.g. "efficientnet-lite1".
        public var name: String
        public var width: Double, depth: Double
        /// The resolution the variant was trained at (square).
        public var imageSize: Int
        /// Dropout before the classifier.
        public var dropout: Float

        public static let lite0 = Variant(name: "efficientnet-lite0", width: 1.0, depth: 1.0, imageSize: 224, dropout: 0.2)
        public static let lite1 = Variant(name: "efficientnet-lite1", width: 1.0, depth: 1.1, imageSize: 240, dropout: 0.2)
        public static let lite2 = Variant(name: "efficientnet-lite2", width: 1.1, depth: 1.2, imageSize: 260, dropout: 0.3)
        public static let all: [Variant] = [.lite0, .lite1, .lite2]

        /// The variant called `name` ("efficientnet-lite1" or "lite1"), nil when unknown.
        public static func named(_ name: String) -> Variant? {
            let lower = name.lowercased()
            return all.first { $0.name == lower || $0.name == "efficientnet-" + lower }
        }

        /// "EfficientNet-Lite1".
        public var displayName: String { "EfficientNet-Lite" + name.dropFirst("efficientnet-lite".count) }

        /// The stages scaled as the reference does: widths by `round_filters` (to multiples of 8,
        /// never more than 10% below), repeats by `ceil(depth · r)`, except the first and last
        /// stage's repeats and the first stage's input (the stem's 32), which stay as Lite0's.
        public var stages: [Stage] {
            let base = EfficientNetLite.baseStages
            return base.enumerated().map { i, s in
                let fixed = i == 0 || i == base.count - 1
                return Stage(repeats: fixed ? s.repeats : Int((depth * Double(s.repeats)).rounded(.up)),
                             kernel: s.kernel, stride: s.stride, expand: s.expand,
                             input: i == 0 ? EfficientNetLite.stemChannels : roundFilters(s.input),
                             output: roundFilters(s.output))
            }
        }

        /// `round_filters` of the reference (depth_divisor 8, min_depth None).
        func roundFilters(_ filters: Int) -> Int {
            let divisor = 8, scaled = Double(filters) * width
            var rounded = max(divisor, Int(scaled + Double(divisor) / 2) / divisor * divisor)
            if Double(rounded) < 0.9 * scaled { rounded += divisor }
            return rounded
        }
    }

    /// Lite0's stages (efficientnet_lite_builder's block strings), which the variants scale.
    public static let baseStages: [Stage] = [
        Stage(repeats: 1, kernel: 3, stride: 1, expand: 1, input: 32, output: 16),
        Stage(repeats: 2, kernel: 3, stride: 2, expand: 6, input: 16, output: 24),
        Stage(repeats: 2, kernel: 5, stride: 2, expand: 6, input: 24, output: 40),
        Stage(repeats: 3, kernel: 3, stride: 2, expand: 6, input: 40, output: 80),
        Stage(repeats: 3, kernel: 5, stride: 1, expand: 6, input: 80, output: 112),
        Stage(repeats: 4, kernel: 5, stride: 2, expand: 6, input: 112, output: 192),
        Stage(repeats: 1, kernel: 3, stride: 1, expand: 6, input: 192, output: 320),
    ]
    /// Stem and head widths, the same for every variant (`fix_head_stem`).
    public static let stemChannels = 32, featureLength = 1280
    /// The reference's global drop-connect rate, scaled per block by index / block count.
    public static let dropConnectRate: Float = 0.2

    public let variant: Variant
    public let convStem: GroupedConv2d, bn0: BatchNorm2d
    public let blocks: [MBConvBlock]
    public let convHead: Conv2d, bn1: BatchNorm2d
    public let dropout: Dropout
    public let fc: Linear
    /// Index in `blocks` of the first block of the last stage.
    public let lastStageStart: Int
    private let stemAct = ReLU6(), headAct = ReLU6(), pool = AdaptiveAvgPool2d(outputSize: 1), flatten = Flatten()

    public init(_ variant: Variant = .lite0, classes: Int = 1000, using generator: inout some RandomNumberGenerator) {
        self.variant = variant
        let eps = MBConvBlock.batchNormEps, momentum = MBConvBlock.batchNormMomentum
        convStem = GroupedConv2d(3, Self.stemChannels, kernelSize: 3, stride: 2, padding: .same, groups: 1, bias: false, using: &generator)
        bn0 = BatchNorm2d(Self.stemChannels, eps: eps, momentum: momentum)
        var blocks: [MBConvBlock] = []
        var lastStageStart = 0
        for stage in variant.stages {
            lastStageStart = blocks.count
            for r in 0..<stage.repeats {
                blocks.append(MBConvBlock(inChannels: r == 0 ? stage.input : stage.output, outChannels: stage.output,
                                          expandRatio: stage.expand, kernelSize: stage.kernel,
                                          stride: r == 0 ? stage.stride : 1, using: &generator))
            }
        }
        self.blocks = blocks
        self.lastStageStart = lastStageStart
        for (i, block) in blocks.enumerated() { block.dropConnectRate = Self.dropConnectRate * Float(i) / Float(blocks.count) }
        convHead = Conv2d(blocks.last!.projectConv.outChannels, Self.featureLength, kernelSize: 1, bias: false, using: &generator)
        bn1 = BatchNorm2d(Self.featureLength, eps: eps, momentum: momentum)
        dropout = Dropout(variant.dropout)
        fc = Linear(Self.featureLength, classes, using: &generator)
        for (prefix, layer) in [("_conv_stem", convStem as Layer), ("_bn0", bn0), ("_conv_head", convHead), ("_bn1", bn1), ("_fc", fc)] {
            for t in Neural.stateTensors(of: layer) { t.name = "\(prefix).\(t.name)" }
        }
        for (i, block) in blocks.enumerated() {
            for t in block.stateTensors { t.name = "_blocks.\(i).\(t.name)" }
        }
        reseed(0)
    }

    /// False when nothing needs dL/d(images) (training): the stem then computes only its weight
    /// gradient, on SIMD rows, and `backward` returns an empty tensor.
    public var computesInputGradient: Bool {
        get { convStem.computesInputGradient }
        set { convStem.computesInputGradient = newValue }
    }

    /// Restarts the random streams of training (the classifier's dropout and every block's drop
    /// connect) from `seed`.
    public func reseed(_ seed: UInt64) {
        var streams = SeededGenerator(seed: seed)
        dropout.reseed(streams.next())
        for block in blocks { block.reseedDropConnect(streams.next()) }
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
        precondition(x.rank == 4 && x.shape[1] == 3, "EfficientNetLite expects (N, 3, H, W), got \(x.shape)")
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

/// Lite0 was the first member; its name stays for the call sites that build it.
public typealias EfficientNetLite0 = EfficientNetLite
