import Foundation
import Imaging
import Neural
import Tensor

/// EfficientNet-Lite0 features of many images: the pooled 1280 values of
/// `extract_features(x).mean((2, 3))` (efficientnet_lite_pytorch), with the reference's
/// preprocessing `Resize((side, side))` (Pillow bilinear), `ToTensor`, ImageNet `Normalize`.
///
/// Images are decoded in parallel one batch at a time, then the batch goes through the network
/// (whose layers split the batch between the cores).
public struct Lite0FeatureExtractor {
    public static let mean: [Float] = [0.485, 0.456, 0.406], std: [Float] = [0.229, 0.224, 0.225]
    public let model: EfficientNetLite0
    public let side: Int
    public let batchSize: Int

    /// Loads the imported safetensors file (`bloodstudy import-weights`).
    public init(weights: URL, side: Int, batchSize: Int) throws {
        var g = SeededGenerator(seed: 0)
        model = EfficientNetLite0(using: &g)
        let file = try SafetensorsFile(contentsOf: weights)
        try StateDict.load(Dictionary(uniqueKeysWithValues: try file.names.map { ($0, try file.tensor($0)) }), into: model)
        self.side = side; self.batchSize = max(1, batchSize)
    }

    /// The network input of one image file (3, side, side).
    public func input(_ url: URL) throws -> Tensor {
        try StudyPreprocessing.rgb(contentsOf: url, side: side).tensorCHW().normalizedPerChannel(mean: Self.mean, std: Self.std)
    }

    /// Features of `urls` in order, (count, 1280); `progress(done, total)` after every batch.
    public func features(of urls: [URL], progress: (Int, Int) -> Void) throws -> Matrix<Float> {
        let width = EfficientNetLite0.featureLength, plane = 3 * side * side
        var out = Matrix<Float>(rows: urls.count, columns: width)
        for start in stride(from: 0, to: urls.count, by: batchSize) {
            let batch = Array(urls[start..<min(urls.count, start + batchSize)])
            let decoded = Parallel.map(batch.count) { i in Result { try input(batch[i]) } }
            var pixels = [Float](repeating: 0, count: batch.count * plane)
            for (i, result) in decoded.enumerated() {
                let t = try result.get()
                pixels.replaceSubrange((i * plane)..<((i + 1) * plane), with: t.data)
            }
            let f = model.features(Tensor(shape: [batch.count, 3, side, side], data: pixels))
            out.storage.replaceSubrange((start * width)..<((start + batch.count) * width), with: f.data)
            progress(start + batch.count, urls.count)
        }
        return out
    }
}
