import Foundation
import Learn
import Plot
import Report
import Tensor

/// "Dimensionality Reduction Comparison" (In [179]–[181]): each image at its first two PCA scores
/// beside t-SNE (`sklearn.manifold.TSNE`, PCA initialisation, Barnes-Hut) of its first
/// `tsne.input_dims` scores, coloured by class. The HOG and the deep-feature pages are both this
/// one computation and one page shape; only the features' names and the words before differ.
///
/// Two KL divergences: `kl`, exact, summed over every pair of the final embedding (never negative),
/// and `barnesHutKL`, scikit-learn's `kl_divergence_`, the Barnes-Hut estimate of the last
/// optimisation stage; nil when that stage never ran (`max_iter` equal to the 250 exploration
/// iterations, where `TSNE` returns the float maximum as a sentinel).
public struct TwoDimensionalViews: Codable, Sendable, Equatable {
    /// Shape of the scaled features, and the PCA components that keep the reduction threshold.
    public var images: Int
    public var features: Int
    public var kept: Int
    /// Columns of the stored PCA scores, and how many of them t-SNE read.
    public var scores: Int
    public var inputDims: Int
    /// `tsne.input_dims` as the profile set it (t-SNE read `inputDims` of them, at most the stored scores).
    public var inputDimsAsked: Int
    /// Share of the variance on the first two components.
    public var firstTwo: Double
    public var perplexity: Double
    public var learningRate: Double
    public var maxIter: Int
    public var iterations: Int
    public var kl: Double
    public var barnesHutKL: Double?
    public var seconds: Double
    /// The two panels: PCA's first two scores and the t-SNE embedding, one point per image.
    public var pcaX: [Double]
    public var pcaY: [Double]
    public var tsneX: [Double]
    public var tsneY: [Double]
    /// Class name per image, and the class names in legend order.
    public var labels: [String]
    public var classes: [String]

    /// t-SNE of the stored PCA scores; writes the embedding as the `tsne` artifact `(n, 2)`.
    static func compute(_ projections: Matrix<Float>, summary: PCAHOGSection.Summary, labels: [String], classes: [String],
                        config: TSNEConfig, context: StudyContext) throws -> TwoDimensionalViews {
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
        let estimate = result.barnesHutKLDivergence
        return TwoDimensionalViews(
            images: n, features: summary.features, kept: summary.kept, scores: kept, inputDims: dims, inputDimsAsked: config.inputDims, firstTwo: summary.firstTwo,
            perplexity: config.perplexity, learningRate: config.learningRate, maxIter: config.maxIter,
            iterations: result.iterations, kl: result.klDivergence,
            barnesHutKL: estimate < Double.greatestFiniteMagnitude ? estimate : nil, seconds: seconds,
            pcaX: column(pca2, 0), pcaY: column(pca2, 1), tsneX: column(result.embedding, 0), tsneY: column(result.embedding, 1),
            labels: labels, classes: classes)
    }

    /// The page's text and figure. `figureName` titles the figure and the printed lines
    /// ("HOG Features"); `scaledName` ends "this run's scaled …" in the caption ("HOG features").
    struct Names {
        var heading: String
        /// Words before the description of the panels (the deep features' backbone sentence), or "".
        var lead: String
        var figureName: String
        var scaledName: String
        /// The alt text's description of the two panels.
        var panels: String
    }

    var estimateText: String {
        barnesHutKL.map { String(format: "%.6f", $0) } ?? "not evaluated (only the exaggerated stage ran)"
    }

    func narrative(_ names: Names) -> String {
        let lead = names.lead.isEmpty ? "The left panel places each of the \(Fmt.int(images)) images" : "\(names.lead) The left panel places each of the \(Fmt.int(images)) images"
        let negative = (barnesHutKL ?? 0) < 0
        return """
            \(names.heading)

            \(lead) at its first two principal components \
            (together \(String(format: "%.1f%%", 100 * firstTwo)) of the variance); the right panel is \
            t-SNE of the first \(inputDims) components (perplexity \(perplexity.formatted()), learning rate \
            \(learningRate.formatted()), \(iterations) iterations, final KL divergence \
            \(String(format: "%.3f", kl)), \(Fmt.seconds(seconds))). Click a class in the legend to hide it.

            The KL divergence given here is exact: summed over every pair of the final embedding. \
            scikit-learn's `kl_divergence_` is the Barnes-Hut estimate, printed above beside it; its quadtree \
            leaves out points that coincide, so images whose features are identical (duplicates) make it too \
            small, even negative, which a KL divergence never is. \(negative ? "That is what happened in this run; scikit-learn prints a negative value on such inputs too (shown on a committed fixture with every row twice: -0.10 where the exact value is 0.55)." : "")
            """
    }

    /// The code cell: the source, the printed lines and the two-panel figure.
    func cell(_ names: Names) -> Cell {
        let figure = Charts.embedding(pca: (pcaX, pcaY), tsne: (tsneX, tsneY), labels: labels, classes: classes,
                                      featureName: names.figureName, markerSize: images > 5000 ? 3.5 : 5).render()
        let klText = String(format: "%.6f", kl) + " (exact); Barnes-Hut estimate, as scikit-learn's kl_divergence_: " + estimateText
        let printed = """
            Performing EDA on \(names.figureName)...
            Features scaled. Shape: (\(images), \(features))
            PCA completed. Original dims: \(features), Reduced dims: \(kept). Scores kept for viz: (\(images), \(scores))

            Performing t-SNE on the first \(inputDims) PCA components of \(names.figureName)...
            KL divergence after \(iterations) iterations: \(klText)
            t-SNE completed.
            PCA scores shape: (\(images), \(scores))
            t-SNE result shape: (\(images), 2)
            """
        let source = """
            let input = projections.leadingColumns(\(inputDims))          // the first \(inputDims) PCA components (max_tsne_dims=\(inputDimsAsked))
            let tsne = TSNE(perplexity: \(perplexity), learningRate: \(learningRate), maxIterations: \(maxIter))  // init: PCA
            let embedding = tsne.fit(input, using: &generator)
            Charts.embedding(pca: projections[:, 0..<2], tsne: embedding, labels: labels, featureName: "\(names.figureName)")
            """
        let caption = "PCA (left) and t-SNE (right) of this run's scaled \(names.scaledName), \(Fmt.int(images)) images coloured by class; "
            + "t-SNE final KL divergence \(String(format: "%.3f", kl)) (exact)."
        let alt = "Two scatter plots side by side of \(Fmt.int(images)) points in eight colours, one per blood-cell class: " + names.panels
        return .code(source: source, outputs: [.text(printed), .figure(FigureOutput(rendered: figure, caption: caption, alt: alt))])
    }
}
