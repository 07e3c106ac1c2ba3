import Foundation
import Neural
import Tensor

/// A trained network's weights as a safetensors file under the PyTorch `state_dict` names of the
/// study's model (`model.safetensors`, an artifact of each `<id>-train` step).
public enum NetworkCheckpoint {
    /// The artifact name.
    public static let artifactName = "model.safetensors"

    /// The safetensors bytes of `model`'s state tensors (parameters and buffers), in `state_dict` order.
    public static func data(of model: Layer, kind: NetworkKind) throws -> Data {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bloodstudy-\(UUID().uuidString).safetensors")
        defer { try? FileManager.default.removeItem(at: url) }
        let tensors = stateTensors(of: model).map { ($0.name, $0.value) }
        try SafetensorsFile.write(tensors, metadata: ["model": kind.resultsKey, "format": "pt"], to: url)
        return try Data(contentsOf: url)
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
        let model = kind.build(config: config, classes: classes, using: &generator)
        let file = try SafetensorsFile(data: data, url: URL(fileURLWithPath: name))
        var tensors: [String: Tensor] = [:]
        for n in file.names { tensors[n] = try file.tensor(n) }
        try StateDict.load(tensors, into: model)
        return model
    }
}
