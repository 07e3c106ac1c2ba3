import Foundation
import Learn
import Plot
import Report
import Tensor

/// "Dimensionality Reduction Comparison (HOG Features)" (In [179], [181]): the first two PCA
/// components beside t-SNE (`sklearn.manifold.TSNE`, PCA initialisation, Barnes-Hut) run on the
/// first `tsne.input_dims` PCA components, both coloured by class, one toggleable layer per class.
public struct EmbeddingHOGSection: StudySection {
    public let id = "embedding-hog"
    public let title = "PCA and t-SNE of HOG features"
    public let dependencies = ["hog", "pca-hog"]
    public let version = 2

    public init() {}

    public var configKeys: [String] { ["tsne"] }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("tsne", config.tsne)
    }

    public func run(_ context: StudyContext) throws -> SectionResult {
        let config = context.config.tsne
        let sample = try context.upstream("hog").read(EDASample.self, "sample")
        let pcaStep = try context.upstream("pca-hog")
        let summary = try pcaStep.read(PCAHOGSection.Summary.self, "summary")
        let projections = try pcaStep.readMatrix("projections")
        let n = projections.rows, kept = projections.columns
        let dims = min(config.inputDims, kept)
        guard dims >= 2, n > 1 else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)",
                                       detail: "t-SNE needs at least 2 PCA components and 2 images, got \(dims) and \(n)")
        }
        let input = projections.leadingColumnsAsDouble(dims)
        let pca2 = projections.leadingColumnsAsDouble(2)
        var generator = context.generator(stream: 1)
        let tsne = TSNE(perplexity: config.perplexity, learningRate: .value(config.learningRate), maxIterations: config.maxIter)
        let started = Date()
        let result = tsne.fit(input, using: &generator, progress: { context.progress($0, $1) })
        let seconds = Date().timeIntervalSince(started)
        try context.artifacts.write(array: result.embedding.storage, shape: [n, 2], as: "tsne")

        func column(_ m: Matrix<Double>, _ j: Int) -> [Double] { (0..<m.rows).map { m.storage[$0 * m.columns + j] } }
        let figure = Charts.embedding(pca: (column(pca2, 0), column(pca2, 1)), tsne: (column(result.embedding, 0), column(result.embedding, 1)),
                                      labels: sample.labelNames, classes: sample.classes, featureName: "HOG Features",
                                      markerSize: n > 5000 ? 3.5 : 5).render()
        // The exact KL of the final embedding is what the page reports; scikit-learn's number is the
        // Barnes-Hut estimate, shown beside it. With max_iter equal to the 250 exploration iterations
        // the second stage never runs and no estimate exists (TSNE returns the float maximum).
        let kl = result.klDivergence
        let estimate = result.barnesHutKLDivergence < Double.greatestFiniteMagnitude ? result.barnesHutKLDivergence : Double.nan
        let estimateText = estimate.isFinite ? String(format: "%.6f", estimate) : "not evaluated (only the exaggerated stage ran)"
        let klText = String(format: "%.6f", kl) + " (exact); Barnes-Hut estimate, as scikit-learn's kl_divergence_: " + estimateText
        let printed = """
            Performing EDA on HOG Features...
            Features scaled. Shape: (\(n), \(summary.features))
            PCA completed. Original dims: \(summary.features), Reduced dims: \(summary.kept). Scores kept for viz: (\(n), \(kept))

            Performing t-SNE on the first \(dims) PCA components of HOG Features...
            KL divergence after \(result.iterations) iterations: \(klText)
            t-SNE completed.
            PCA scores shape: (\(n), \(kept))
            t-SNE result shape: (\(n), 2)
            """
        let source = """
            let input = projections.leadingColumns(\(dims))          // the first \(dims) PCA components (max_tsne_dims=\(config.inputDims))
            let tsne = TSNE(perplexity: \(config.perplexity), learningRate: \(config.learningRate), maxIterations: \(config.maxIter))  // init: PCA
            let embedding = tsne.fit(input, using: &generator)
            Charts.embedding(pca: projections[:, 0..<2], tsne: embedding, labels: labels, featureName: "HOG Features")
            """
        let narrative = """
            ## Two-dimensional views

            The left panel places each of the \(Fmt.int(n)) images at its first two principal components \
            (together \(String(format: "%.1f%%", 100 * summary.firstTwo)) of the variance); the right panel is \
            t-SNE of the first \(dims) components (perplexity \(config.perplexity.formatted()), learning rate \
            \(config.learningRate.formatted()), \(result.iterations) iterations, final KL divergence \
            \(String(format: "%.3f", kl)), \(Fmt.seconds(seconds))). Click a class in the legend to hide it.

            The KL divergence given here is exact: summed over every pair of the final embedding. \
            scikit-learn's `kl_divergence_` is the Barnes-Hut estimate, printed above beside it; its quadtree \
            leaves out points that coincide, so images whose features are identical (duplicates) make it too \
            small, even negative, which a KL divergence never is. \(estimate < 0 ? "That is what happened in this run; scikit-learn prints a negative value on such inputs too (shown on a committed fixture with every row twice: -0.10 where the exact value is 0.55)." : "")
            """
        let caption = "PCA (left) and t-SNE (right) of this run's scaled HOG features, \(Fmt.int(n)) images coloured by class; "
            + "t-SNE final KL divergence \(String(format: "%.3f", kl)) (exact)."
        let alt = "Two scatter plots side by side of \(Fmt.int(n)) points in eight colours, one per blood-cell class: "
            + "the first two principal components on the left, the t-SNE embedding on the right."
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: source, outputs: [.text(printed), .figure(FigureOutput(rendered: figure, caption: caption, alt: alt))]),
                .reference(text: "PCA completed. Original dims: 44100, Reduced dims: 7095. Output shape for viz: (17092, 7095). Performing t-SNE on the first 50 PCA components of HOG Features... t-SNE completed.",
                           source: "documented study, In [181]"),
                .reference(text: "PCA of HOG features: the graph shows almost complete mixing between all 8 blood cell types (colors). … t-SNE of HOG features: the t-SNE graph also shows a very high level of mixing between the different groups. In contrast to the ViT results, here no clear and separate clusters are formed for each color.",
                           source: "documented study, after In [181] (the study did not print its KL divergence)"),
            ],
            headlines: [Headline("tsne.hog.kl", .double(kl)),
                        Headline("tsne.hog.kl_barnes_hut", estimate.isFinite ? .double(estimate) : .null)])
    }
}
