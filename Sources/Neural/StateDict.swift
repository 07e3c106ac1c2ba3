import Tensor

/// Errors when weights are loaded into a model by name.
public enum StateDictError: Error, CustomStringConvertible, Equatable {
    case missing([String])
    case unexpected([String])
    case shapeMismatch(name: String, expected: [Int], found: [Int])

    public var description: String {
        switch self {
        case let .missing(names):
            return "The weights lack \(names.count) tensor(s) the model needs: \(names.prefix(5).joined(separator: ", "))"
                + "; check that they were saved from the same architecture (PyTorch state_dict names)."
        case let .unexpected(names):
            return "The weights hold \(names.count) tensor(s) the model does not have: \(names.prefix(5).joined(separator: ", "))"
                + "; pass strict: false to ignore them."
        case let .shapeMismatch(name, expected, found):
            return "Tensor \(name) has shape \(found) but the model expects \(expected); the weights belong to another configuration."
        }
    }
}

/// Reading and writing a model's tensors by their PyTorch `state_dict` names.
public enum StateDict {
    /// Name → value of every parameter and buffer of `layer`.
    public static func tensors(of layer: Layer) -> [String: Tensor] {
        Dictionary(uniqueKeysWithValues: stateTensors(of: layer).map { ($0.name, $0.value) })
    }

    /// The names in `state_dict()` order.
    public static func names(of layer: Layer) -> [String] { stateTensors(of: layer).map(\.name) }

    /// Copies `tensors` into `layer` by name. With `strict` (the default, as PyTorch), every model tensor
    /// must be present and no extra tensor may be given; shapes must match (a scalar buffer such as
    /// `num_batches_tracked` also accepts a one-element tensor).
    public static func load(_ tensors: [String: Tensor], into layer: Layer, strict: Bool = true) throws {
        let targets = stateTensors(of: layer)
        let missing = targets.map(\.name).filter { tensors[$0] == nil }
        if strict && !missing.isEmpty { throw StateDictError.missing(missing) }
        if strict {
            let known = Set(targets.map(\.name))
            let extra = tensors.keys.filter { !known.contains($0) }.sorted()
            if !extra.isEmpty { throw StateDictError.unexpected(extra) }
        }
        for p in targets {
            guard let t = tensors[p.name] else { continue }
            guard t.shape == p.value.shape || (t.count == p.value.count && p.value.count == 1) else {
                throw StateDictError.shapeMismatch(name: p.name, expected: p.value.shape, found: t.shape)
            }
            p.value = Tensor(shape: p.value.shape, data: t.data)
        }
    }

    /// A copy of every tensor's value, in `stateTensors` order (for restoring the best epoch).
    public static func snapshot(_ layer: Layer) -> [Tensor] { stateTensors(of: layer).map(\.value) }

    /// Puts back values taken by `snapshot` from the same layer.
    public static func restore(_ snapshot: [Tensor], into layer: Layer) {
        let targets = stateTensors(of: layer)
        precondition(targets.count == snapshot.count, "Snapshot of \(snapshot.count) tensors does not fit a model with \(targets.count)")
        for (p, value) in zip(targets, snapshot) { p.value = value }
    }
}
