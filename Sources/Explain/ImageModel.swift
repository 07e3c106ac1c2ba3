import Neural
import Tensor

extension shap.PartitionExplainer {
    /// The study's `model_predict` around a network: 8-bit (H, W, C) images → (N, C, H, W) floats
    /// x / 255 → the network in eval mode → softmax probabilities.
    ///
    /// - Parameters: `network`, and the image size it takes; `batchLimit` caps one forward pass
    ///   (memory), larger batches are run in pieces.
    public static func softmaxModel(_ network: Layer, height: Int, width: Int, channels: Int = 3, batchLimit: Int = 64) -> Model {
        { images in
            var outputs: [[Double]] = []
            var start = 0
            while start < images.count {
                let chunk = images[start..<min(start + batchLimit, images.count)]
                let plane = height * width
                var data = [Float](repeating: 0, count: chunk.count * channels * plane)
                for (n, image) in chunk.enumerated() {
                    for p in 0..<plane {
                        for c in 0..<channels { data[(n * channels + c) * plane + p] = Float(image[p * channels + c]) / 255 }
                    }
                }
                let probabilities = softmax(network.forward(Tensor(shape: [chunk.count, channels, height, width], data: data), training: false))
                let k = probabilities.shape[1]
                for n in 0..<chunk.count { outputs.append((0..<k).map { Double(probabilities.data[n * k + $0]) }) }
                start += chunk.count
            }
            return outputs
        }
    }
}
