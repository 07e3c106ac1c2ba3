import Neural

/// The settings of one study run, loaded from `assets/profiles/<profile>.json`.
///
/// JSON keys are the snake_case spelling of these properties (`pixels_per_cell`); unknown keys are
/// rejected when loading (see `StudyConfig.load`). `paper.json` holds the documented study's exact
/// settings; every other profile lists in `reasons` why each value that differs from it differs,
/// and the report shows those differences as its deviations table.
public struct StudyConfig: Codable, Sendable, Equatable {
    /// `smoke`, `cpu` or `paper`.
    public var profile: String
    /// One sentence describing the profile, shown on the run card.
    public var summary: String
    public var data: DataConfig
    public var split: SplitConfig
    public var hog: HOGConfig
    public var vitFeatures: FeatureExtractorConfig
    public var eda: EDAConfig
    public var pca: PCAConfig
    public var tsne: TSNEConfig
    public var kmeans: KMeansConfig
    public var knn: KNNConfig
    public var logisticRegression: LogisticRegressionConfig
    public var decisionTree: DecisionTreeConfig
    public var networks: NetworksConfig
    public var shap: SHAPConfig
    /// Why each setting that differs from `paper.json` differs (empty for `paper`).
    public var reasons: [Reason]

    public struct Reason: Codable, Sendable, Equatable {
        /// Dotted key of the setting, e.g. `networks.resnet18.image_size`.
        public var key: String
        public var why: String
    }
}

/// Which images a run uses.
public struct DataConfig: Codable, Sendable, Equatable {
    /// Images drawn per class (seeded), or 0 for every image (the study uses all 17,092).
    public var imagesPerClass: Int
}

/// The study's 70/15/15 stratified split: `train_test_split(test_size=0.3)` then 0.5 of the rest.
public struct SplitConfig: Codable, Sendable, Equatable {
    public var train: Double
    public var validation: Double
    public var test: Double
}

/// `skimage.feature.hog` on grayscale images resized to `image_size` square (In [172]).
public struct HOGConfig: Codable, Sendable, Equatable {
    public var imageSize: Int
    public var orientations: Int
    public var pixelsPerCell: Int
    public var cellsPerBlock: Int
    public var blockNorm: String
    /// Images shown with their HOG visualisation (`visualize_hog_samples`).
    public var gallerySamples: Int
}

/// ViT-B/16 (ImageNet weights) penultimate features, 768 per image (In [176], In [208]).
public struct FeatureExtractorConfig: Codable, Sendable, Equatable {
    /// Input side of ViT-B/16 (the study: 224).
    public var imageSize: Int
    public var batchSize: Int
    /// Images per class whose features are extracted, or 0 for all. The deep-features step extracts
    /// every image of the split (its rows are the split's), so it requires 0.
    public var imagesPerClass: Int
    /// Input side of the substitute backbone (EfficientNet-Lite0) used when the ViT-B/16 weights are
    /// absent; the reference resolution is 224.
    public var substituteImageSize: Int
    /// Which backbone the deep-features step prefers (`vit_features.backbone`).
    public var backbone: FeatureBackbone
    /// The substitute backbones measured side by side on a sample (`backbone-survey`), so the
    /// deep-features page shows what the chosen one is worth against the others.
    public var survey: [SurveyCandidate]
    /// Training images per class of that sample (validation: half as many); 0 skips the survey.
    public var surveyImagesPerClass: Int
}

/// One backbone and input size of the survey.
public struct SurveyCandidate: Codable, Sendable, Equatable {
    /// `efficientnet-lite0`, `efficientnet-lite1` or `efficientnet-lite2`.
    public var backbone: String
    public var imageSize: Int
}

/// The deep-features step's backbone choice (`vit_features.backbone`).
public enum FeatureBackbone: String, Codable, Sendable, CaseIterable {
    /// The study's ViT-B/16 when its weights are in the weights folder, else the EfficientNet-Lite0
    /// substitute, else none.
    case vitB16 = "vit-b16"
    /// An EfficientNet-Lite substitute even when ViT-B/16 weights are present (else none).
    case efficientNetLite0 = "efficientnet-lite0"
    case efficientNetLite1 = "efficientnet-lite1"
    case efficientNetLite2 = "efficientnet-lite2"

    /// The substitute backbone this choice extracts when ViT-B/16 does not run (`vit-b16` falls
    /// back to EfficientNet-Lite0).
    public var substituteVariant: EfficientNetLite.Variant {
        switch self {
        case .vitB16, .efficientNetLite0: .lite0
        case .efficientNetLite1: .lite1
        case .efficientNetLite2: .lite2
        }
    }
}

/// How many images the exploratory analyses (PCA, t-SNE, k-means, kNN) use.
public struct EDAConfig: Codable, Sendable, Equatable {
    /// Images per class fed to PCA/t-SNE/k-means, or 0 for all.
    public var imagesPerClass: Int
}

