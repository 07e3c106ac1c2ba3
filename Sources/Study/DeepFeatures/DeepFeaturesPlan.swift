import Foundation
import Neural

/// Which backbone the deep-features step runs, decided from the profile's `vit_features.backbone`
/// and the weights present, without touching the weights themselves (a pure choice, so it is
/// tested without a 330 MB model).
///
/// The study extracts two ViT-B/16 feature sets: the EDA's (In [175]–[176]) is the mean of the last
/// hidden state of Hugging Face's `google/vit-base-patch16-224-in21k`; the classifiers' (In [201],
/// [208]) is the class token of torchvision's `vit_b_16` with `IMAGENET1K_V1` weights. Each role
/// takes the study's own checkpoint when present, else another ViT-B/16 checkpoint that is.
enum DeepFeaturesPlan: Equatable {
    /// ViT-B/16: `classifier` gives `features` (class token), `eda` gives `eda_features` (mean of tokens).
    case vit(classifier: PretrainedModel, eda: PretrainedModel)
    /// The EfficientNet-Lite substitute (`FeatureBackbone.substituteVariant`); `vitPresent` when
    /// ViT-B/16 weights were there but the profile chose the substitute.
    case substitute(vitPresent: Bool)
    /// No backbone: dependents skip. `vitPresent` as above (the profile chose an absent substitute).
    case none(vitPresent: Bool)

    /// ViT-B/16 checkpoints for the classifiers' features, best first (the study's torchvision file first).
    static let classifierCheckpoints: [PretrainedModel] = [.vitBase16Torchvision, .vitBase16ImageNet, .vitBase16In21k]
    /// ViT-B/16 checkpoints for the EDA features, best first (the study's Hugging Face file first).
    static let edaCheckpoints: [PretrainedModel] = [.vitBase16In21k, .vitBase16Torchvision, .vitBase16ImageNet]

    /// The plan for `choice` when the ViT-B/16 checkpoints `vitPresent` and (when `substitutePresent`)
    /// the imported substitute backbone are in the weights folder.
    static func choose(_ choice: FeatureBackbone, vitPresent: Set<PretrainedModel>, substitutePresent: Bool) -> DeepFeaturesPlan {
        let classifier = classifierCheckpoints.first(where: vitPresent.contains)
        let eda = edaCheckpoints.first(where: vitPresent.contains)
        if choice == .vitB16, let classifier, let eda { return .vit(classifier: classifier, eda: eda) }
        let anyViT = classifier != nil
        return substitutePresent ? .substitute(vitPresent: anyViT) : .none(vitPresent: anyViT)
    }

    /// The ViT-B/16 checkpoints in `folder` (`PretrainedWeights.locate`).
    static func vitCheckpoints(in folder: URL) -> [PretrainedModel: URL] {
        var out: [PretrainedModel: URL] = [:]
        for model in Set(classifierCheckpoints + edaCheckpoints) {
            if let url = PretrainedWeights.locate(in: folder, model: model) { out[model] = url }
        }
        return out
    }
}

/// How each ViT-B/16 checkpoint expects its input and normalises its tokens.
extension PretrainedModel {
    /// Per-channel normalisation of the published preprocessing: torchvision's
    /// `ViT_B_16_Weights.IMAGENET1K_V1.transforms()` uses the ImageNet mean/std; Hugging Face's
    /// in21k `ViTFeatureExtractor` and timm's augreg use 0.5 / 0.5.
    var featureNormalisation: (mean: [Float], std: [Float]) {
        switch self {
        case .vitBase16Torchvision, .resnet18ImageNet: ([0.485, 0.456, 0.406], [0.229, 0.224, 0.225])
        case .vitBase16In21k, .vitBase16ImageNet: ([0.5, 0.5, 0.5], [0.5, 0.5, 0.5])
        }
    }

    /// LayerNorm epsilon of the checkpoint's model: 1e-12 for Hugging Face's `ViTModel`, 1e-6 otherwise.
    var layerNormEps: Float { self == .vitBase16In21k ? 1e-12 : 1e-6 }

    /// How pages name the checkpoint.
    var featureDisplayName: String {
        switch self {
        case .vitBase16In21k: "ViT-B/16 (google/vit-base-patch16-224-in21k)"
        case .vitBase16Torchvision: "ViT-B/16 (torchvision IMAGENET1K_V1)"
        case .vitBase16ImageNet: "ViT-B/16 (timm vit_base_patch16_224.augreg_in1k)"
        case .resnet18ImageNet: "ResNet18 (torchvision IMAGENET1K_V1)"
        }
    }
}
