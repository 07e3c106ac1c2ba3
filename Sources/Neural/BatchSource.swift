import Tensor

/// Where a training loop gets its examples: `batch(indices)` returns the images (N, C, H, W) and the
/// labels (N, in 0..<K) of the examples at `indices` (positions in 0..<count).
///
/// The loop owns the order (seeded shuffling), so a source only has to look examples up; the study
/// section supplies preprocessed dataset images through `InMemoryBatchSource` or a closure.
public protocol BatchSource {
    /// Number of examples.
    var count: Int { get }
    func batch(_ indices: [Int]) -> (images: Tensor, labels: [Int])
}

/// Examples held in one contiguous tensor (N, C, H, W), e.g. the whole dataset preloaded at 64x64.
public struct InMemoryBatchSource: BatchSource, Sendable {
    public let images: Tensor
    public let labels: [Int]

    public init(images: Tensor, labels: [Int]) {
        precondition(images.rank == 4 && images.shape[0] == labels.count,
                     "InMemoryBatchSource: images \(images.shape) do not match \(labels.count) labels")
        self.images = images; self.labels = labels
    }

    public var count: Int { labels.count }

    public func batch(_ indices: [Int]) -> (images: Tensor, labels: [Int]) {
        let per = images.shape[1] * images.shape[2] * images.shape[3]
        let out = Tensor.uninitialized([indices.count] + images.shape.dropFirst()) { dst in
            images.data.withUnsafeBufferPointer { src in
                for (row, i) in indices.enumerated() {
                    (dst + row * per).update(from: src.baseAddress! + i * per, count: per)
                }
            }
        }
        return (out, indices.map { labels[$0] })
    }
}

/// A source backed by a closure, for data produced on demand (decoding and resizing per batch).
public struct ClosureBatchSource: BatchSource {
    public let count: Int
    private let load: ([Int]) -> (images: Tensor, labels: [Int])

    public init(count: Int, load: @escaping ([Int]) -> (images: Tensor, labels: [Int])) {
        self.count = count; self.load = load
    }

    public func batch(_ indices: [Int]) -> (images: Tensor, labels: [Int]) { load(indices) }
}
