import Foundation
import Neural
import Report
import Tensor

/// The deep features of the study (In [175]–[176], In [201]): one feature vector per image of the
/// split, for the deep-feature EDA and the classifiers (contract: the `features` matrix, an optional
/// `eda_features` matrix and the `DeepFeaturesIndex` `index`).
///
/// With `vit_features.backbone` `vit-b16` and ViT-B/16 weights in the weights folder, this is the
/// study's recipe (`ViTFeatureExtractor`): `features` are the class tokens of torchvision's
/// `vit_b_16` (the classifiers'), `eda_features` the token means of Hugging Face's in21k model (the
/// EDA's), each from the study's checkpoint when present (`DeepFeaturesPlan`). Otherwise, or with
/// `efficientnet-lite0`, the EfficientNet-Lite0 substitute (ImageNet, imported offline with
/// `bloodstudy import-weights`) at `vit_features.substitute_image_size`; or none, and then the page
/// says so and dependents skip. It never substitutes a randomly initialised network.
public struct DeepFeaturesSection: ComputedSection {
    public let id = "deep-features"
    public let title = "Deep features"
    /// The backbone survey's table goes on this page.
    public let dependencies = ["split", "backbone-survey"]
    public let version = 6
    public let configKeys = ["vit_features"]

    /// The ViT shape for a checkpoint at a side, nil for ViT-B/16 (tests: a tiny one, so the ViT
    /// path runs without 330 MB of weights).
    var vitConfiguration: @Sendable (PretrainedModel, Int) -> ViTConfiguration? = { _, _ in nil }

    public init() {}

    /// The imported substitute backbone `variant`, when its file and manifest are both present.
    static func substitute(in weights: URL, variant: EfficientNetLite.Variant) -> (KnownWeights, WeightsManifest)? {
        guard let known = KnownWeights.all.first(where: { $0.id == variant.name }), let manifest = WeightsManifest.read(known, in: weights),
              FileManager.default.fileExists(atPath: known.file(in: weights).path) else { return nil }
        return (known, manifest)
    }

