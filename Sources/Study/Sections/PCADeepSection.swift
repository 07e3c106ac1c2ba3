import Foundation
import Learn
import Plot
import Report
import Tensor

/// Explained variance of the scaled deep features (In [183]): `StandardScaler`, PCA over the
/// whole spectrum, the figure with the 95% and 99% lines and the component counts, beside the
/// study's ViT counts (117 and 343). The same computation as the HOG features' `pca-hog` step.
///
/// Artifacts: `projections` (Float32 `(n, k)`, scores on the components that keep
/// `pca.reduction_threshold` of the variance, rows as the deep-features index) and `summary`.
public struct PCADeepSection: StudySection {
    public let id = "pca-deep"
    public let title = "PCA of deep features"
    public let dependencies = ["deep-features"]
    public let version = 1
    public let configKeys = ["pca"]

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("pca", config.pca)
    }

    static let reference = Cell.reference(
        text: "To preserve 95% of the original variance in the data, it is sufficient to use the 117 first principal components. To preserve 99% of the original variance in the data, 343 principal components are needed.",
        source: "documented study, after In [183] (ViT-B/16 features)")

    public func run(_ context: StudyContext) throws -> SectionResult {
        let config = context.config.pca
        guard let input = try DeepEDAInput.read(context) else {
            context.progress(1, 1)
            return DeepEDAInput.skipped("Explained variance of deep features", headlines: ["pca.vit.n95", "pca.vit.n99"], reference: Self.reference)
        }
        var x = input.features
        let (n, d) = (x.rows, x.columns)
        context.progress(0, 3)
        StandardScaler().fit(x).transform(inPlace: &x)
        context.progress(1, 3)
        let started = Date()
        let (model, scores) = try PCA(nComponents: .varianceFraction(config.reductionThreshold)).fitTransform(x)
        let seconds = Date().timeIntervalSince(started)
        context.progress(2, 3)
        let ratios = model.explainedVarianceRatio
        let counts = config.varianceThresholds.map { model.componentsFor(varianceFraction: $0) }
        let kept = min(model.componentsFor(varianceFraction: config.reductionThreshold), scores.columns)
        var projections = Matrix<Float>(rows: n, columns: kept)
        for i in 0..<n { for j in 0..<kept { projections.storage[i * kept + j] = Float(scores.storage[i * scores.columns + j]) } }
        try context.artifacts.write(matrix: projections, as: "projections")
        let firstTwo = ratios.prefix(2).reduce(0, +)
        try context.artifacts.write(PCAHOGSection.Summary(counts: counts, kept: kept, scores: kept, features: d, firstTwo: firstTwo), as: "summary")
        context.progress(3, 3)

        let figure = Charts.explainedVariance(ratios, thresholds: config.varianceThresholds, featureName: input.featureName).0.render()
        func pct(_ t: Double) -> String { String(format: "%.0f%%", t * 100) }
        let documented = DocumentedResults.pcaViTComponents
        let documentedWidth = Double(DocumentedResults.int("vit.feature_length") ?? 768)
        let rows = zip(config.varianceThresholds, counts).map { t, c in
            [pct(t), Fmt.int(c), String(format: "%.1f%%", 100 * Double(c) / Double(ratios.count)),
             documented[t].map(Fmt.int) ?? "—", documented[t].map { String(format: "%.1f%%", 100 * Double($0) / documentedWidth) } ?? "—"]
        }
        let table = Table(caption: "Components needed per share of variance: this run's \(input.index.backboneName) features beside the study's ViT-B/16 features",
                          columns: ["Variance", "Components (this run)", "Share of the \(Fmt.int(ratios.count)) components",
                                    "Documented (ViT-B/16)", "Share of 768 (ViT-B/16)"],
                          rows: rows)
        // At most min(n, d) components exist: counts from a sample are bounded by n.
        let scope = n == 17092 ? "These counts are from all 17,092 images, as the study's."
            : "At most min(n, d) = \(Fmt.int(ratios.count)) components exist here, so the counts are comparable with the study's only on the full dataset (`--profile cpu` or `paper`)."
        let narrative = """
            ## Explained variance of deep features

            \(input.backboneSentence) The features are standardised and decomposed with PCA over the whole spectrum \
            (\(Fmt.seconds(seconds))). The first two components hold \(String(format: "%.1f%%", 100 * firstTwo)) of the \
            variance; \(zip(config.varianceThresholds, counts).map { "\(Fmt.int($1)) components keep \(pct($0))" }.joined(separator: " and ")). \
            \(scope)
            """
        let printed = ["Features scaled. Shape: (\(n), \(d))"]
            + zip(config.varianceThresholds, counts).map { "Number of components to explain \(Int(($0 * 100).rounded()))% variance: \($1)" }
            + ["PCA completed. Original dims: \(d), Reduced dims: \(kept)"]
        let source = """
            scaled = StandardScaler().fit(features).transform(features)
            pca = PCA(nComponents: .varianceFraction(\(config.reductionThreshold))).fitTransform(scaled)
            let counts = \(config.varianceThresholds).map { pca.model.componentsFor(varianceFraction: $0) }
            """
        let caption = "Explained variance of this run's scaled \(input.featureName) (\(Fmt.int(n)) images): bars per component, the cumulative share as a line; "
            + zip(config.varianceThresholds, counts).map { "\(Fmt.int($1)) components reach \(pct($0))" }.joined(separator: ", ") + "."
        let alt = "Bar and line chart of explained variance against the number of principal components (1 to \(Fmt.int(ratios.count))); "
            + "the cumulative curve crosses the threshold lines at " + counts.map(Fmt.int).joined(separator: " and ") + " components."
        var headlines: [Headline] = []
        for (t, c) in zip(config.varianceThresholds, counts) { headlines.append(Headline("pca.vit.n\(Int((t * 100).rounded()))", .int(c))) }
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: source, outputs: [.text(printed.joined(separator: "\n")),
                                                .figure(FigureOutput(rendered: figure, caption: caption, alt: alt)), .table(table)]),
                Self.reference,
            ],
            headlines: headlines)
    }
}
