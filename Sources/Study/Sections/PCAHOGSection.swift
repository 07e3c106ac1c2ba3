import Foundation
import Learn
import Plot
import Report
import Tensor

/// Explained variance of the scaled HOG features (In [182], [184]): `StandardScaler`, then PCA with
/// the whole spectrum (`PCA()`), the explained-variance figure with the 95% and 99% lines, the
/// number of components for each threshold, and the reduction to `pca.reduction_threshold` of the
/// variance (`PCA(n_components=0.95)`, In [179]) that t-SNE and k-means use.
///
/// The spectrum comes from ``PCA/spectrum(of:leading:blockSize:progress:)`` (float32 Gram matrix,
/// every eigenvalue in float32, leading scores by subspace iteration): the later steps read only
/// the leading scores, so the `(k, 44,100)` components matrix is never formed.
///
/// Artifacts: `projections` (Float32 `(n, min(k, tsne.input_dims))`, the first scores of the k
/// components that keep the reduction threshold: t-SNE and k-means read them), `spectrum` (the
/// explained-variance ratios, `(min(n, d),)`) and `summary`.
public struct PCAHOGSection: ComputedSection {
    public let id = "pca-hog"
    public let title = "PCA of HOG features"
    public let dependencies = ["hog"]
    public let version = 3

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        // The number of stored scores follows t-SNE's input size.
        StepInputs().adding("pca", config.pca).adding("tsne.input_dims", config.tsne.inputDims)
    }

    /// What the next steps need to know about the reduction.
    public struct Summary: Codable, Sendable, Equatable {
        /// Components per threshold, in `pca.variance_thresholds` order.
        public var counts: [Int]
        /// Components that keep the reduction threshold (the study's "Reduced dims").
        public var kept: Int
        /// Columns of `projections`: the first `min(kept, tsne.input_dims)` scores.
        public var scores: Int
        public var features: Int
        /// Share of the variance on the first two components.
        public var firstTwo: Double

        public init(counts: [Int], kept: Int, scores: Int, features: Int, firstTwo: Double) {
            self.counts = counts; self.kept = kept; self.scores = scores; self.features = features; self.firstTwo = firstTwo
        }
    }

    /// What the PCA found: everything the page shows.
    public struct Result: Codable, Sendable, Equatable {
        /// Images the PCA was fitted on (headline `pca.hog.samples`).
        public var images: Int
        /// The variance shares asked for (`pca.variance_thresholds`), and the components each needs.
        public var thresholds: [Double]
        public var summary: Summary
        /// Explained-variance ratio of every component.
        public var ratios: [Double]
        /// Components whose scores were computed by subspace iteration, and its iterations.
        public var leading: Int
        public var iterations: Int
        public var seconds: Double

        public init(images: Int, thresholds: [Double], summary: Summary, ratios: [Double], leading: Int, iterations: Int, seconds: Double) {
            self.images = images; self.thresholds = thresholds; self.summary = summary; self.ratios = ratios
            self.leading = leading; self.iterations = iterations; self.seconds = seconds
        }

        /// Components needed for `share` of the variance, when it was one of the thresholds.
        public func components(for share: Double) -> Int? {
            zip(thresholds, summary.counts).first { abs($0.0 - share) < 1e-9 }?.1
        }
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let config = context.config.pca
        let upstream = try context.upstream("hog")
        var x = try upstream.readMatrix("hog")
        let (n, d) = (x.rows, x.columns)
        StandardScaler().fit(x).transform(inPlace: &x)
        let started = Date()
        let leading = min(max(2, context.config.tsne.inputDims), min(n, d))
        let spectrum = try PCA.spectrum(of: x, leading: leading) { context.progress($0, $1) }
        let seconds = Date().timeIntervalSince(started)
        x = Matrix(rows: 0, columns: 0)
        let ratios = spectrum.explainedVarianceRatio
        let counts = config.varianceThresholds.map { spectrum.componentsFor(varianceFraction: $0) }
        let kept = spectrum.componentsFor(varianceFraction: config.reductionThreshold)
        let stored = min(kept, leading)
        let scores = spectrum.scores
        var projections = Matrix<Float>(rows: n, columns: stored)
        for i in 0..<n { for j in 0..<stored { projections.storage[i * stored + j] = Float(scores.storage[i * scores.columns + j]) } }
        try context.artifacts.write(matrix: projections, as: "projections")
        try context.artifacts.write(ratios, as: "spectrum")
        let summary = Summary(counts: counts, kept: kept, scores: stored, features: d, firstTwo: ratios.prefix(2).reduce(0, +))
        try context.artifacts.write(summary, as: "summary")
        return Result(images: n, thresholds: config.varianceThresholds, summary: summary, ratios: ratios,
                      leading: leading, iterations: spectrum.iterations, seconds: seconds)
    }

    public func page(_ result: Result) -> SectionResult {
        let (n, d) = (result.images, result.summary.features)
        let (counts, kept, stored, firstTwo) = (result.summary.counts, result.summary.kept, result.summary.scores, result.summary.firstTwo)
        let ratios = result.ratios
        let (chart, _) = Charts.explainedVariance(ratios, thresholds: result.thresholds, featureName: "HOG Features")
        let figure = chart.render()
        func pct(_ t: Double) -> String { String(format: "%.0f%%", t * 100) }
        let documented = DocumentedResults.pcaHOGComponents
        let documentedImages = DocumentedResults.pcaHOGImages
        var rows: [[String]] = []
        for (t, c) in zip(result.thresholds, counts) {
            let share = String(format: "%.1f%%", 100 * Double(c) / Double(ratios.count))
            var reference = "—", difference = "—"
            if let doc = documented[t] {
                reference = Fmt.int(doc)
                // Counts from fewer images are bounded by n and say nothing about the documented ones.
                difference = n != documentedImages ? "not comparable (n = \(Fmt.int(n)))"
                    : c == doc ? "equal" : String(format: "%+.2f%%", 100 * Double(c - doc) / Double(doc))
            }
            rows.append([pct(t), Fmt.int(c), share, reference, difference])
        }
        let table = Table(caption: "Components needed per share of variance: this run (\(Fmt.int(n)) images) beside the documented study (\(Fmt.int(documentedImages)) images)",
                          columns: ["Variance", "Components (this run)", "Share of the \(Fmt.int(ratios.count)) components",
                                    "Documented (\(Fmt.int(documentedImages)) images)", "Difference"],
                          rows: rows)
        let scope = n == documentedImages
            ? "all \(Fmt.int(documentedImages)) images, as the study"
            : "\(Fmt.int(n)) images. The number of components needed depends on the number of images (at most min(n, d) = \(Fmt.int(ratios.count)) components exist), so it is comparable with the study's counts only on the full dataset (`--profile cpu` or `paper`)"
        let n95 = counts.first.map(Fmt.int) ?? "—"
        let narrative = """
            ## Explained variance

            The HOG vectors are standardised (each of the \(Fmt.int(d)) features to mean 0 and variance 1) \
            and decomposed with PCA over the whole spectrum, here on \(scope). The first two components hold \
            \(String(format: "%.1f%%", 100 * firstTwo)) of the variance; \(n95) components are needed for \
            \(pct(result.thresholds.first ?? 0.95)), so a two-dimensional PCA view of these features keeps \
            only \(String(format: "%.1f%%", 100 * firstTwo)) of the variance. PCA took \
            \(Fmt.seconds(result.seconds)): every eigenvalue of the float32 Gram matrix of the centred data (LAPACK's \
            two-stage `ssyev_2stage`), and the scores on the first \(stored) components by subspace iteration \
            (\(result.iterations) iterations); the later steps use only those, so the \(Fmt.int(kept)) x \(Fmt.int(d)) \
            components matrix is not formed.
            """
        let printed = ["Performing PCA on HOG Features...", "Features scaled. Shape: (\(n), \(d))"]
            + zip(result.thresholds, counts).map { "Number of components to explain \(Int(($0 * 100).rounded()))% variance: \($1)" }
            + ["PCA completed. Original dims: \(d), Reduced dims: \(kept) (scores kept for t-SNE and k-means: the first \(stored))"]
        let source = """
            scaled = StandardScaler().fit(hog).transform(hog)
            let pca = try PCA.spectrum(of: scaled, leading: \(result.leading))   // every eigenvalue; scores on the first \(result.leading) components
            let counts = \(result.thresholds).map { pca.componentsFor(varianceFraction: $0) }  // argmax(cumsum >= t) + 1
            """
        let caption = "Explained variance of the scaled HOG features of this run's \(Fmt.int(n)) images: bars per component, "
            + "the cumulative share as a line; \(zip(result.thresholds, counts).map { "\(Fmt.int($1)) components reach \(pct($0))" }.joined(separator: ", "))."
        let alt = "Bar and line chart of explained variance against the number of principal components (1 to \(Fmt.int(ratios.count))); "
            + "the cumulative curve rises slowly and crosses the threshold lines at " + counts.map(Fmt.int).joined(separator: " and ") + " components."
        // One literal key per headline, so that a key of results.json leads here.
        var headlines: [Headline] = [Headline("pca.hog.samples", .int(n))]
        if let c = result.components(for: 0.95) { headlines.append(Headline("pca.hog.n95", .int(c))) }
        if let c = result.components(for: 0.99) { headlines.append(Headline("pca.hog.n99", .int(c))) }
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: source, outputs: [.text(printed.joined(separator: "\n")), .figure(FigureOutput(rendered: figure, caption: caption, alt: alt)), .table(table)]),
                .reference(text: DocumentedResults.pcaHOGQuote.text, source: DocumentedResults.pcaHOGQuote.source),
                .reference(text: "Unlike ViT features, where the variance was relatively concentrated in the first few components, in HOG features the variance is spread over a very large number of components.",
                           source: "documented study, after In [184]"),
            ],
            headlines: headlines)
    }
}
