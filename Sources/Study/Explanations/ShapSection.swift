import Explain
import Foundation
import Neural
import Plot
import Report
import Tensor

/// SHAP explanations of one trained network (step `shap-<id>`, no page of its own: the network's
/// page appends the cells it writes as the artifact `cells`, also kept in its `Result`). As the
/// study: the deep explainer (`visualize_shap_values`: the first test batch, `shap.deep_background`
/// images as background and the next `shap.explained_images.<network>` explained, as many as that
/// batch holds) for SimpleNN, LightCNN and CNNModel; the partition explainer with `inpaint_telea`
/// (`shap_partition`: the first `shap.explained_images.<network>` test images, `shap.max_evals`
/// evaluations, all 8 softmax outputs) for ResNet18 and ViT.
public struct ShapSection: ComputedSection {
    public let kind: NetworkKind
    public var id: String { "shap-\(kind.id)" }
    public var title: String { "SHAP explanations: \(kind.displayName)" }
    public var dependencies: [String] { ["split", "\(kind.id)-train"] }
    public let hasPage = false
    /// 3: a per-network count of explained images, the deep explainer's images from the first test batch.
    public let version = 3
    public var configKeys: [String] { ["shap.max_evals", "shap.deep_background", "shap.explained_images.\(kind.resultsKey)"] }

    public init(_ kind: NetworkKind) { self.kind = kind }

