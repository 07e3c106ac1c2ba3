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
    public let version = 1
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
        let cells = ShapCells.cells(kind: kind, explanation: explanation, shown: shown, classes: split.classes,
                                    deep: usesDeepExplainer, config: config, seconds: seconds,
                                    substitute: info.substitute)
        try context.artifacts.write(notes + cells, as: "cells")
        let shares = explanation.nucleusShares.compactMap(\.inside)
        var headlines = [Headline("shap.\(kind.resultsKey).images", .int(explanation.images.count),
                                  label: "\(kind.displayName): images explained with SHAP")]
        if !shares.isEmpty {
            headlines.append(Headline("shap.\(kind.resultsKey).positive_share_in_nucleus",
                                      .double(shares.reduce(0, +) / Double(shares.count)),
                                      label: "\(kind.displayName): share of positive SHAP attribution inside the nucleus"))
        }
        // The cells go on the network's page (artifact `cells`); this step has no page of its own.
        return SectionResult(cells: [], headlines: headlines)
    }

    /// When nothing can be explained: the network's page says why, and no headline is claimed.
    static func unexplained(_ context: StudyContext, _ why: String) throws -> SectionResult {
        context.warn(why)
        try context.artifacts.write([Cell.markdown("## SHAP explanations\n\n*Not computed: \(why)*")], as: "cells")
        return SectionResult(cells: [])
    }
}
