import Foundation
import Neural
import Tensor

/// A trained network's weights as a safetensors file under the PyTorch `state_dict` names of the
/// study's model (`model.safetensors`, an artifact of each `<id>-train` step).
public enum NetworkCheckpoint {
    /// The artifact name.
    public static let artifactName = "model.safetensors"

    /// The safetensors bytes of `model`'s state tensors (parameters and buffers), in `state_dict` order.
    /// `architecture` ("efficientnet-lite0 partial") marks a substitute backbone's network.
    public static func data(of model: Layer, kind: NetworkKind, architecture: String? = nil) throws -> Data {
        let tensors = stateTensors(of: model).map { ($0.name, $0.value) }
        var metadata = ["model": kind.resultsKey, "format": "pt"]
        if let architecture { metadata["architecture"] = architecture }
        return try SafetensorsFile.encoded(tensors, metadata: metadata)
    }

    /// Rebuilds the trained network of `kind` (as `config` and `classes` built it) from a train step's
    /// `model.safetensors` artifact.
    public static func load(kind: NetworkKind, config: NetworkConfig, classes: Int, from reader: ArtifactReader) throws -> Layer {
        try load(kind: kind, config: config, classes: classes,
                 data: reader.bytes(artifactName), name: "\(reader.step)/\(artifactName)")
    }

    /// Rebuilds the network of `kind` from safetensors bytes written by `data(of:kind:)`.
    public static func load(kind: NetworkKind, config: NetworkConfig, classes: Int, data: Data, name: String) throws -> Layer {
        // The initial values are replaced by the file's; any seed gives the same structure.
        var generator = SeededGenerator(seed: 0)
        let file = try SafetensorsFile(data: data, url: URL(fileURLWithPath: name))
        let model = try file.metadata["architecture"].map { try substituteModel($0, classes: classes, hiddenUnits: config.hiddenUnits, file: name) }
            ?? kind.build(config: config, classes: classes, using: &generator)
        var tensors: [String: Tensor] = [:]
        for n in file.names { tensors[n] = try file.tensor(n) }
        try StateDict.load(tensors, into: model)
        return model
    }

    /// The network a substitute's checkpoint holds ("efficientnet-lite0 partial" or "… full"), taking
    /// `ToTensor()` inputs in [0, 1].
    static func substituteModel(_ architecture: String, classes: Int, hiddenUnits: Int, file: String) throws -> Layer {
        let parts = architecture.split(separator: " ").map(String.init)
        guard parts.count == 2, let variant = SubstituteBackbone.variant(named: parts[0]),
              let recipe = FineTuningRecipe(rawValue: parts[1]) else {
            throw StudyError.badConfig(file: file, detail: "unknown network architecture '\(architecture)' in the checkpoint's metadata")
        }
        var generator = SeededGenerator(seed: 0)
        let backbone = EfficientNetLite(variant, classes: recipe == .full ? classes : 1000, using: &generator)
        switch recipe {
        case .full:
            return ImageNetNormalised(backbone)
        case .partial:
            let tail = EfficientNetLiteTail(from: backbone, hiddenUnits: hiddenUnits, classes: classes, dropout: 0.2, dropoutSeed: 0, using: &generator)
            return ImageNetNormalised(PartialFineTunedLite(backbone: backbone, tail: tail))
        }
    }
}
