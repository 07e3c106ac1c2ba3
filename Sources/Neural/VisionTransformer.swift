import Tensor

/// Shape of a Vision Transformer; `.base16()` is torchvision's `vit_b_16` / Hugging Face's
/// `google/vit-base-patch16-224-in21k`.
public struct ViTConfiguration: Sendable, Equatable {
    /// Square input side in pixels (224); any multiple of `patchSize` (position tables are resized
    /// when loading weights made for another size).
    public var imageSize = 224
    public var patchSize = 16
    /// Encoder blocks (12 for ViT-B).
    public var layers = 12
    /// Token width `D` (768).
    public var width = 768
    public var heads = 12
    /// Hidden width of each MLP (3072).
    public var mlpWidth = 3072
    /// LayerNorm epsilon: 1e-6 torchvision and timm, 1e-12 Hugging Face.
    public var layerNormEps: Float = 1e-6
    /// Classes of the linear head; nil builds a feature extractor (torchvision's `heads = Identity`).
    public var classes: Int? = nil
    /// MLP and embedding dropout (0 in torchvision's and Hugging Face's ViT-B).
    public var dropout: Float = 0
    public var channels = 3

    public init(imageSize: Int = 224, patchSize: Int = 16, layers: Int = 12, width: Int = 768, heads: Int = 12,
                mlpWidth: Int = 3072, layerNormEps: Float = 1e-6, classes: Int? = nil, dropout: Float = 0) {
        self.imageSize = imageSize; self.patchSize = patchSize; self.layers = layers; self.width = width
        self.heads = heads; self.mlpWidth = mlpWidth; self.layerNormEps = layerNormEps; self.classes = classes
        self.dropout = dropout
    }

    /// ViT-B/16 (patch 16, 12 layers, width 768, 12 heads, MLP 3072).
    public static func base16(imageSize: Int = 224, classes: Int? = nil, layerNormEps: Float = 1e-6) -> ViTConfiguration {
        ViTConfiguration(imageSize: imageSize, layerNormEps: layerNormEps, classes: classes)
    }

    /// Patches per side.
    public var grid: Int { imageSize / patchSize }
}

/// Mirrors torchvision's `VisionTransformer` (models/vision_transformer.py): patch embedding,
/// class token, learned position embedding, pre-norm encoder blocks, final LayerNorm, and a head.
///
/// Input `(N, C, H, W)` with `H = W = imageSize`. Output: `(N, K)` logits when the configuration
/// has `classes`, else `(N, D)` features pooled per `pooling` — `.classToken` is torchvision's
/// feature output (`heads.head = Identity`); `.meanOfTokens` is the study's Hugging Face feature,
/// `ViTModel(...).last_hidden_state.mean(dim=1)` (its last hidden state is after the final LayerNorm,
/// like here). `hiddenStates` gives the whole `(N, T+1, D)` sequence.
///
/// Parameter names are torchvision's (`class_token`, `conv_proj.*`, `encoder.pos_embedding`,
/// `encoder.layers.encoder_layer_<i>.*`, `encoder.ln.*`, `heads.head.*`), in its `parameters()`
/// order; `CheckpointConvention` maps Hugging Face and timm names onto them.
public final class VisionTransformer: StatefulLayer {
    public enum Pooling: Sendable { case classToken, meanOfTokens }

    public let configuration: ViTConfiguration
    public let patchEmbedding: PatchEmbedding
    public let tokens: ClassTokenEmbedding
    public let blocks: [EncoderBlock]
    public let finalNorm: LayerNorm
    public let head: Linear?
    public var pooling: Pooling

    public var parameters: [Parameter] {
        [tokens.classToken] + patchEmbedding.parameters + [tokens.positions]
            + blocks.flatMap(\.parameters) + finalNorm.parameters + (head?.parameters ?? [])
    }
    public var stateTensors: [Parameter] { parameters }

    private var sequenceLength = 0, batch = 0

    /// Inference runs the encoder through oneDNN's primitives (`EncoderInferencePlan`) when oneDNN
    /// is the float32 backend; false keeps the layer-by-layer path (the one training uses).
    public var usesEncoderInferencePlan = true
    /// Plans by input shape (oneDNN compiles each once; SHAP's evaluations come in a few batch
    /// sizes), sharing one scratch space.
    private var encoderPlans: [[Int]: EncoderInferencePlan] = [:]
    private let encoderScratch = EncoderInferencePlan.Scratch()
    private var lastEncoderPlan: EncoderInferencePlan?
    /// The input of the last forward pass when it ran the plan, which keeps nothing for backward.
    private var imagesOfPlannedForward: Tensor?

