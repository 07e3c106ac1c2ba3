extension Charts {
    /// "Dimensionality Reduction Comparison": PCA (left) and t-SNE (right) scatters of the same
    /// points coloured by class, one legend at the right, one transparent layer per class.
    ///
    /// - Parameters:
    ///   - pca, tsne: `(x, y)` coordinates, one per point.
    ///   - labels: class name per point.
    ///   - classes: legend order (default: first appearance).
    ///   - featureName: goes into the titles.
    public static func embedding(pca: (x: [Double], y: [Double]), tsne: (x: [Double], y: [Double]), labels: [String],
                                 classes: [String]? = nil, featureName: String = "Features",
                                 palette: ClassPalette, width: Double = 1000, height: Double = 480,
                                 markerSize: Double = 5) -> Figure {
        let figure = Figure(width: width, height: height, title: "Dimensionality Reduction Comparison (\(featureName))")
        let (left, right) = figure.subplots(rows: 1, columns: 2).pair
        figure.horizontalSpacing = 30
        let edge = Color(hex: "#2F4F4F")!
        left.scatter(pca.x, pca.y, labels: labels, classes: classes, palette: palette, size: markerSize, alpha: 0.7,
                     edgeColor: edge, edgeWidth: 0.35)
        right.scatter(tsne.x, tsne.y, labels: labels, classes: classes, palette: palette, size: markerSize, alpha: 0.7,
                      edgeColor: edge, edgeWidth: 0.35, showInLegend: false)
        left.title = "PCA of \(featureName) (First 2 Components)"
        left.xLabel = "Principal Component 1"; left.yLabel = "Principal Component 2"
        right.title = "t-SNE of \(featureName)"
        right.xLabel = "t-SNE Component 1"; right.yLabel = "t-SNE Component 2"
        figure.legend = FigureLegend(entries: left.legendEntries, title: "Label")
        return figure
    }
}
