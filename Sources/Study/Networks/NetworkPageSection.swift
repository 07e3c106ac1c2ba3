import Foundation
import Neural
import Plot
import Report

/// The page of one of the study's networks (step `<id>`): how it was trained, the study's 2x2
/// performance figure with the model-details box, the test evaluation (classification report,
/// confusion matrix, ROC per class, predictions file), the training time, and the documented
/// numbers beside this run's. Reads the artifacts of `<id>-train`; with `explanationStep` set, also
/// appends the cells that step wrote (artifact `cells`) under "SHAP explanations".
public struct NetworkPageSection: StudySection {
    public let kind: NetworkKind
    public let explanationStep: String?
    public var id: String { kind.id }
    public var title: String { kind.displayName }
    public var dependencies: [String] { ["\(kind.id)-train"] + (explanationStep.map { [$0] } ?? []) }
    public let usesDataset = false
    public let version = 4
    public var configKeys: [String] { ["networks.\(kind.resultsKey)"] }

    public init(_ kind: NetworkKind, explanationStep: String? = nil) {
        self.kind = kind; self.explanationStep = explanationStep
    }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("network", kind.resultsKey).adding("settings", kind.config(config))
    }

    public func run(_ context: StudyContext) throws -> SectionResult {
        let trained = try context.upstream("\(kind.id)-train")
        let info = try trained.read(NetworkTrainingInfo.self, "training")
        let history = try trained.read(Neural.TrainingHistory.self, "history")
        let evaluation = try trained.read(NetworkEvaluation.self, "evaluation")
        let settings = kind.config(context.config)
        context.progress(0, 2)

        var cells: [Cell] = [.markdown(NetworkPage.introduction(kind, info: info, settings: settings))]
        cells.append(NetworkPage.trainingCell(kind, info: info, history: history, evaluation: evaluation, settings: settings))
        context.progress(1, 2)
        let tested = NetworkPage.modelEvaluation(kind, evaluation: evaluation)
        cells += tested.cells(captionNote: NetworkPage.captionNote(kind, info: info))
        // The SHAP step also explains the gallery's mistakes (artifact `failure-maps`).
        let failureMaps = try explanationStep.map { try context.upstream($0).read(FailureMaps.self, "failure-maps") }
        let quality = tested.qualityCells(seed: context.seed, datasetRoot: context.datasetRoot,
                                              captionNote: NetworkPage.captionNote(kind, info: info), failureMaps: failureMaps,
                                              explainedBy: ShapSection(kind).usesDeepExplainer ? "shap.DeepExplainer" : "shap.PartitionExplainer")
        cells += quality.cells
        cells += NetworkPage.documentedCells(kind, info: info, history: history)
        if let explanationStep {
            let explanation = try context.upstream(explanationStep).read([Cell].self, "cells")
            cells.append(.markdown("## SHAP explanations"))
            cells += explanation
        }
        context.progress(2, 2)
        var headlines = tested.headlines(trainingSeconds: info.trainSeconds, pretrained: info.pretrained)
        headlines += quality.headlines
        headlines += [
            Headline("models.\(kind.resultsKey).epochs_run", .int(info.epochsRun), label: "\(kind.displayName): epochs run"),
            Headline("models.\(kind.resultsKey).image_size", .int(info.imageSize), label: "\(kind.displayName): input image size (pixels)"),
            Headline("models.\(kind.resultsKey).parameters", .int(info.parameters), label: "\(kind.displayName): parameters"),
            Headline("models.\(kind.resultsKey).backbone", .string(info.substitute?.backbone ?? kind.resultsKey),
                     label: "\(kind.displayName): the network that ran (a substitute backbone with the study's recipe, or the study's own)"),
        ]
        return SectionResult(cells: cells, headlines: headlines)
    }
}
