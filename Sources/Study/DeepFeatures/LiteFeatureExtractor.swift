import Foundation
import Imaging
import Neural
import Tensor

/// EfficientNet-Lite (Lite0, Lite1 or Lite2) features of many images: the pooled 1280 values of
/// `extract_features(x).mean((2, 3))` (efficientnet_lite_pytorch), with the reference's
/// preprocessing `Resize((side, side))` (Pillow bilinear), `ToTensor`, ImageNet `Normalize`;
/// or the trunk's output (the activations entering the last stage) that `EfficientNetLiteTail`
/// fine-tunes on.
///
/// Runs `EfficientNetLite.InferencePlan` (folded batch norms, fused kernels): each worker
/// thread takes the next image, decodes and resizes it, then runs it through the network in its own
/// workspace, so decoding overlaps with the other worker's inference. Rows come out in the order of
/// the files and are bit-identical whatever the thread timing (each image is computed alone).
public struct LiteFeatureExtractor {
    public static let mean: [Float] = [0.485, 0.456, 0.406], std: [Float] = [0.229, 0.224, 0.225]
    public let model: EfficientNetLite
    public let plan: EfficientNetLite.InferencePlan
    public let side: Int
    /// How often progress is reported: after every `batchSize` images.
    public let batchSize: Int

    /// Loads the imported safetensors file of `variant` (`bloodstudy import-weights`).
    public init(weights: URL, variant: EfficientNetLite.Variant = .lite0, side: Int, batchSize: Int) throws {
        var g = SeededGenerator(seed: 0)
        model = EfficientNetLite(variant, using: &g)
        let file = try SafetensorsFile(contentsOf: weights)
        try StateDict.load(Dictionary(uniqueKeysWithValues: try file.names.map { ($0, try file.tensor($0)) }), into: model)
        plan = EfficientNetLite.InferencePlan(model)
        self.side = side; self.batchSize = max(1, batchSize)
    }

    /// The network input of one image file (3, side, side).
    public func input(_ url: URL) throws -> Tensor {
        try StudyPreprocessing.rgb(contentsOf: url, side: side).tensorCHW().normalizedPerChannel(mean: Self.mean, std: Self.std)
    }

    /// Features of `urls` in order, (count, 1280); `progress(done, total)` after every `batchSize`
    /// images and at the end (from the worker threads, one call at a time).
    /// - Throws: the decoding error of the first file (in `urls` order) that is not a readable image.
    public func features(of urls: [URL], progress: (Int, Int) -> Void) throws -> Matrix<Float> {
        let width = EfficientNetLite.featureLength
        var out = Matrix<Float>(rows: urls.count, columns: width)
        try out.storage.withUnsafeMutableBufferPointer { rows in
            try run(urls, progress: progress) { i, x, workspace in
                plan.features(image: x, into: rows.baseAddress! + i * width, workspace: workspace)
            }
        }
        return out
    }

    /// (channels, height, width) of one image's trunk features at this extractor's side.
    public var trunkShape: (channels: Int, height: Int, width: Int) { plan.trunkShape(height: side, width: side) }

    /// The trunk features of `urls` in order, (count, C, h, w) (`trunkShape`): the frozen part of
    /// the partial fine-tuning recipe, evaluation mode. Progress and errors as `features(of:)`.
    public func trunkFeatures(of urls: [URL], progress: (Int, Int) -> Void) throws -> Tensor {
        let shape = trunkShape, per = shape.channels * shape.height * shape.width
        var data = [Float](repeating: 0, count: urls.count * per)
        try data.withUnsafeMutableBufferPointer { out in
            try run(urls, progress: progress) { i, x, workspace in
                plan.trunkFeatures(image: x, into: out.baseAddress! + i * per, workspace: workspace)
            }
        }
        return Tensor(shape: [urls.count, shape.channels, shape.height, shape.width], data: data)
    }

    /// Decodes every file and calls `body(i, input, workspace)` on the worker threads.
    private func run(_ urls: [URL], progress: (Int, Int) -> Void,
                     _ body: (Int, UnsafePointer<Float>, EfficientNetLite.InferencePlan.Workspace) -> Void) throws {
        let plane = 3 * side * side, total = urls.count
        let state = ExtractionState()
        plan.forEachImage(total, height: side, width: side) { i, workspace in
            // Indices are handed out in increasing order, so every file before a failing one
            // was already taken and finishes: the error reported is always the first bad file.
            guard !state.failed else { return }
            do {
                let x = try input(urls[i])
                precondition(x.count == plane, "LiteFeatureExtractor: \(urls[i].path) gave \(x.shape)")
                x.data.withUnsafeBufferPointer { body(i, $0.baseAddress!, workspace) }
            } catch {
                state.fail(index: i, error)
                return
            }
            state.finished { done in
                if done % batchSize == 0 || done == total { progress(done, total) }
            }
        }
        if let error = state.firstError { throw error }
    }
}

/// Shared by the extraction workers: the count of finished images and the first failure.
private final class ExtractionState: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private var failure: (index: Int, error: Error)?

    var failed: Bool { lock.lock(); defer { lock.unlock() }; return failure != nil }
    var firstError: Error? { lock.lock(); defer { lock.unlock() }; return failure?.error }

    func fail(index: Int, _ error: Error) {
        lock.lock(); defer { lock.unlock() }
        if failure == nil || index < failure!.index { failure = (index, error) }
    }

    /// Counts one finished image and calls `report` with the new count, under the lock.
    func finished(_ report: (Int) -> Void) {
        lock.lock(); defer { lock.unlock() }
        done += 1
        report(done)
    }
}