    public init(_ configuration: ViTConfiguration, pooling: Pooling = .classToken,
                using generator: inout some RandomNumberGenerator) {
        let c = configuration
        precondition(c.imageSize % c.patchSize == 0, "ViT image size \(c.imageSize) is not a multiple of patch \(c.patchSize)")
        self.configuration = c
        self.pooling = pooling
        patchEmbedding = PatchEmbedding(channels: c.channels, patchSize: c.patchSize, width: c.width, using: &generator)
        tokens = ClassTokenEmbedding(patches: c.grid * c.grid, width: c.width, using: &generator)
        blocks = (0..<c.layers).map { _ in
            EncoderBlock(width: c.width, heads: c.heads, mlpWidth: c.mlpWidth, eps: c.layerNormEps,
                         dropout: c.dropout, using: &generator)
        }
        finalNorm = LayerNorm(width: c.width, eps: c.layerNormEps)
        head = c.classes.map { Linear(c.width, $0, using: &generator) }
        for p in patchEmbedding.parameters { p.name = "conv_proj.\(p.name)" }
        for (i, block) in blocks.enumerated() {
            for p in block.parameters { p.name = "encoder.layers.encoder_layer_\(i).\(p.name)" }
        }
        for p in finalNorm.parameters { p.name = "encoder.ln.\(p.name)" }
        for p in head?.parameters ?? [] { p.name = "heads.head.\(p.name)" }
    }

    /// The encoder's output sequence after the final LayerNorm, `(N, 1 + T, D)` (class token first).
    public func hiddenStates(_ images: Tensor, training: Bool = false) -> Tensor {
        precondition(images.rank == 4 && images.shape[2] == configuration.imageSize && images.shape[3] == configuration.imageSize,
                     "ViT built for \(configuration.imageSize)x\(configuration.imageSize) images got \(images.shape)")
        var h = tokens.forward(patchEmbedding.forward(images, training: training), training: training)
        imagesOfPlannedForward = nil
        if !training, let plan = encoderPlan(batch: h.shape[0], tokens: h.shape[1]) {
            imagesOfPlannedForward = images
            var x = h.data
            x.withUnsafeMutableBufferPointer { x in
                for block in blocks { plan.run(block, on: x.baseAddress!, scratch: encoderScratch) }
            }
            h = Tensor(shape: h.shape, data: x)
        } else {
            for block in blocks { h = block.forward(h, training: training) }
        }
        return finalNorm.forward(h, training: training)
    }

    /// oneDNN's implementation of each primitive of the plan the last inference pass ran (layer
    /// norm, in-projection, scores, softmax, context, out-projection, MLP expand, contract), or nil.
    public var encoderPlanImplementations: [String]? {
        imagesOfPlannedForward == nil ? nil : lastEncoderPlan?.implementations
    }

    /// The plan for this input shape (the blocks' widths are the configuration's: they are fixed at
    /// init), or nil when oneDNN is not the backend or the plan is turned off.
    private func encoderPlan(batch: Int, tokens: Int) -> EncoderInferencePlan? {
        guard usesEncoderInferencePlan, let library = OneDNN.shared else { return nil }
        let c = configuration
        let plan = encoderPlans[[batch, tokens]] ?? {
            if encoderPlans.count >= 8 { encoderPlans.removeAll() }
            let plan = EncoderInferencePlan(library, batch: batch, tokens: tokens, width: c.width, heads: c.heads,
                                            mlpWidth: c.mlpWidth, epsilon: c.layerNormEps)
            encoderPlans[[batch, tokens]] = plan
            return plan
        }()
        lastEncoderPlan = plan
        return plan
    }

    public func forward(_ images: Tensor, training: Bool) -> Tensor {
        let h = hiddenStates(images, training: training)
        let (n, t, d) = (h.shape[0], h.shape[1], h.shape[2])
        batch = n; sequenceLength = t
        var features = [Float](repeating: 0, count: n * d)
        for img in 0..<n {
            switch pooling {
            case .classToken:
                for j in 0..<d { features[img * d + j] = h.data[img * t * d + j] }
            case .meanOfTokens:
                for i in 0..<t { for j in 0..<d { features[img * d + j] += h.data[(img * t + i) * d + j] } }
                for j in 0..<d { features[img * d + j] /= Float(t) }
            }
        }
        let pooled = Tensor(shape: [n, d], data: features)
        return head?.forward(pooled, training: training) ?? pooled
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        if let images = imagesOfPlannedForward {
            // Gradients of an inference pass (as PyTorch's eval mode with autograd): the plan saved
            // nothing, so the layers redo that pass first.
            usesEncoderInferencePlan = false
            _ = forward(images, training: false)
            usesEncoderInferencePlan = true
        }
        let dPooled = head?.backward(outputGradient) ?? outputGradient
        let (n, t, d) = (batch, sequenceLength, configuration.width)
        var dh = [Float](repeating: 0, count: n * t * d)
        for img in 0..<n {
            switch pooling {
            case .classToken:    // features = h[:, 0]
                for j in 0..<d { dh[img * t * d + j] = dPooled.data[img * d + j] }
            case .meanOfTokens:  // features = mean_t h[:, t]
                for i in 0..<t { for j in 0..<d { dh[(img * t + i) * d + j] = dPooled.data[img * d + j] / Float(t) } }
            }
        }
        var g = finalNorm.backward(Tensor(shape: [n, t, d], data: dh))
        for block in blocks.reversed() { g = block.backward(g) }
        return patchEmbedding.backward(tokens.backward(g))
    }
}
