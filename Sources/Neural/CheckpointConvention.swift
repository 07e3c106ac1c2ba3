import Tensor

/// The naming scheme of a checkpoint, and how its tensors map onto this project's parameter names
/// (torchvision's, see `VisionTransformer` and `ResNet`).
public enum CheckpointConvention: String, Sendable, CaseIterable {
    /// torchvision `state_dict` names; also timm's ResNet18 (`resnet18.tv_in1k` uses the same names).
    case torchvision
    /// timm `VisionTransformer` (`cls_token`, `pos_embed`, `patch_embed.proj`, `blocks.N.attn.qkv`, …).
    case timmViT
    /// Hugging Face `ViTModel` / `ViTForImageClassification` (`embeddings.cls_token`,
    /// `encoder.layer.N.attention.attention.query`, …); query/key/value are packed into `in_proj`.
    case huggingFaceViT

    /// `align_corners` of the bicubic position-table resize each source uses: torchvision's
    /// `interpolate_embeddings` True; Hugging Face's `interpolate_pos_encoding` and timm's
    /// `resample_abs_pos_embed` False.
    public var positionResizeAlignsCorners: Bool { self == .torchvision }

    /// Checkpoint tensors renamed to ours. `ignored` are known tensors the models here do not use
    /// (Hugging Face's pooler and mask token); `unexpected` are names the convention does not know.
    struct Translation {
        var tensors: [String: Tensor] = [:]
        var ignored: [String] = []
        var unexpected: [String] = []
    }

    func translate(_ file: any TensorArchive) throws -> Translation {
        var out = Translation()
        var qkv: [String: [String: Tensor]] = [:]   // our in_proj name → "query"/"key"/"value" → tensor
        for key in file.names {
            switch rename(key) {
            case .name(let ours): out.tensors[ours] = try file.tensor(key)
            case .ignored: out.ignored.append(key)
            case .unknown: out.unexpected.append(key)
            case .packed(let ours, let part): qkv[ours, default: [:]][part] = try file.tensor(key)
            }
        }
        // Hugging Face keeps query, key and value apart; torch's MultiheadAttention stacks them as
        // rows [q; k; v] of in_proj_weight (and likewise the bias), which is a plain concatenation.
        for (ours, parts) in qkv {
            guard let q = parts["query"], let k = parts["key"], let v = parts["value"] else {
                out.unexpected += parts.keys.map { "\(ours) (\($0) only)" }
                continue
            }
            out.tensors[ours] = Tensor(shape: [q.shape[0] * 3] + q.shape.dropFirst(), data: q.data + k.data + v.data)
        }
        return out
    }

    enum Mapping { case name(String), packed(String, String), ignored, unknown }

    func rename(_ key: String) -> Mapping {
        switch self {
        case .torchvision: return .name(key)
        case .timmViT: return Self.timm(key)
        case .huggingFaceViT: return Self.huggingFace(key)
        }
    }

    /// `blocks.N.rest` → (N, rest), for both timm's `blocks.N.` and Hugging Face's `encoder.layer.N.`.
    private static func layer(_ key: String, after prefix: String) -> (Int, String)? {
        guard key.hasPrefix(prefix) else { return nil }
        let tail = key.dropFirst(prefix.count)
        guard let dot = tail.firstIndex(of: "."), let n = Int(tail[..<dot]) else { return nil }
        return (n, String(tail[tail.index(after: dot)...]))
    }

    private static func block(_ n: Int) -> String { "encoder.layers.encoder_layer_\(n)." }

    private static func timm(_ key: String) -> Mapping {
        let top = ["cls_token": "class_token", "pos_embed": "encoder.pos_embedding",
                   "patch_embed.proj.weight": "conv_proj.weight", "patch_embed.proj.bias": "conv_proj.bias",
                   "norm.weight": "encoder.ln.weight", "norm.bias": "encoder.ln.bias",
                   "head.weight": "heads.head.weight", "head.bias": "heads.head.bias"]
        if let ours = top[key] { return .name(ours) }
        guard let (n, rest) = layer(key, after: "blocks.") else { return .unknown }
        let inner = ["norm1.": "ln_1.", "norm2.": "ln_2.", "attn.qkv.weight": "self_attention.in_proj_weight",
                     "attn.qkv.bias": "self_attention.in_proj_bias", "attn.proj.": "self_attention.out_proj.",
                     "mlp.fc1.": "mlp.0.", "mlp.fc2.": "mlp.3."]
        for (theirs, ours) in inner where rest.hasPrefix(theirs) {
            return .name(block(n) + ours + rest.dropFirst(theirs.count))
        }
        return .unknown
    }

    private static func huggingFace(_ raw: String) -> Mapping {
        // ViTForImageClassification nests the ViTModel under `vit.`.
        let key = raw.hasPrefix("vit.") ? String(raw.dropFirst(4)) : raw
        let top = ["embeddings.cls_token": "class_token", "embeddings.position_embeddings": "encoder.pos_embedding",
                   "embeddings.patch_embeddings.projection.weight": "conv_proj.weight",
                   "embeddings.patch_embeddings.projection.bias": "conv_proj.bias",
                   "layernorm.weight": "encoder.ln.weight", "layernorm.bias": "encoder.ln.bias",
                   "classifier.weight": "heads.head.weight", "classifier.bias": "heads.head.bias"]
        if let ours = top[key] { return .name(ours) }
        if key.hasPrefix("pooler.") || key == "embeddings.mask_token" { return .ignored }
        // The published files use transformers 4 names (`encoder.layer.N.attention.attention.query`);
        // transformers 5 modules are `layers.N.attention.q_proj` (its conversion_mapping.py renames).
        if let (n, rest) = layer(key, after: "encoder.layer.") {
            for part in ["query", "key", "value"] where rest.hasPrefix("attention.attention.\(part).") {
                return .packed(block(n) + "self_attention." + (rest.hasSuffix(".weight") ? "in_proj_weight" : "in_proj_bias"), part)
            }
            let inner = ["attention.output.dense.": "self_attention.out_proj.", "intermediate.dense.": "mlp.0.",
                         "output.dense.": "mlp.3.", "layernorm_before.": "ln_1.", "layernorm_after.": "ln_2."]
            for (theirs, ours) in inner where rest.hasPrefix(theirs) {
                return .name(block(n) + ours + rest.dropFirst(theirs.count))
            }
        } else if let (n, rest) = layer(key, after: "layers.") {
            for (proj, part) in [("q_proj", "query"), ("k_proj", "key"), ("v_proj", "value")]
            where rest.hasPrefix("attention.\(proj).") {
                return .packed(block(n) + "self_attention." + (rest.hasSuffix(".weight") ? "in_proj_weight" : "in_proj_bias"), part)
            }
            let inner = ["attention.o_proj.": "self_attention.out_proj.", "mlp.fc1.": "mlp.0.", "mlp.fc2.": "mlp.3.",
                         "layernorm_before.": "ln_1.", "layernorm_after.": "ln_2."]
            for (theirs, ours) in inner where rest.hasPrefix(theirs) {
                return .name(block(n) + ours + rest.dropFirst(theirs.count))
            }
        }
        return .unknown
    }
}
