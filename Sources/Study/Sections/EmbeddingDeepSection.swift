import Foundation
import Learn
import Plot
import Report
import Tensor

/// "Dimensionality Reduction Comparison" of the deep features (In [180]): the first two PCA
/// components beside t-SNE of the first `tsne.input_dims` components, coloured by class, as the
/// HOG features' `embedding-hog` step does.
public struct EmbeddingDeepSection: StudySection {
    public let id = "embedding-deep"
    public let title = "PCA and t-SNE of deep features"
    public let dependencies = ["deep-features", "pca-deep"]
    public let version = 1
    public let configKeys = ["tsne"]

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("tsne", config.tsne)
    }

    static let reference = Cell.reference(
        text: "The t-SNE results show clear and relatively separate clusters for each of the 8 blood cell types. This indicates that the features that the ViT model learned to extract are informative and allow for good discrimination between the different blood cell types.",
        source: "documented study, In [180] and the text after it (ViT-B/16 features)")

    public func run(_ context: StudyContext) throws -> SectionResult {
        let config = context.config.tsne
        guard let input = try DeepEDAInput.read(context) else {
            context.progress(1, 1)
            return DeepEDAInput.skipped("PCA and t-SNE of deep features", headlines: ["tsne.vit.kl"], reference: Self.reference)
        }
        let pcaStep = try context.upstream("pca-deep")
        let summary = try pcaStep.read(PCAHOGSection.Summary.self, "summary")
        let projections = try pcaStep.readMatrix("projections")
        let n = projections.rows, kept = projections.columns
        let dims = min(config.inputDims, kept)
        guard dims >= 2, n > 1 else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)",
                                       detail: "t-SNE needs at least 2 PCA components and 2 images, got \(dims) and \(n)")
        }
        var generator = context.generator(stream: 1)
        let tsne = TSNE(perplexity: config.perplexity, learningRate: .value(config.learningRate), maxIterations: config.maxIter)
        let started = Date()
        let result = tsne.fit(projections.leadingColumnsAsDouble(dims), using: &generator, progress: { context.progress($0, $1) })
        let seconds = Date().timeIntervalSince(started)
        try context.artifacts.write(array: result.embedding.storage, shape: [n, 2], as: "tsne")

        let pca2 = projections.leadingColumnsAsDouble(2)
        func column(_ m: Matrix<Double>, _ j: Int) -> [Double] { (0..<m.rows).map { m.storage[$0 * m.columns + j] } }
        let figure = Charts.embedding(pca: (column(pca2, 0), column(pca2, 1)), tsne: (column(result.embedding, 0), column(result.embedding, 1)),
                                      labels: input.labelNames, classes: input.index.classes, featureName: input.featureName,
                                      markerSize: n > 5000 ? 3.5 : 5).render()
        let kl = result.klDivergence < Double.greatestFiniteMagnitude ? result.klDivergence : Double.nan
        let klText = kl.isFinite ? String(format: "%.3f", kl) : "not evaluated"
        let printed = """
            PCA completed. Original dims: \(summary.features), Reduced dims: \(kept). Output shape for viz: (\(n), \(kept))
            Performing t-SNE on the first \(dims) PCA components of \(input.featureName)...
            KL divergence after \(result.iterations) iterations: \(klText)
            t-SNE result shape: (\(n), 2)
            """
        let source = """
            let tsne = TSNE(perplexity: \(config.perplexity), learningRate: \(config.learningRate), maxIterations: \(config.maxIter))  // init: PCA
            let embedding = tsne.fit(projections.leadingColumns(\(dims)), using: &generator)
            Charts.embedding(pca: projections[:, 0..<2], tsne: embedding, labels: labels, featureName: "\(input.featureName)")
            """
        let narrative = """
            ## Two-dimensional views of deep features

            \(input.backboneSentence) The left panel places each image at its first two principal components \
            (\(String(format: "%.1f%%", 100 * summary.firstTwo)) of the variance); the right panel is t-SNE of the first \
            \(dims) components (perplexity \(config.perplexity.formatted()), \(result.iterations) iterations, final KL \
            divergence \(klText), \(Fmt.seconds(seconds))). Click a class in the legend to hide it.
            """
        let caption = "PCA (left) and t-SNE (right) of this run's scaled \(input.featureName), \(Fmt.int(n)) images coloured by class; "
            + "t-SNE final KL divergence \(klText)."
        let alt = "Two scatter plots side by side of \(Fmt.int(n)) points in eight colours, one per blood-cell class: "
            + "the first two principal components of the deep features on the left, their t-SNE embedding on the right."
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: source, outputs: [.text(printed), .figure(FigureOutput(rendered: figure, caption: caption, alt: alt))]),
                Self.reference,
            ],
            headlines: [Headline("tsne.vit.kl", kl.isFinite ? .double(kl) : .null)])
    }
}