    /// Whether the study explained this network with the deep explainer (else the partition one).
    public var usesDeepExplainer: Bool { [.simpleNN, .lightCNN, .cnn].contains(kind) }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("network", kind.resultsKey).adding("settings", kind.config(config))
            .adding("shap.max_evals", config.shap.maxEvals).adding("shap.deep_background", config.shap.deepBackground)
            .adding("shap.explained_images", requested(config.shap))
            .adding("data", config.data).adding("split", config.split)
    }

    /// Test images this network's explanation asks for (`shap.explained_images.<network>`).
    public func requested(_ config: SHAPConfig) -> Int {
        switch kind {
        case .simpleNN: config.explainedImages.simpleNn
        case .lightCNN: config.explainedImages.lightCnn
        case .cnn: config.explainedImages.cnn
        case .resnet18: config.explainedImages.resnet18
        case .vit: config.explainedImages.vit
        }
    }

    /// What the explanation found: the cells the network's page shows and the headline numbers.
    public struct Result: Codable, Sendable, Equatable {
        /// The cells under the page's "SHAP explanations" (shap's image plot, the nucleus sentence,
        /// the faithfulness curves), or a note saying why nothing was explained.
        public var cells: [Cell]
        /// Images asked for (`shap.explained_images.<network>`) and explained (headline `shap.<network>.images`;
        /// nil when nothing could be explained).
        public var requested: Int
        public var explained: Int?
        /// Mean share of the predicted class's positive attribution inside the nucleus.
        public var positiveShareInNucleus: Double?
        public var faithfulness: ShapFaithfulnessSummary?

        public init(cells: [Cell], requested: Int, explained: Int?, positiveShareInNucleus: Double?, faithfulness: ShapFaithfulnessSummary?) {
            self.cells = cells; self.requested = requested; self.explained = explained
            self.positiveShareInNucleus = positiveShareInNucleus; self.faithfulness = faithfulness
        }
    }

    /// The step's headlines (its cells go on the network's page, read from the `cells` artifact).
    public func page(_ result: Result) -> SectionResult {
        guard let explained = result.explained else { return SectionResult(cells: []) }
        let keys = NetworkResultKeys.of(kind)
        var headlines = [Headline(keys.shapImages, .int(explained), label: "\(kind.displayName): images explained with SHAP")]
        if let share = result.positiveShareInNucleus {
            headlines.append(Headline(keys.shapPositiveShareInNucleus, .double(share),
                                      label: "\(kind.displayName): share of positive SHAP attribution inside the nucleus"))
        }
        headlines += result.faithfulness?.headlines(kind: kind) ?? []
        return SectionResult(cells: [], headlines: headlines)
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let config = context.config.shap
        let requested = self.requested(config)
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
            // The study's images come from its first test batch: background first, then up to the
            // images asked for that the batch still holds (CNNModel: 10 asked, 32 - 25 = 7 explained).
            let batch = settings.batchSize
            let items = Array(split.test.prefix(min(config.deepBackground + requested, max(batch, 2))))
            guard items.count >= 2 else {
                return try Self.unexplained(context, requested: requested, "SHAP (deep explainer) needs at least two test images, one as background and one to explain; this run's test split has \(items.count).")
            }
            let x = try NetworkInputs.load(items: items, imageSize: side, datasetRoot: context.datasetRoot)
            let b = min(config.deepBackground, items.count - 1)
            if b == config.deepBackground && items.count - b < requested && config.deepBackground + requested > batch {
                notes.append(.markdown("*\(requested) images were asked for (`shap.explained_images.\(kind.resultsKey)`), but as in the study the images come from the first test batch of \(batch): after the \(b) of the background it holds \(items.count - b).*"))
            }
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
            shown = Array(split.test.prefix(requested))
            guard !shown.isEmpty else {
                return try Self.unexplained(context, requested: requested, "SHAP (partition explainer) needs at least one test image; this run's test split has none.")
            }
            let x = try NetworkInputs.load(items: shown, imageSize: side, datasetRoot: context.datasetRoot)
            explanation = ShapExplanation.partition(model: model, explained: x, maxEvals: config.maxEvals,
                                                    progress: { context.progress($0, $1) })
        }
        let seconds = Date().timeIntervalSince(started)
        var generator = context.generator(stream: 3)
        let faithfulness = ShapFaithfulness.measure(explanation, model: model, explainSeconds: seconds, using: &generator)
        let cells = ShapCells.cells(kind: kind, explanation: explanation, shown: shown, classes: split.classes,
                                    deep: usesDeepExplainer, config: config, requested: requested, seconds: seconds,
                                    substitute: info.substitute)
            + faithfulness.cells(kind: kind)
        try context.artifacts.write(notes + cells, as: "cells")
        try context.artifacts.write(try explainFailures(context, model: model, split: split, side: side, background: deepBackground),
                                    as: "failure-maps")
        let shares = explanation.nucleusShares.compactMap(\.inside)
        // The cells go on the network's page (artifact `cells`); this step has no page of its own.
        return Result(cells: notes + cells, requested: requested, explained: explanation.images.count,
                      positiveShareInNucleus: shares.isEmpty ? nil : shares.reduce(0, +) / Double(shares.count),
                      faithfulness: faithfulness.summary)
    }

    /// When nothing can be explained: the network's page says why, and no headline is claimed.
    static func unexplained(_ context: StudyContext, requested: Int, _ why: String) throws -> Result {
        context.warn(why)
        let cells = [Cell.markdown("## SHAP explanations\n\n*Not computed: \(why)*")]
        try context.artifacts.write(cells, as: "cells")
        // The page's failure gallery then shows its images without maps.
        try context.artifacts.write(FailureMaps(indices: [], images: [], side: 0, predictedMaps: [], trueMaps: [], seconds: 0),
                                    as: "failure-maps")
        return Result(cells: cells, requested: requested, explained: nil, positiveShareInNucleus: nil, faithfulness: nil)
    }

    /// SHAP maps of the network's most confidently wrong test images (its page's failure gallery),
    /// explained as the page's other images: all of the gallery's with the deep explainer, the first
    /// `shap.explained_images.<network>` with the slower partition one (as many as the page explains, so the
    /// gallery at most doubles its cost).
    private func explainFailures(_ context: StudyContext, model: Layer, split: SplitSection.Split, side: Int,
                                 background: Tensor?) throws -> FailureMaps {
        let config = context.config.shap
        let evaluation = try context.upstream("\(kind.id)-train").read(NetworkEvaluation.self, "evaluation")
        let limit = usesDeepExplainer ? FailureGallery.size : min(FailureGallery.size, max(1, requested(config)))
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
