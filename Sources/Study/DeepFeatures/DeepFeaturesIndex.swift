import Foundation

/// What the `deep-features` step extracted, written as its `index` artifact.
///
/// Rows of the `features` (and optional `eda_features`) matrix follow the split: `train` rows of
/// split.train, then `validation`, then `test`. With no weights present `backbone` is `"none"`,
/// no matrix is written, and dependents skip with a reason.
public struct DeepFeaturesIndex: Codable, Sendable, Equatable {
    /// "vit-b16", "efficientnet-lite0" or "none".
    public var backbone: String
    /// Display name of the backbone, e.g. "EfficientNet-Lite0 (ImageNet)".
    public var backboneName: String
    /// SHA-256 of the weights file used (empty with no backbone).
    public var weightsSHA256: String
    /// Side of the square network input, in pixels.
    public var imageSize: Int
    public var classes: [String]
    /// Image paths relative to the dataset folder, in row order.
    public var paths: [String]
    /// Class index of every row.
    public var labels: [Int]
    public var train: Int
    public var validation: Int
    public var test: Int
    /// With an `eda_features` matrix: the checkpoint that made it and its SHA-256 (nil otherwise;
    /// `backboneName` and `weightsSHA256` are then those of `features`).
    public var edaBackboneName: String?
    public var edaWeightsSHA256: String?

    public init(backbone: String, backboneName: String, weightsSHA256: String, imageSize: Int, classes: [String],
                paths: [String], labels: [Int], train: Int, validation: Int, test: Int,
                edaBackboneName: String? = nil, edaWeightsSHA256: String? = nil) {
        self.backbone = backbone; self.backboneName = backboneName; self.weightsSHA256 = weightsSHA256
        self.imageSize = imageSize; self.classes = classes; self.paths = paths; self.labels = labels
        self.train = train; self.validation = validation; self.test = test
        self.edaBackboneName = edaBackboneName; self.edaWeightsSHA256 = edaWeightsSHA256
    }

    /// Whether features were extracted (a backbone's weights were present).
    public var hasFeatures: Bool { backbone != "none" }
}