    /// The ViT-B/16 checkpoints in `weights` as "<file name> <bytes>", sorted.
    static func vitFiles(in weights: URL) -> [String] {
        DeepFeaturesPlan.vitCheckpoints(in: weights).values.map { url in
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            return "\(url.lastPathComponent) \(size)"
        }.sorted()
    }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("vit_features", config.vitFeatures)
    }

    /// The weights are inputs too: the substitute's hash (from its manifest) and the ViT-B/16 files
    /// by name and size (hashing 330 MB on every run would cost seconds), so adding or removing
    /// weights re-runs the step.
    public func inputs(_ config: StudyConfig, weights: URL) -> StepInputs {
        inputs(config).adding("substitute_weights", Self.substitute(in: weights, variant: config.vitFeatures.backbone.substituteVariant)?.1.safetensorsSHA256 ?? "absent")
            .adding("vit_weights", Self.vitFiles(in: weights))
    }

    /// `results.json` key of this run's extraction time (documented: the study's, In [208]).
    static let extractionSecondsKey = "deep_features.extraction_seconds"

    /// A ViT-B/16 checkpoint that gave one role's features.
    public struct Checkpoint: Codable, Sendable, Equatable {
        /// `PretrainedModel` raw value.
        public var model: String
        public var file: String
        public var sha256: String

        var pretrained: PretrainedModel? { PretrainedModel(rawValue: model) }
    }

    /// The imported substitute backbone that gave the features.
    public struct Substitute: Codable, Sendable, Equatable {
        public var id: String
        public var displayName: String
        public var source: String
        public var licence: String
        public var checkpointSHA256: String
    }

    /// What the step extracted, or why it extracted nothing: everything the page shows.
    public struct Result: Codable, Sendable, Equatable {
        public enum Backbone: String, Codable, Sendable { case vit, substitute, none }
        public var backbone: Backbone
        /// Images and numbers per image of `features`; 0 when none were extracted.
        public var images: Int
        public var width: Int
        /// Input side of the backbone that ran (0 when none did).
        public var side: Int
        /// Wall seconds of the extraction (every pass), and the image passes it made.
        public var seconds: Double
        public var passes: Int
        /// `vit_features.backbone` of the profile, and the substitute it names (`EfficientNetLite.Variant`).
        public var configuredBackbone: String
        public var substituteVariant: EfficientNetLite.Variant
        /// ViT-B/16 checkpoints in the weights folder (file names, sorted); whether they make a ViT plan.
        public var vitFiles: [String]
        public var vitPresent: Bool
        /// ViT-B/16: the classifiers' (class token) and the EDA's (token mean) checkpoints.
        public var classifier: Checkpoint?
        public var eda: Checkpoint?
        public var substitute: Substitute?
        /// The backbone survey's table, shown on this page.
        public var survey: BackboneSurveySection.Result
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let config = context.config.vitFeatures
        guard config.imagesPerClass == 0 else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)",
                                       detail: "vit_features.images_per_class must be 0: the deep-features step extracts every image of the split")
        }
        let split = try context.upstream("split").read(SplitSection.Split.self, "split")
        let rows = split.train + split.validation + split.test
        func index(_ backbone: String, _ name: String, _ sha: String, _ side: Int) -> DeepFeaturesIndex {
            DeepFeaturesIndex(backbone: backbone, backboneName: name, weightsSHA256: sha, imageSize: side, classes: split.classes,
                              paths: rows.map(\.path), labels: rows.map(\.label), train: split.train.count,
                              validation: split.validation.count, test: split.test.count)
        }
        let vitCheckpoints = DeepFeaturesPlan.vitCheckpoints(in: context.weights)
        let variant = config.backbone.substituteVariant
        let substitute = Self.substitute(in: context.weights, variant: variant)
        let plan = DeepFeaturesPlan.choose(config.backbone, vitPresent: Set(vitCheckpoints.keys), substitutePresent: substitute != nil)
        let survey = try context.upstream("backbone-survey").read(BackboneSurveySection.Result.self, ComputedResultArtifact.name)
        var result = Result(backbone: .none, images: 0, width: 0, side: 0, seconds: 0, passes: 0, configuredBackbone: config.backbone.rawValue,
                            substituteVariant: variant, vitFiles: vitCheckpoints.values.map(\.lastPathComponent).sorted(),
                            vitPresent: false, survey: survey)
        switch plan {
        case let .vit(classifier, eda):
            return try extractViT(classifier: classifier, eda: eda, files: vitCheckpoints, rows: rows, context: context, result: result,
                                  index: { sha, side in index("vit-b16", "ViT-B/16", sha, side) })
        case let .substitute(vitPresent), let .none(vitPresent):
            result.vitPresent = vitPresent
        }
        guard case .substitute = plan, let (known, manifest) = substitute else {
            try context.artifacts.write(index("none", "none", "", 0), as: "index")
            context.progress(1, 1)
            return result
        }
        let weightsFile = known.file(in: context.weights)
        let actual = try WeightsImport.sha256(of: weightsFile)
        guard actual == manifest.safetensorsSHA256 else {
            throw StudyError.badConfig(file: weightsFile.path,
                                       detail: "its SHA-256 \(actual) differs from the manifest's \(manifest.safetensorsSHA256); run bloodstudy import-weights again")
        }
        let side = config.substituteImageSize
        let extractor = try LiteFeatureExtractor(weights: weightsFile, variant: variant, side: side, batchSize: config.batchSize)
        let started = Date()
        let features = try extractor.features(of: rows.map { context.datasetRoot.appendingPathComponent($0.path) },
                                              progress: context.progressHandler)
        result.seconds = Date().timeIntervalSince(started)
        try context.artifacts.write(matrix: features, as: "features")
        try context.artifacts.write(index(known.id, known.displayName, manifest.checkpointSHA256, side), as: "index")
        result.backbone = .substitute
        (result.images, result.width, result.side, result.passes) = (features.rows, features.columns, side, features.rows)
        result.substitute = Substitute(id: known.id, displayName: known.displayName, source: manifest.source, licence: manifest.licence,
                                       checkpointSHA256: manifest.checkpointSHA256)
        return result
    }

    /// The study's recipe: class tokens of `classifier` as `features`, token means of `eda` as
    /// `eda_features` (one pass when both roles use the same checkpoint, else one pass each).
    private func extractViT(classifier: PretrainedModel, eda: PretrainedModel, files: [PretrainedModel: URL],
                            rows: [SplitSection.Item], context: StudyContext, result: Result,
                            index: (String, Int) -> DeepFeaturesIndex) throws -> Result {
        let config = context.config.vitFeatures
        let side = config.imageSize
        let models = classifier == eda ? [classifier] : [classifier, eda]
        var sha: [PretrainedModel: String] = [:]
        for model in models { sha[model] = SHA256.hex(try Data(contentsOf: files[model]!, options: .alwaysMapped)) }
        let urls = rows.map { context.datasetRoot.appendingPathComponent($0.path) }
        let total = urls.count * models.count
        let started = Date()
        var features: Matrix<Float>?, edaFeatures: Matrix<Float>?
        for (pass, model) in models.enumerated() {
            // One extractor at a time: each holds 330 MB of weights and its activations.
            let extractor = try ViTFeatureExtractor(weights: files[model]!, checkpoint: model, side: side, batchSize: config.batchSize,
                                                   configuration: vitConfiguration(model, side))
            let handler = context.progressHandler
            let out = try extractor.features(of: urls) { done, _ in handler(pass * urls.count + done, total) }
            if model == classifier { features = out.classToken }
            if model == eda { edaFeatures = out.meanOfTokens }
        }
        let seconds = Date().timeIntervalSince(started)
        try context.artifacts.write(matrix: features!, as: "features")
        try context.artifacts.write(matrix: edaFeatures!, as: "eda_features")
        var written = index(sha[classifier]!, side)
        written.backboneName = "ViT-B/16"
        written.edaBackboneName = eda.featureDisplayName
        written.edaWeightsSHA256 = sha[eda]!
        try context.artifacts.write(written, as: "index")
        var result = result
        result.backbone = .vit
        (result.images, result.width, result.side, result.seconds) = (features!.rows, features!.columns, side, seconds)
        result.passes = features!.rows * models.count
        result.classifier = Checkpoint(model: classifier.rawValue, file: files[classifier]!.lastPathComponent, sha256: sha[classifier]!)
        result.eda = Checkpoint(model: eda.rawValue, file: files[eda]!.lastPathComponent, sha256: sha[eda]!)
        return result
    }
}
