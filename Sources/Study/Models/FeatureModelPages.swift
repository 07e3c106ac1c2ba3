import Foundation
import Learn
import Plot
import Report
import Tensor

/// Pieces shared by the pages of the classifiers on deep features (logistic regression, tree).
enum FeatureModelPages {
    /// The page of a classifier that could not run because the deep-features step has no features:
    /// the reason, the documented numbers for reference, and every `models.<key>.*` key null.
    static func skipped(key: String, title: String, index: DeepFeaturesIndex, reference: Cell) -> SectionResult {
        let documented = DocumentedResults.entry("models.\(key).test_accuracy")?.value.description ?? "—"
        return SectionResult(
            cells: [
                .markdown("## Not run: no deep features\n\n\(index.missingFeaturesReason) The documented study's \(title.lowercased()) reached a test accuracy of \(documented)."),
                .code(source: "// needs the deep-features step's `features` artifact", outputs: [.warning(index.missingFeaturesReason)]),
                reference,
            ],
            headlines: ["test_accuracy", "macro_f1", "weighted_f1", "micro_auc", "train_seconds", "pretrained"].map {
                Headline("models.\(key).\($0)", .null)
            },
            deviations: [Deviation(what: "\(title) (deep features)", documented: "trained on pretrained ViT-B/16 features",
                                   thisRun: "not run", why: "no pretrained backbone weights were available to the deep-features step")])
    }

    /// t-SNE (PCA start, perplexity 30, automatic learning rate) of the test part's features, one
    /// colour per class, with the settings of the study's `plot_tsne`, which the study never calls
    /// (see ``StudyPlotTSNE``).
    static func testTSNE(_ parts: DeepFeatureParts, featureName: String, using generator: inout some RandomNumberGenerator,
                         progress: ((Int, Int) -> Void)? = nil) -> (output: CellOutput, seconds: Double, kl: Double) {
        let x = parts.test
        let input = Matrix<Double>(rows: x.rows, columns: x.columns, storage: x.storage.map(Double.init))
        let started = Date()
        // scikit-learn needs perplexity < n_samples; only a tiny test part (smoke profile) lowers it.
        let perplexity = min(30.0, Double(x.rows - 1))
        let result = TSNE(perplexity: perplexity, learningRate: .auto, maxIterations: 1000, initialization: .pca)
            .fit(input, using: &generator, progress: progress)
        let seconds = Date().timeIntervalSince(started)
        let names = parts.testLabels.map { parts.index.classes[$0] }
        let figure = Figure(width: 760, height: 620, title: "t-SNE Visualization of \(featureName) (\(Fmt.int(x.rows)) Test Samples)")
        let axes = figure.addAxes()
        axes.scatter((0..<x.rows).map { result.embedding[$0, 0] }, (0..<x.rows).map { result.embedding[$0, 1] },
                     labels: names, classes: parts.index.classes, size: x.rows > 1500 ? 4 : 6)
        axes.xLabel = "t-SNE Dimension 1"; axes.yLabel = "t-SNE Dimension 2"
        axes.legend = .best; axes.legendTitle = "Blood Cell Type"
        let kl = result.klDivergence < Double.greatestFiniteMagnitude ? result.klDivergence : .nan
        let caption = "t-SNE of this run's \(Fmt.int(x.rows)) test-part feature vectors (\(parts.featureWidth) numbers each), coloured by true class"
            + (kl.isFinite ? "; final KL divergence \(Fmt.fixed(kl, 3))." : ".")
            + (parts.substituteNote.map { " " + $0 } ?? "")
        let output = CellOutput.figure(FigureOutput(rendered: figure.render(), caption: caption,
                                                    alt: "Scatter plot of \(x.rows) points in two t-SNE dimensions, one colour per blood-cell class; click a class in the legend to hide it."))
        return (output, seconds, kl)
    }
}
