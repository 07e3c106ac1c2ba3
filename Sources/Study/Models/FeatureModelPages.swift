import Foundation
import Learn
import Plot
import Report
import Tensor

/// Pieces shared by the pages of the classifiers on deep features (logistic regression, tree).
enum FeatureModelPages {
    /// The page of a classifier that could not run because the deep-features step has no features:
    /// the reason, the documented numbers for reference, and every `models.<key>.*` key null.
    static func skipped(keys: FeatureModelKeys, title: String, reason: String, reference: Cell) -> SectionResult {
        let documented = DocumentedResults.entry(keys.testAccuracy)?.value.description ?? "—"
        return SectionResult(
            cells: [
                .markdown("## Not run: no deep features\n\n\(reason) The documented study's \(title.lowercased()) reached a test accuracy of \(documented)."),
                .code(source: "// needs the deep-features step's `features` artifact", outputs: [.warning(reason)]),
                reference,
            ],
            headlines: keys.evaluationKeys.map { Headline($0, .null) },
            deviations: [Deviation(what: "\(title) (deep features)", documented: "trained on pretrained ViT-B/16 features",
                                   thisRun: "not run", why: "no pretrained backbone weights were available to the deep-features step")])
    }

    /// t-SNE (PCA start, perplexity 30, automatic learning rate) of the test part's features, with
    /// the settings of the study's `plot_tsne`, which the study never calls (see ``StudyPlotTSNE``).
    static func testTSNE(_ parts: DeepFeatureParts, using generator: inout some RandomNumberGenerator,
                         progress: ((Int, Int) -> Void)? = nil) -> TestEmbedding {
        let x = parts.test
        let input = Matrix<Double>(rows: x.rows, columns: x.columns, storage: x.storage.map(Double.init))
        let started = Date()
        // scikit-learn needs perplexity < n_samples; only a tiny test part (smoke profile) lowers it.
        let perplexity = min(30.0, Double(x.rows - 1))
        let result = TSNE(perplexity: perplexity, learningRate: .auto, maxIterations: 1000, initialization: .pca)
            .fit(input, using: &generator, progress: progress)
        let seconds = Date().timeIntervalSince(started)
        let kl = result.klDivergence < Double.greatestFiniteMagnitude && result.klDivergence.isFinite ? result.klDivergence : nil
        return TestEmbedding(x: (0..<x.rows).map { result.embedding[$0, 0] }, y: (0..<x.rows).map { result.embedding[$0, 1] },
                             labels: parts.testLabels, seconds: seconds, kl: kl)
    }

    /// The figure of `embedding`, one colour per class.
    static func testTSNEOutput(_ embedding: TestEmbedding, classes: [String], featureName: String, featureWidth: Int,
                               substituteNote: String?) -> CellOutput {
        let n = embedding.labels.count
        let names = embedding.labels.map { classes[$0] }
        let figure = Figure(width: 760, height: 620, title: "t-SNE Visualization of \(featureName) (\(Fmt.int(n)) Test Samples)")
        let axes = figure.addAxes()
        axes.scatter(embedding.x, embedding.y, labels: names, classes: classes, size: n > 1500 ? 4 : 6)
        axes.xLabel = "t-SNE Dimension 1"; axes.yLabel = "t-SNE Dimension 2"
        axes.legend = .best; axes.legendTitle = "Blood Cell Type"
        let caption = "t-SNE of this run's \(Fmt.int(n)) test-part feature vectors (\(featureWidth) numbers each), coloured by true class"
            + (embedding.kl.map { "; final KL divergence \(Fmt.fixed($0, 3))." } ?? ".")
            + (substituteNote.map { " " + $0 } ?? "")
        return CellOutput.figure(FigureOutput(rendered: figure.render(), caption: caption,
                                              alt: "Scatter plot of \(n) points in two t-SNE dimensions, one colour per blood-cell class; click a class in the legend to hide it."))
    }
}

/// The test features' t-SNE embedding (two coordinates per test image, in test order).
struct TestEmbedding: Codable, Sendable, Equatable {
    var x: [Double]
    var y: [Double]
    var labels: [Int]
    var seconds: Double
    /// Final KL divergence; nil when the optimiser did not report one.
    var kl: Double?
}
