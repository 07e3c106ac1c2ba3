import Explain
import Foundation
import Neural
import Plot
import Report
import Tensor

/// SHAP explanations of one trained network (step `shap-<id>`, no page of its own: the network's
/// page appends the cells it writes as the artifact `cells`). As the study: the deep explainer
/// (`visualize_shap_values`: the first test batch, `shap.deep_background` images as background and
/// the next `shap.deep_test` explained) for SimpleNN, LightCNN and CNNModel; the partition explainer
/// with `inpaint_telea` (`shap_partition`: the first `shap.partition_samples` test images,
/// `shap.max_evals` evaluations, all 8 softmax outputs) for ResNet18 and ViT.
public struct ShapSection: StudySection {
    public let kind: NetworkKind
    public var id: String { "shap-\(kind.id)" }
    public var title: String { "SHAP explanations: \(kind.displayName)" }
    public var dependencies: [String] { ["split", "\(kind.id)-train"] }
    public let hasPage = false
    public let version = 2
    public let configKeys = ["shap"]

    public init(_ kind: NetworkKind) { self.kind = kind }

    /// Whether the study explained this network with the deep explainer (else the partition one).
    public var usesDeepExplainer: Bool { [.simpleNN, .lightCNN, .cnn].contains(kind) }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("network", kind.resultsKey).adding("settings", kind.config(config)).adding("shap", config.shap)
            .adding("data", config.data).adding("split", config.split)
    }

    public func run(_ context: StudyContext) throws -> SectionResult {
        let config = context.config.shap
        let split = try context.upstream("split").read(SplitSection.Split.self, "split")
        let settings = kind.config(context.config)
        let trained = try context.upstream("\(kind.id)-train")
        let model = try NetworkCheckpoint.load(kind: kind, config: settings, classes: split.classes.count, from: trained)
        // The size the network trained at: the profile's, or its substitute backbone's.
        let info = try trained.read(NetworkTrainingInfo.self, "training")
        let side = info.imageSize
        let started = Date()
        let explanation: ShapExplanation
        let shown: [SplitSection.Item]
        // A small dataset may have too few test images for the configured background: the page
        // then says what it could not show, and the run goes on.
        var notes: [Cell] = []
        var deepBackground: Tensor? = nil
        if usesDeepExplainer {
            let items = Array(split.test.prefix(config.deepBackground + config.deepTest))
            guard items.count >= 2 else {
                return try Self.unexplained(context, "SHAP (deep explainer) needs at least two test images, one as background and one to explain; this run's test split has \(items.count).")
            }
            let x = try NetworkInputs.load(items: items, imageSize: side, datasetRoot: context.datasetRoot)
            let b = min(config.deepBackground, items.count - 1)
            if b < config.deepBackground {
                notes.append(.markdown("*This run's test split has only \(items.count) images, fewer than the \(config.deepBackground) of `shap.deep_background` plus one to explain: \(b) serve as background and \(items.count - b) \(items.count - b == 1 ? "is" : "are") explained.*"))
            }
            let plane = 3 * side * side, n = items.count - b
            let background = Tensor(shape: [b, 3, side, side], data: Array(x.data[0..<(b * plane)]))
            let explained = Tensor(shape: [n, 3, side, side], data: Array(x.data[(b * plane)...]))
            shown = Array(items[b...])
            deepBackground = background
            explanation = try ShapExplanation.deep(model: model, background: background, explained: explained,
                                                   progress: { context.progress($0, $1) })
        } else {
            shown = Array(split.test.prefix(config.partitionSamples))
            guard !shown.isEmpty else {
                return try Self.unexplained(context, "SHAP (partition explainer) needs at least one test image; this run's test split has none.")
            }
            let x = try NetworkInputs.load(items: shown, imageSize: side, datasetRoot: context.datasetRoot)
            explanation = ShapExplanation.partition(model: model, explained: x, maxEvals: config.maxEvals,
                                                    progress: { context.progress($0, $1) })
        }
        let seconds = Date().timeIntervalSince(started)
        var generator = context.generator(stream: 3)
        let faithfulness = ShapFaithfulness.measure(explanation, model: model, explainSeconds: seconds, using: &generator)
        let cells = ShapCells.cells(kind: kind, explanation: explanation, shown: shown, classes: split.classes,
                                    deep: usesDeepExplainer, config: config, seconds: seconds,
                                    substitute: info.substitute)
            + faithfulness.cells(kind: kind)
        try context.artifacts.write(notes + cells, as: "cells")
        try context.artifacts.write(try explainFailures(context, model: model, split: split, side: side, background: deepBackground),
                                    as: "failure-maps")
        let shares = explanation.nucleusShares.compactMap(\.inside)
        var headlines = [Headline("shap.\(kind.resultsKey).images", .int(explanation.images.count),
                                  label: "\(kind.displayName): images explained with SHAP")]
        if !shares.isEmpty {
            headlines.append(Headline("shap.\(kind.resultsKey).positive_share_in_nucleus",
                                      .double(shares.reduce(0, +) / Double(shares.count)),
                                      label: "\(kind.displayName): share of positive SHAP attribution inside the nucleus"))
        }
        headlines += faithfulness.headlines(kind: kind)
        // The cells go on the network's page (artifact `cells`); this step has no page of its own.
        return SectionResult(cells: [], headlines: headlines)
    }

    /// When nothing can be explained: the network's page says why, and no headline is claimed.
    static func unexplained(_ context: StudyContext, _ why: String) throws -> SectionResult {
        context.warn(why)
        try context.artifacts.write([Cell.markdown("## SHAP explanations\n\n*Not computed: \(why)*")], as: "cells")
        // The page's failure gallery then shows its images without maps.
        try context.artifacts.write(FailureMaps(indices: [], images: [], side: 0, predictedMaps: [], trueMaps: [], seconds: 0),
                                    as: "failure-maps")
        return SectionResult(cells: [])
    }

    /// SHAP maps of the network's most confidently wrong test images (its page's failure gallery),
    /// explained as the page's other images: all of the gallery's with the deep explainer, the first
    /// `shap.partition_samples` with the slower partition one (as many as the page explains, so the
    /// gallery at most doubles its cost).
    private func explainFailures(_ context: StudyContext, model: Layer, split: SplitSection.Split, side: Int,
                                 background: Tensor?) throws -> FailureMaps {
        let config = context.config.shap
        let evaluation = try context.upstream("\(kind.id)-train").read(NetworkEvaluation.self, "evaluation")
        let limit = usesDeepExplainer ? FailureGallery.size : min(FailureGallery.size, max(1, config.partitionSamples))
        let wrong = FailureGallery.failures(labels: evaluation.labels, predictions: evaluation.predictions,
                                            probabilities: evaluation.probabilities.flatMap { $0 }, classes: evaluation.classes.count,
                                            limit: limit)
        guard !wrong.isEmpty else { return FailureMaps(indices: [], images: [], side: side, predictedMaps: [], trueMaps: [], seconds: 0) }
        let byPath = Dictionary(split.test.map { ($0.path, $0) }, uniquingKeysWith: { first, _ in first })
        let items = try wrong.map { i in
            guard let item = byPath[evaluation.paths[i]] else {
                throw StudyError.artifactCorrupt(step: "\(kind.id)-train", name: "evaluation",
                                                 detail: "test image \(evaluation.paths[i]) is not in the split's test part")
            }
            return item
        }
        let x = try NetworkInputs.load(items: items, imageSize: side, datasetRoot: context.datasetRoot)
        let started = Date()
        let e = try background.map { try ShapExplanation.deep(model: model, background: $0, explained: x, progress: { _, _ in }) }
            ?? ShapExplanation.partition(model: model, explained: x, maxEvals: config.maxEvals, progress: { _, _ in })
        let seconds = Date().timeIntervalSince(started)
        return FailureMaps(indices: wrong, images: e.images, side: e.side,
                           predictedMaps: wrong.enumerated().map { e.maps[$0.offset][evaluation.predictions[$0.element]] },
                           trueMaps: wrong.enumerated().map { e.maps[$0.offset][evaluation.labels[$0.element]] }, seconds: seconds)
    }
}
