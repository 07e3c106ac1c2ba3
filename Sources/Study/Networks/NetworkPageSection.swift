import Foundation
import Neural
import Plot
import Report

/// The page of one of the study's networks (step `<id>`): how it was trained, the study's 2x2
/// performance figure with the model-details box, the test evaluation (classification report,
/// confusion matrix, ROC per class, predictions file), the training time, and the documented
/// numbers beside this run's scored the study's way. Reads the artifacts of `<id>-train` (the test
/// evaluation it stored: nothing is run through the network again); with `explanationStep` set,
/// also appends the cells that step wrote (artifact `cells`) under "SHAP explanations".
public struct NetworkPageSection: ComputedSection {
    public let kind: NetworkKind
    public let explanationStep: String?
    public var id: String { kind.id }
    public var title: String { kind.displayName }
    public var dependencies: [String] { ["\(kind.id)-train"] + (explanationStep.map { [$0] } ?? []) }
    /// The failure gallery's thumbnails are read from the dataset in `compute`.
    public let usesDataset = true
    /// 5: compute then page; the study's definitions of its printed numbers; SimpleNN's defect.
    public let version = 5
    public var configKeys: [String] { ["networks.\(kind.resultsKey)"] }

    public init(_ kind: NetworkKind, explanationStep: String? = nil) {
        self.kind = kind; self.explanationStep = explanationStep
    }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("network", kind.resultsKey).adding("settings", kind.config(config))
    }

    /// Everything the page shows: the train step's records, the study-defined scores of its test
    /// predictions, the failure gallery's thumbnails and the SHAP step's cells.
    public struct Result: Codable, Sendable {
        public var info: NetworkTrainingInfo
        public var history: Neural.TrainingHistory
        /// The test evaluation the train step stored (labels, predictions, probabilities in test order).
        public var evaluation: NetworkEvaluation
        public var settings: NetworkConfig
        /// The run's seed (the bootstrap's resamples derive from it).
        public var seed: UInt64
        /// This run's test predictions scored as the study scored its own (`models.<network>.study_*`).
        public var studyMetrics: StudyDefinedMetrics
        public var thumbnails: FailureThumbnails
        /// From the SHAP step: its maps of the gallery's mistakes and its cells (nil without one).
        public var failureMaps: FailureMaps?
        public var explanation: [Cell]?

        public init(info: NetworkTrainingInfo, history: Neural.TrainingHistory, evaluation: NetworkEvaluation, settings: NetworkConfig,
                    seed: UInt64, studyMetrics: StudyDefinedMetrics, thumbnails: FailureThumbnails,
                    failureMaps: FailureMaps? = nil, explanation: [Cell]? = nil) {
            self.info = info; self.history = history; self.evaluation = evaluation; self.settings = settings; self.seed = seed
            self.studyMetrics = studyMetrics; self.thumbnails = thumbnails; self.failureMaps = failureMaps; self.explanation = explanation
        }
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let trained = try context.upstream("\(kind.id)-train")
        let info = try trained.read(NetworkTrainingInfo.self, "training")
        let history = try trained.read(Neural.TrainingHistory.self, "history")
        let evaluation = try trained.read(NetworkEvaluation.self, "evaluation")
        let settings = kind.config(context.config)
        context.progress(0, 2)
        let tested = NetworkPage.modelEvaluation(kind, evaluation: evaluation)
        let thumbnails = FailureGallery.thumbnails(tested, datasetRoot: context.datasetRoot)
        context.progress(1, 2)
        // The SHAP step also explains the gallery's mistakes (artifact `failure-maps`).
        let explained = try explanationStep.map { try context.upstream($0) }
        let study = StudyDefinedMetrics(NetworkPage.studyDefinition(kind), labels: evaluation.labels, predictions: evaluation.predictions,
                                        classes: evaluation.classes.count, batchSize: settings.batchSize)
        context.progress(2, 2)
        return Result(info: info, history: history, evaluation: evaluation, settings: settings, seed: context.seed,
                      studyMetrics: study, thumbnails: thumbnails,
                      failureMaps: try explained?.read(FailureMaps.self, "failure-maps"),
                      explanation: try explained?.read([Cell].self, "cells"))
    }

    public func page(_ result: Result) -> SectionResult {
        let (info, history, evaluation, settings) = (result.info, result.history, result.evaluation, result.settings)
        var cells: [Cell] = [.markdown(NetworkPage.introduction(kind, info: info, settings: settings))]
        cells.append(NetworkPage.trainingCell(kind, info: info, history: history, evaluation: evaluation, settings: settings))
        let tested = NetworkPage.modelEvaluation(kind, evaluation: evaluation)
        cells += tested.cells(captionNote: NetworkPage.captionNote(kind, info: info))
        let uncertainty = tested.uncertainty(seed: result.seed)
        cells += tested.qualityCells(uncertainty, thumbnails: result.thumbnails,
                                     captionNote: NetworkPage.captionNote(kind, info: info), failureMaps: result.failureMaps,
                                     explainedBy: ShapSection(kind).usesDeepExplainer ? "shap.DeepExplainer" : "shap.PartitionExplainer")
        cells += NetworkPage.documentedCells(kind, info: info, history: history)
        cells += NetworkPage.studyDefinedCells(kind, tested: tested, study: result.studyMetrics)
        if let explanation = result.explanation {
            cells.append(.markdown("## SHAP explanations"))
            cells += explanation
        }
        return SectionResult(cells: cells, headlines: headlines(result, tested: tested, uncertainty: uncertainty))
    }

    /// The page's headlines, each under its literal key (`NetworkResultKeys`).
    func headlines(_ result: Result, tested: ModelEvaluation, uncertainty u: ModelUncertainty) -> [Headline] {
        let (info, study, keys, name) = (result.info, result.studyMetrics, NetworkResultKeys.of(kind), kind.displayName)
        func finite(_ v: Double) -> JSONValue { v.isFinite ? .double(v) : .null }
        // As `ModelEvaluation.headlines` and `uncertaintyHeadlines`, under this network's literal keys.
        var headlines = [
            Headline(keys.testAccuracy, .double(tested.testAccuracy)),
            Headline(keys.macroF1, .double(tested.macroF1)),
            Headline(keys.weightedF1, .double(tested.weightedF1)),
            Headline(keys.microAUC, finite(tested.microAUC)),
            Headline(keys.trainSeconds, .double(info.trainSeconds)),
            Headline(keys.pretrained, .bool(info.pretrained)),
            Headline(keys.testAccuracyLow, finite(u.accuracy.low), label: "\(name): test accuracy, 95% bootstrap interval: low"),
            Headline(keys.testAccuracyHigh, finite(u.accuracy.high), label: "\(name): test accuracy, 95% bootstrap interval: high"),
            Headline(keys.macroF1Low, finite(u.macroF1.low), label: "\(name): macro F1, 95% bootstrap interval: low"),
            Headline(keys.macroF1High, finite(u.macroF1.high), label: "\(name): macro F1, 95% bootstrap interval: high"),
        ]
        // The per-class recalls are keyed by the dataset's class names.
        let recall = "models.\(kind.resultsKey).recall."
        headlines += tested.uncertaintyHeadlines(u).filter { $0.key.hasPrefix(recall) }
        headlines += [
            Headline(keys.ece, finite(u.calibration.expectedError), label: "\(name): expected calibration error (15 bins)"),
            Headline(keys.bootstrapResamples, .int(u.resamples), label: "\(name): bootstrap resamples of the test set"),
            Headline(keys.epochsRun, .int(info.epochsRun), label: "\(name): epochs run"),
            Headline(keys.imageSize, .int(info.imageSize), label: "\(name): input image size (pixels)"),
            Headline(keys.parameters, .int(info.parameters), label: "\(name): parameters"),
            Headline(keys.backbone, .string(info.substitute?.backbone ?? kind.resultsKey),
                     label: "\(name): the network that ran (a substitute backbone with the study's recipe, or the study's own)"),
            Headline(keys.studyAccuracy, .double(study.accuracy),
                     label: "\(name): this run's test accuracy as the study defined its printed one (\(study.definition.description))"),
            Headline(keys.studyPrecision, .double(study.precision),
                     label: "\(name): this run's test precision as the study defined its printed one"),
            Headline(keys.studyRecall, .double(study.recall),
                     label: "\(name): this run's test recall as the study defined its printed one"),
            Headline(keys.studyF1, .double(study.f1),
                     label: "\(name): this run's test F1 as the study defined its printed one"),
        ]
        return headlines
    }
}
