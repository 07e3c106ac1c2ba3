import Foundation
import Neural

/// The study's two transfer-learning recipes, as the notebook runs them on its ImageNet networks.
public enum FineTuningRecipe: String, Codable, Sendable {
    /// ResNet18's (`ModelResNet18`): every layer frozen but the last stage; the classifier replaced
    /// by Linear(·, 128) → ReLU → Dropout(0.2) → Linear(128, 8); AdamW with one learning rate for
    /// the unfrozen stage and another for the new head, weight decay 0.01.
    case partial
    /// ViT-B/16's (`ViTClassifier`): every layer trained, a new linear head, plain SGD.
    case full

    /// The recipe in a few words, for captions and the comparison.
    public var phrase: String {
        switch self {
        case .partial: "ResNet18's recipe (last stage and a new head fine-tuned, the rest frozen)"
        case .full: "ViT-B/16's recipe (every layer fine-tuned, a new linear head)"
        }
    }
}

extension NetworkKind {
    /// The study's recipe for this network, nil for the networks trained from scratch.
    public var fineTuningRecipe: FineTuningRecipe? {
        switch self {
        case .resnet18: .partial
        case .vit: .full
        default: nil
        }
    }
}

/// A pretrained backbone standing in for ResNet18 or ViT-B/16 when the study's ImageNet checkpoint
/// is absent (`networks.<key>.substitute`), with its imported weights file.
public struct SubstituteBackbone: Sendable {
    public var variant: EfficientNetLite.Variant
    public var weights: URL
    public var settings: SubstituteNetworkConfig

    /// The EfficientNet-Lite variants a profile may name.
    static func variant(named name: String) -> EfficientNetLite.Variant? {
        [EfficientNetLite.Variant.lite0, .lite1, .lite2].first { $0.name == name }
    }

    /// The substitute `kind` runs with `settings` and the weights in `folder`: nil when the profile
    /// names none (`none`), when the study's own checkpoint is there (it runs instead), or when the
    /// substitute's weights were not imported.
    /// - Throws: `StudyError.badConfig` for a backbone name the program does not know.
    static func resolve(_ kind: NetworkKind, settings: NetworkConfig, folder: URL?) throws -> SubstituteBackbone? {
        guard settings.pretrained, kind.fineTuningRecipe != nil, let substitute = settings.substitute,
              substitute.backbone != "none" else { return nil }
        guard let variant = variant(named: substitute.backbone) else {
            throw StudyError.badConfig(file: "networks.\(kind.resultsKey).substitute.backbone",
                                       detail: "unknown backbone '\(substitute.backbone)'; use efficientnet-lite0, efficientnet-lite1, efficientnet-lite2 or none")
        }
        guard let folder else { return nil }
        if NetworkTrainSection.weightsFile(kind, folder: folder) != nil { return nil }
        let file = folder.appendingPathComponent("\(variant.name).safetensors")
        guard FileManager.default.fileExists(atPath: file.path) else { return nil }
        return SubstituteBackbone(variant: variant, weights: file, settings: substitute)
    }

    /// "EfficientNet-Lite0", for prose.
    public var displayName: String { Self.displayName(variant.name) }

    static func displayName(_ backbone: String) -> String {
        backbone.replacingOccurrences(of: "efficientnet-lite", with: "EfficientNet-Lite")
    }

    /// The file name and size, part of the training step's inputs (importing other weights retrains).
    var fingerprint: String {
        let size = (try? FileManager.default.attributesOfItem(atPath: weights.path)[.size] as? NSNumber)?.intValue ?? 0
        return "\(weights.lastPathComponent) \(size)"
    }
}
