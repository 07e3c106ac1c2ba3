import Foundation
import Neural
import Tensor

/// The five networks of the study, as report steps: `<id>-train` trains, `<id>` is the page.
public enum NetworkKind: String, CaseIterable, Sendable, Codable {
    case simpleNN, lightCNN, cnn, resnet18, vit

    /// Step id stem: `simple-nn`, `light-cnn`, `cnn`, `resnet18`, `vit`.
    public var id: String {
        switch self {
        case .simpleNN: "simple-nn"
        case .lightCNN: "light-cnn"
        case .cnn: "cnn"
        case .resnet18: "resnet18"
        case .vit: "vit"
        }
    }

    /// The `results.json` model key (`models.<key>.*`) and the profile key (`networks.<key>`).
    public var resultsKey: String {
        switch self {
        case .simpleNN: "simple_nn"
        case .lightCNN: "light_cnn"
        case .cnn: "cnn"
        case .resnet18: "resnet18"
        case .vit: "vit"
        }
    }

    /// The name the report shows (the documented study's table names).
    public var displayName: String {
        DocumentedResults.models.first { $0.key == resultsKey }?.name ?? resultsKey
    }

    /// The study's class name of the model.
    public var studyClassName: String {
        switch self {
        case .simpleNN: "SimpleNN"
        case .lightCNN: "LightCNN"
        case .cnn: "CNNModel"
        case .resnet18: "ModelResNet18"
        case .vit: "ViTClassifier (torchvision vit_b_16)"
        }
    }

    /// This network's settings in `config` (`networks.<results key>`).
    public func config(_ config: StudyConfig) -> NetworkConfig { settings(config.networks) }

    /// This network's settings among `networks`.
    public func settings(_ networks: NetworksConfig) -> NetworkConfig {
        switch self {
        case .simpleNN: networks.simpleNn
        case .lightCNN: networks.lightCnn
        case .cnn: networks.cnn
        case .resnet18: networks.resnet18
        case .vit: networks.vit
        }
    }

    /// Whether the study started this network from ImageNet weights (ResNet18, ViT-B/16).
    public var studyIsPretrained: Bool { !pretrainedCandidates.isEmpty }

    /// The ImageNet checkpoints this network starts from when `pretrained` is set, in order of
    /// preference (torchvision's own file first).
    public var pretrainedCandidates: [PretrainedModel] {
        switch self {
        case .resnet18: [.resnet18ImageNet]
        case .vit: [.vitBase16Torchvision, .vitBase16ImageNet]
        default: []
        }
    }

    /// The network with fresh (random) weights, as the study builds it, for `classes` outputs.
    ///
    /// - SimpleNN: Flatten → Linear(3·s·s, hidden) → ReLU → Linear(hidden, classes) → ReLU.
    /// - LightCNN / CNNModel: the study's three conv blocks with `hidden_units` channels.
    /// - ResNet18: the study's `ModelResNet18` (base frozen but for its last parameters, new head).
    /// - ViT: torchvision `vit_b_16` at the profile's image size with `heads.head = Linear(768, classes)`.
    public func build(config: NetworkConfig, classes: Int, using generator: inout some RandomNumberGenerator) -> Layer {
        let side = config.imageSize
        switch self {
        case .simpleNN:
            return StudyModel.simpleNN(inputDimension: 3 * side * side, hiddenUnits: config.hiddenUnits,
                                       outputDimension: classes, using: &generator)
        case .lightCNN:
            return StudyModel.lightCNN(inputChannels: 3, hiddenUnits: config.hiddenUnits, outputClasses: classes,
                                       dropoutSeed: generator.next(), using: &generator)
        case .cnn:
            return StudyModel.cnnModel(inputChannels: 3, hiddenUnits: config.hiddenUnits, outputClasses: classes,
                                       dropoutSeed: generator.next(), using: &generator)
        case .resnet18:
            return StudyResNet18(classes: classes, using: &generator)
        case .vit:
            return VisionTransformer(.base16(imageSize: side, classes: classes, layerNormEps: 1e-6), using: &generator)
        }
    }

    /// The study's optimizer over `model`'s parameters: SGD (SimpleNN, LightCNN, ViT), Adam (CNNModel),
    /// AdamW with the base at `learning_rate` and the head at `head_learning_rate` (ResNet18).
    public func makeOptimizer(for model: Layer, config: NetworkConfig) throws -> any ResumableOptimizer {
        let lr = Float(config.learningRate)
        switch config.optimizer.lowercased() {
        case "sgd":
            return SGD(parameters: model.parameters, learningRate: lr)
        case "adam":
            return Adam(parameters: model.parameters, learningRate: lr)
        case "adamw":
            if let resnet = model as? StudyResNet18 {
                return Adam.adamW([ParameterGroup(resnet.base.parameters, learningRate: lr),
                                   ParameterGroup(resnet.block.parameters, learningRate: Float(config.headLearningRate))])
            }
            return Adam.adamW(parameters: model.parameters, learningRate: lr)
        default:
            throw StudyError.badConfig(file: "networks.\(resultsKey).optimizer",
                                       detail: "unknown optimizer '\(config.optimizer)'; use sgd, adam or adamw")
        }
    }

    /// The optimizer in the study's words, for the model-details box and the page.
    public func optimizerDescription(_ config: NetworkConfig) -> String {
        switch config.optimizer.lowercased() {
        case "adamw" where self == .resnet18:
            "AdamW (base lr \(Self.number(config.learningRate)), head lr \(Self.number(config.headLearningRate)))"
        case "adamw": "AdamW (lr \(Self.number(config.learningRate)))"
        case "adam": "Adam (lr \(Self.number(config.learningRate)))"
        default: "SGD (lr \(Self.number(config.learningRate)))"
        }
    }

    /// Every dropout layer of a model this kind builds (reseeded per epoch so a resumed run draws the
    /// same masks as an uninterrupted one).
    public func dropouts(of model: Layer) -> [Dropout] {
        if let s = model as? Sequential { return s.dropoutLayers }
        if let r = model as? StudyResNet18 { return r.block.dropoutLayers }
        return []
    }

    static func number(_ value: Double) -> String {
        let text = String(format: "%g", value)
        return text
    }
}
