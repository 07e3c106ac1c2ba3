import Foundation

/// One model's result in this run, as the model comparison page lists it. Every model step writes
/// it as its artifact `summary` (`context.artifacts.write(summary, as: "summary")`); the comparison
/// reads it with `context.upstream(step).read(ModelSummary.self, "summary")`.
public struct ModelSummary: Codable, Sendable, Equatable {
    /// The results.json model key: `logistic_regression`, `decision_tree`, `simple_nn`, `light_cnn`,
    /// `cnn`, `resnet18` or `vit` (see `DocumentedResults.models`).
    public var key: String
    public var displayName: String
    public var testAccuracy: Double
    public var macroF1: Double
    public var weightedF1: Double
    /// Micro-average one-vs-rest ROC AUC; nil when it could not be computed.
    public var microAUC: Double?
    /// Trainable parameters; nil for a model that has none in that sense (the decision tree).
    public var parameterCount: Int?
    /// Wall seconds of training (fitting) in this run.
    public var trainingSeconds: Double
    /// Input image side in pixels; nil for models on precomputed features.
    public var imageSize: Int?
    /// Where the weights came from: "random initialisation", "ImageNet weights <file> sha256 <short>",
    /// "EfficientNet-Lite0 features (substitute for ViT-B/16)", ...
    public var weights: String
    /// Anything a reader of the comparison should know (epochs run, a skipped part); may be empty.
    public var note: String
    /// The pretrained backbone that ran the study's recipe for this network ("efficientnet-lite0"),
    /// nil when the study's own network (or its features) ran.
    public var substituteBackbone: String? = nil
    /// The test images (paths relative to the dataset folder), their true and predicted classes,
    /// for the comparison's bootstrap intervals and its paired test of two models on the images
    /// both saw; nil in summaries written before they were recorded.
    public var testPaths: [String]?
    public var testLabels: [Int]?
    public var testPredictions: [Int]?
    public var classCount: Int?

    public init(key: String, displayName: String, testAccuracy: Double, macroF1: Double, weightedF1: Double,
                microAUC: Double?, parameterCount: Int?, trainingSeconds: Double, imageSize: Int?,
                weights: String, note: String = "") {
        self.key = key; self.displayName = displayName; self.testAccuracy = testAccuracy
        self.macroF1 = macroF1; self.weightedF1 = weightedF1
        self.microAUC = microAUC.flatMap { $0.isFinite ? $0 : nil }
        self.parameterCount = parameterCount; self.trainingSeconds = trainingSeconds
        self.imageSize = imageSize; self.weights = weights; self.note = note
    }

    /// Whether each test image was classified right, by path (nil without the per-image record).
    public var outcomes: [String: Bool]? {
        guard let testPaths, let testLabels, let testPredictions,
              testPaths.count == testLabels.count, testLabels.count == testPredictions.count else { return nil }
        var out: [String: Bool] = [:]
        for (path, (t, p)) in zip(testPaths, zip(testLabels, testPredictions)) { out[path] = t == p }
        return out
    }
}
