import Foundation
import Learn
import Plot
import Report
import Tensor

/// Explained variance of the scaled deep features (In [183]): `StandardScaler`, PCA over the
/// whole spectrum, the figure with the 95% and 99% lines and the component counts, beside the
/// study's ViT counts (`pca.vit.n95`, `pca.vit.n99`). The same computation as the HOG features'
/// `pca-hog` step.
///
/// Artifacts: `projections` (Float32 `(n, k)`, scores on the components that keep
/// `pca.reduction_threshold` of the variance, rows as the deep-features index) and `summary`.
public struct PCADeepSection: ComputedSection {
    public let id = "pca-deep"
    public let title = "PCA of deep features"
    public let dependencies = ["deep-features"]
    public let version = 2
    public let configKeys = ["pca"]

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("pca", config.pca)
    }

    /// What the PCA found (headlines `pca.vit.n95`, `pca.vit.n99`); `features` nil when no deep
    /// features were extracted, and then nothing else is meaningful.
    public struct Result: Codable, Sendable, Equatable {
        public var features: DeepFeaturesDescription?
        /// Images the PCA was fitted on.
        public var images: Int
        /// The variance shares asked for (`pca.variance_thresholds`), and the components each needs (in `summary.counts`).
        public var thresholds: [Double]
        public var reductionThreshold: Double
        public var summary: PCAHOGSection.Summary
        /// Explained-variance ratio of every component.
        public var ratios: [Double]
        public var seconds: Double

        public init(features: DeepFeaturesDescription?, images: Int, thresholds: [Double], reductionThreshold: Double,
                    summary: PCAHOGSection.Summary, ratios: [Double], seconds: Double) {
            self.features = features; self.images = images; self.thresholds = thresholds; self.reductionThreshold = reductionThreshold
            self.summary = summary; self.ratios = ratios; self.seconds = seconds
        }

        /// Components needed for `share` of the variance, when it was one of the thresholds.
        public func components(for share: Double) -> Int? {
            zip(thresholds, summary.counts).first { abs($0.0 - share) < 1e-9 }?.1
        }
    }

    /// The study's sentence after In [183], with its counts from the documented table.
    static var reference: Cell {
        let counts = DocumentedResults.pcaViTComponents
        let n95 = counts[0.95].map(String.init) ?? "—", n99 = counts[0.99].map(String.init) ?? "—"
        return .reference(
            text: "To preserve 95% of the original variance in the data, it is sufficient to use the \(n95) first principal components. To preserve 99% of the original variance in the data, \(n99) principal components are needed.",
            source: "documented study, after In [183] (ViT-B/16 features)")
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let config = context.config.pca
        guard let input = try DeepEDAInput.read(context) else {
            context.progress(1, 1)
            return Result(features: nil, images: 0, thresholds: config.varianceThresholds, reductionThreshold: config.reductionThreshold,
                          summary: .init(counts: [], kept: 0, scores: 0, features: 0, firstTwo: 0), ratios: [], seconds: 0)
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
        let summary = PCAHOGSection.Summary(counts: counts, kept: kept, scores: kept, features: d, firstTwo: ratios.prefix(2).reduce(0, +))
        try context.artifacts.write(summary, as: "summary")
        context.progress(3, 3)
        return Result(features: DeepFeaturesDescription(input), images: n, thresholds: config.varianceThresholds,
                      reductionThreshold: config.reductionThreshold, summary: summary, ratios: ratios, seconds: seconds)
    }

    public func page(_ result: Result) -> SectionResult {
        guard let features = result.features else {
            return DeepEDAInput.skipped("Explained variance of deep features", headlines: ["pca.vit.n95", "pca.vit.n99"], reference: Self.reference)
        }
        let (n, d, kept, counts, ratios) = (result.images, result.summary.features, result.summary.kept, result.summary.counts, result.ratios)
        let thresholds = result.thresholds
        let figure = Charts.explainedVariance(ratios, thresholds: thresholds, featureName: features.featureName).0.render()
        func pct(_ t: Double) -> String { String(format: "%.0f%%", t * 100) }
        let documented = DocumentedResults.pcaViTComponents
        let documentedWidth = DocumentedResults.vitFeatureLength
        let rows = zip(thresholds, counts).map { t, c in
            [pct(t), Fmt.int(c), String(format: "%.1f%%", 100 * Double(c) / Double(ratios.count)),
             documented[t].map(Fmt.int) ?? "—", documented[t].map { String(format: "%.1f%%", 100 * Double($0) / Double(documentedWidth)) } ?? "—"]
        }
        let table = Table(caption: "Components needed per share of variance: this run's \(features.backboneName) features beside the study's ViT-B/16 features",
                          columns: ["Variance", "Components (this run)", "Share of the \(Fmt.int(ratios.count)) components",
                                    "Documented (ViT-B/16)", "Share of \(Fmt.int(documentedWidth)) (ViT-B/16)"],
                          rows: rows)
        // At most min(n, d) components exist: counts from a sample are bounded by n.
        let studyImages = DocumentedResults.studyImages
        let scope = n == studyImages ? "These counts are from all \(Fmt.int(studyImages)) images, as the study's."
            : "At most min(n, d) = \(Fmt.int(ratios.count)) components exist here, so the counts are comparable with the study's only on the full dataset (`--profile cpu` or `paper`)."
        let narrative = """
            ## Explained variance of deep features

            \(features.backboneSentence) The features are standardised and decomposed with PCA over the whole spectrum \
            (\(Fmt.seconds(result.seconds))). The first two components hold \(String(format: "%.1f%%", 100 * result.summary.firstTwo)) of the \
            variance; \(zip(thresholds, counts).map { "\(Fmt.int($1)) components keep \(pct($0))" }.joined(separator: " and ")). \
            \(scope)
            """
        let printed = ["Features scaled. Shape: (\(n), \(d))"]
            + zip(thresholds, counts).map { "Number of components to explain \(Int(($0 * 100).rounded()))% variance: \($1)" }
            + ["PCA completed. Original dims: \(d), Reduced dims: \(kept)"]
        let source = """
            scaled = StandardScaler().fit(features).transform(features)
            pca = PCA(nComponents: .varianceFraction(\(result.reductionThreshold))).fitTransform(scaled)
            let counts = \(thresholds).map { pca.model.componentsFor(varianceFraction: $0) }
            """
        let caption = "Explained variance of this run's scaled \(features.featureName) (\(Fmt.int(n)) images): bars per component, the cumulative share as a line; "
            + zip(thresholds, counts).map { "\(Fmt.int($1)) components reach \(pct($0))" }.joined(separator: ", ") + "."
        let alt = "Bar and line chart of explained variance against the number of principal components (1 to \(Fmt.int(ratios.count))); "
            + "the cumulative curve crosses the threshold lines at " + counts.map(Fmt.int).joined(separator: " and ") + " components."
        // One literal key per headline, so that a key of results.json leads here.
        var headlines: [Headline] = []
        if let c = result.components(for: 0.95) { headlines.append(Headline("pca.vit.n95", .int(c))) }
        if let c = result.components(for: 0.99) { headlines.append(Headline("pca.vit.n99", .int(c))) }
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
