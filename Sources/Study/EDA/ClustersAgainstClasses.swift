import Foundation
import Learn
import Plot
import Report
import Tensor

/// k-means (`sklearn.cluster.KMeans`, k-means++ starts, Lloyd iterations) on PCA scores, scored
/// against the true classes (adjusted Rand index, normalised mutual information), with the class x
/// cluster contingency table as a heat map. The HOG and the deep-feature pages both make it.
struct ClustersAgainstClasses {
    var result: KMeansResult
    var ari: Double
    var nmi: Double
    /// The share of images in the cluster most of their class falls in.
    var purity: Double
    var seconds: Double
    var figure: RenderedFigure
    var classCount: Int
    var clusterCount: Int

    /// Clusters the `(n, k)` scores; `featureName` ends the heat map's title ("HOG features").
    /// Progress: 0 of 1 before, 1 after the fit.
    init(_ projections: Matrix<Float>, labels: [Int], classNames: [String], featureName: String,
         config: KMeansConfig, context: StudyContext) throws {
        let n = projections.rows
        guard n >= config.clusters else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)",
                                       detail: "kmeans.clusters is \(config.clusters) but only \(n) images have \(featureName)")
        }
        var generator = context.generator(stream: 1)
        context.progress(0, 1)
        let started = Date()
        result = KMeans(clusters: config.clusters, initCount: config.nInit).fit(projections.leadingColumnsAsDouble(projections.columns),
                                                                                 using: &generator)
        seconds = Date().timeIntervalSince(started)
        context.progress(1, 1)
        ari = adjustedRandIndex(labels, result.labels)
        nmi = normalizedMutualInformation(labels, result.labels)

        let table = ContingencyTable(truth: labels, predicted: result.labels)
        let chart = Figure(width: 160 + 62.0 * Double(table.clusters.count), height: 110 + 44.0 * Double(table.classes.count))
        let axes = chart.addAxes()
        axes.heatmap(table.counts.map { $0.map(Double.init) }, rowLabels: table.classes.map { classNames[$0] },
                     columnLabels: table.clusters.map { "\($0)" })
        axes.title = "k-means clusters (k = \(config.clusters)) against classes, \(featureName)"
        axes.xLabel = "Cluster"; axes.yLabel = "Class"
        figure = chart.render()
        // Where each class mostly went: the largest cell of its row, as a share of the class.
        purity = Double(table.counts.map { $0.max() ?? 0 }.reduce(0, +)) / Double(max(1, n))
        classCount = table.classes.count; clusterCount = table.clusters.count
    }

    /// The code cell: the source, the printed fit, and the heat map; `whose` names the features in
    /// the caption ("this run's HOG features").
    func cell(projections: Matrix<Float>, config: KMeansConfig, whose: String) -> Cell {
        let printed = """
            KMeans(n_clusters=\(config.clusters), init='k-means++', n_init=\(config.nInit)) on (\(projections.rows), \(projections.columns))
            Inertia: \(String(format: "%.6g", result.inertia)) after \(result.iterations) iterations
            Adjusted Rand index: \(String(format: "%.4f", ari))
            Normalized mutual information: \(String(format: "%.4f", nmi))
            """
        let source = """
            let kmeans = KMeans(clusters: \(config.clusters), initCount: \(config.nInit)).fit(projections, using: &generator)  // k-means++ starts
            let ari = adjustedRandIndex(labels, kmeans.labels), nmi = normalizedMutualInformation(labels, kmeans.labels)
            """
        let caption = "Images of each class (rows) per k-means cluster (columns) of \(whose); ARI \(String(format: "%.3f", ari)), "
            + "NMI \(String(format: "%.3f", nmi))."
        let alt = "Heat map with \(classCount) class rows and \(clusterCount) cluster columns, each cell the number of images."
        return .code(source: source, outputs: [.text(printed), .figure(FigureOutput(rendered: figure, caption: caption, alt: alt))])
    }

    /// The study's words before In [179]; it prints no clustering number.
    static let reference = Cell.reference(
        text: "We will use dimensionality reduction (PCA, t-SNE) to present the data in two dimensions and identify structures, and perform clustering to discover natural groups in the data without considering the true labels.",
        source: "documented study, before In [179] (no clustering result is printed, so there is no documented value)")
}