/// PCA explained-variance analysis (In [182]–[184]).
public struct PCAConfig: Codable, Sendable, Equatable {
    /// Cumulative explained-variance thresholds whose component counts are reported.
    public var varianceThresholds: [Double]
    /// The threshold whose components feed t-SNE (`PCA(n_components=0.95)`).
    public var reductionThreshold: Double
}

/// `sklearn.manifold.TSNE` on the first `input_dims` PCA components (In [179]–[181]).
public struct TSNEConfig: Codable, Sendable, Equatable {
    public var inputDims: Int
    public var perplexity: Double
    public var learningRate: Double
    public var maxIter: Int
}

/// `sklearn.cluster.KMeans` on the scaled features.
public struct KMeansConfig: Codable, Sendable, Equatable {
    public var clusters: Int
    public var nInit: Int
}

/// `NearestNeighbors(n_neighbors + 1, metric='cosine')` query gallery (In [177]).
public struct KNNConfig: Codable, Sendable, Equatable {
    public var neighbours: Int
    public var queries: Int
    public var metric: String
}

/// Logistic regression (`nn.Linear` + Adam) on scaled ViT features (In [200], In [210]).
public struct LogisticRegressionConfig: Codable, Sendable, Equatable {
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    public var optimizer: String
}

/// `DecisionTreeClassifier` on scaled ViT features (In [200]).
public struct DecisionTreeConfig: Codable, Sendable, Equatable {
    public var maxDepth: Int
    public var minSamplesSplit: Int
    public var randomState: Int
}

/// The five networks trained on images.
public struct NetworksConfig: Codable, Sendable, Equatable {
    public var simpleNn: NetworkConfig
    public var lightCnn: NetworkConfig
    public var cnn: NetworkConfig
    public var resnet18: NetworkConfig
    public var vit: NetworkConfig
}

/// Training settings of one network.
public struct NetworkConfig: Codable, Sendable, Equatable {
    /// Square input size in pixels (the study resizes to 224).
    public var imageSize: Int
    public var epochs: Int
    public var batchSize: Int
    public var learningRate: Double
    /// A second learning rate for a new head when it differs from the backbone's (ResNet18: 8e-4).
    public var headLearningRate: Double
    public var optimizer: String
    /// Width of the first hidden layer or block (`hidden_units`), 0 when the model has none.
    public var hiddenUnits: Int
    /// Starts from ImageNet weights.
    public var pretrained: Bool
    /// Early stopping on `val_loss`: epochs without improvement, 0 for none.
    public var earlyStoppingPatience: Int
    public var earlyStoppingMinDelta: Double
    /// Put back the best validation-loss weights also when the epochs run out before early stopping
    /// triggers (a profile with fewer epochs than the study's; `Neural.EarlyStopping`).
    public var restoreBestAtEnd: Bool
    /// Training images used per class, 0 for the whole training split.
    public var trainImagesPerClass: Int
    /// Validation and test images used per class (a seeded sample of each part), 0 for the whole parts.
    public var evalImagesPerClass: Int
    /// ResNet18 and ViT-B/16 only: the pretrained backbone that runs the study's fine-tuning recipe
    /// when the study's own ImageNet checkpoint is absent (nil: train the study's network from
    /// random initialisation instead).
    public var substitute: SubstituteNetworkConfig?
}

/// A pretrained backbone standing in for a network whose study weights cannot be had: the same
/// recipe (optimizer, learning rates, batch size, head) on another ImageNet network.
public struct SubstituteNetworkConfig: Codable, Sendable, Equatable {
    /// `efficientnet-lite0`, `efficientnet-lite1` or `efficientnet-lite2`; `none` to train the
    /// study's network from random initialisation.
    public var backbone: String
    /// Square input size in pixels.
    public var imageSize: Int
    public var epochs: Int
    /// Training images per class, 0 for the whole training split.
    public var trainImagesPerClass: Int
    /// Validation and test images per class, 0 for the whole parts.
    public var evalImagesPerClass: Int
}

/// SHAP explanations (`shap_partition`, `visualize_shap_values`).
public struct SHAPConfig: Codable, Sendable, Equatable {
    /// Model evaluations per explained image (`max_evals`; shap's default is 500).
    public var maxEvals: Int
    /// Background images of the deep explainer (`background_size`), the first of the test order.
    public var deepBackground: Int
    /// Test images each network's explanation asks for: the study's `test_size` (deep explainer)
    /// or `num_samples` (partition explainer), one call per network.
    public var explainedImages: SHAPImagesPerNetwork
}

/// A SHAP setting per network (`shap.explained_images.<network>`): the study asked for a different
/// number of images for each network.
public struct SHAPImagesPerNetwork: Codable, Sendable, Equatable {
    public var simpleNn: Int
    public var lightCnn: Int
    public var cnn: Int
    public var resnet18: Int
    public var vit: Int

    public init(simpleNn: Int, lightCnn: Int, cnn: Int, resnet18: Int, vit: Int) {
        self.simpleNn = simpleNn; self.lightCnn = lightCnn; self.cnn = cnn; self.resnet18 = resnet18; self.vit = vit
    }
}
