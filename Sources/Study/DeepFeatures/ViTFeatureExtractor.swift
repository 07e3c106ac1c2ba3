import Foundation
import Imaging
import Neural
import Tensor

/// ViT-B/16 features of many images, both the study's poolings from one forward pass:
///
/// - `classToken` `(count, D)`: the final hidden state's class token, torchvision's
///   `vit_b_16` with `heads.head = nn.Identity()` (the classifiers' features, In [201]/[208]);
/// - `meanOfTokens` `(count, D)`: the mean of every token of the final hidden state, Hugging Face's
///   `ViTModel(...).last_hidden_state.mean(dim=1)` (the EDA features, In [175]–[176]).
///
/// Both read the sequence after the encoder's final LayerNorm (`VisionTransformer.hiddenStates`).
/// Preprocessing is the study's: `Image.open(path).convert("RGB")`, `Resize((side, side))`
/// (Pillow bilinear), `ToTensor`, `Normalize(mean, std)` with the checkpoint's mean and std.
///
/// Images are decoded in parallel one batch at a time; the batch goes through the network in
/// chunks of at most `forwardChunk` images. The layers keep what backward would need (about 145 MB
/// per 224x224 image for ViT-B/16, overwritten by the next chunk), which bounds memory to about
/// 1.2 GB whatever the profile's batch size. The model runs in evaluation mode (`training: false`).
public struct ViTFeatureExtractor {
    /// Images per forward pass (memory bound, see above).
    public static let forwardChunk = 8

    public let model: VisionTransformer
    public let mean: [Float], std: [Float]
    public let batchSize: Int

    /// The features of a set of images; rows follow the order of the input files.
    public struct Features {
        /// `(count, D)` class tokens.
        public var classToken: Matrix<Float>
        /// `(count, D)` means over all `1 + T` tokens.
        public var meanOfTokens: Matrix<Float>
    }

    /// Why an image or a checkpoint could not be used.
    public struct ExtractionError: Error, CustomStringConvertible {
        public var file: String
        public var reason: String
        public var description: String { "ViT-B/16 features: cannot use \(file): \(reason)" }
    }

    /// An extractor around any `VisionTransformer` (its `imageSize` is the input side).
    public init(model: VisionTransformer, mean: [Float], std: [Float], batchSize: Int) {
        precondition(mean.count == model.configuration.channels && std.count == mean.count,
                     "ViTFeatureExtractor: mean/std need \(model.configuration.channels) values")
        self.model = model; self.mean = mean; self.std = std; self.batchSize = max(1, batchSize)
    }

    /// ViT-B/16 at `side`x`side` with the weights of `checkpoint` from `weights`, normalised as the
    /// checkpoint's preprocessing does. Throws when the file does not hold a complete ViT-B/16.
    /// `configuration` replaces ViT-B/16 by another shape (tests use a tiny one).
    public init(weights: URL, checkpoint: PretrainedModel, side: Int, batchSize: Int,
                configuration: ViTConfiguration? = nil) throws {
        var g = SeededGenerator(seed: 0)
        let model = VisionTransformer(configuration ?? .base16(imageSize: side, layerNormEps: checkpoint.layerNormEps), using: &g)
        let archive: any TensorArchive
        do { archive = try PretrainedWeights.open(weights) } catch {
            throw ExtractionError(file: weights.path, reason: "\(error); run bloodstudy fetch-weights again")
        }
        // The classification head is not part of a feature extractor; its tensors are ignored.
        try PretrainedWeights.load(archive, into: model, convention: checkpoint.convention, keeping: ["heads.head."])
        let (mean, std) = checkpoint.featureNormalisation
        self.init(model: model, mean: mean, std: std, batchSize: batchSize)
    }

    /// Input side in pixels.
    public var side: Int { model.configuration.imageSize }

    /// The network input of one image file `(3, side, side)`.
    public func input(_ url: URL) throws -> Tensor {
        do {
            return try StudyPreprocessing.rgb(contentsOf: url, side: side).tensorCHW().normalizedPerChannel(mean: mean, std: std)
        } catch {
            throw ExtractionError(file: url.path, reason: "\(error)")
        }
    }

    /// Both poolings of `images` `(N, 3, side, side)`: `(N, D)` class tokens and `(N, D)` token means.
    public func pooled(_ images: Tensor) -> (classToken: [Float], meanOfTokens: [Float]) {
        let h = model.hiddenStates(images, training: false)  // (N, 1 + T, D), after the final LayerNorm
        let (n, t, d) = (h.shape[0], h.shape[1], h.shape[2])
        var cls = [Float](repeating: 0, count: n * d), mean = [Float](repeating: 0, count: n * d)
        for img in 0..<n {
            let base = img * t * d
            for j in 0..<d { cls[img * d + j] = h.data[base + j] }       // h[:, 0]
            // Summed in Double: 197 tokens of Float32 lose a few ulps otherwise.
            var sum = [Double](repeating: 0, count: d)
            for i in 0..<t { for j in 0..<d { sum[j] += Double(h.data[base + i * d + j]) } }
            for j in 0..<d { mean[img * d + j] = Float(sum[j] / Double(t)) }  // h.mean(dim=1)
        }
        return (cls, mean)
    }

    /// Features of `urls` in order; `progress(done, total)` after every batch.
    public func features(of urls: [URL], progress: (Int, Int) -> Void) throws -> Features {
        let width = model.configuration.width, plane = 3 * side * side
        var cls = Matrix<Float>(rows: urls.count, columns: width), mean = Matrix<Float>(rows: urls.count, columns: width)
        for start in stride(from: 0, to: urls.count, by: batchSize) {
            let batch = Array(urls[start..<min(urls.count, start + batchSize)])
            let decoded = Parallel.map(batch.count) { i in Result { try input(batch[i]) } }
            for chunk in stride(from: 0, to: batch.count, by: Self.forwardChunk) {
                let end = min(batch.count, chunk + Self.forwardChunk)
                var pixels = [Float](repeating: 0, count: (end - chunk) * plane)
                for i in chunk..<end {
                    let t = try decoded[i].get()
                    pixels.replaceSubrange(((i - chunk) * plane)..<((i - chunk + 1) * plane), with: t.data)
                }
                let f = pooled(Tensor(shape: [end - chunk, 3, side, side], data: pixels))
                let rows = (start + chunk) * width..<(start + end) * width
                cls.storage.replaceSubrange(rows, with: f.classToken)
                mean.storage.replaceSubrange(rows, with: f.meanOfTokens)
            }
            progress(start + batch.count, urls.count)
        }
        return Features(classToken: cls, meanOfTokens: mean)
    }
}
