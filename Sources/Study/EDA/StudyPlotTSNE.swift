import Foundation

/// How pages name the t-SNE of the test features: the study defines `plot_tsne` (In [203], and
/// lists it among its helpers) but never calls it, so no figure of the study stands behind it.
/// This run draws it with the function's settings, and says so.
enum StudyPlotTSNE {
    /// The narrative cell before the figure: `images` test images, drawn in `seconds`.
    static func narrative(images: Int, seconds: Double) -> String {
        "## The test features in two dimensions\n\nt-SNE of the \(Fmt.int(images)) test images' features (PCA start, perplexity 30, "
            + "automatic learning rate), one colour per class, with the settings of the study's `plot_tsne`; it took \(Fmt.seconds(seconds)). "
            + "The study defines `plot_tsne` (In [203]) but never calls it, so it shows no such figure to compare with: this one is this run's alone. "
            + "Classes the logistic regression confuses most are the ones whose clouds touch."
    }

    /// The code cell's source.
    static let source = "plot_tsne(X_test_np, y_test_np, num_classes)  # defined by the study (In [203]), never called there; "
        + "TSNE(n_components=2, perplexity=30, learning_rate='auto', init='pca')"
}
