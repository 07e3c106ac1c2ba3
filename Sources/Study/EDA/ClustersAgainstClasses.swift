import Foundation
import Learn
import Plot
import Report
import Tensor

/// k-means (`sklearn.cluster.KMeans`, k-means++ starts, Lloyd iterations) on PCA scores, scored
/// against the true classes (adjusted Rand index, normalised mutual information), with the class x
/// cluster contingency table as a heat map. The HOG and the deep-feature pages both make it:
/// `compute` fits and counts, `cell` draws the page's code cell from those counts alone.
public struct ClustersAgainstClasses: Codable, Sendable, Equatable {
    /// The fit asked for: clusters and k-means++ starts.
    public var clusters: Int
    public var starts: Int
    /// Shape of the scores clustered.
    public var images: Int
    public var components: Int
    public var ari: Double
    public var nmi: Double
    public var inertia: Double
    public var iterations: Int
    /// The share of images in the cluster most of their class falls in.
    public var purity: Double
    public var seconds: Double
    /// Images of each class (rows, named `classNames`) in each cluster (columns, `clusterNames`).
    public var counts: [[Int]]
    public var classNames: [String]
    public var clusterNames: [String]
    /// What was clustered, ending the heat map's title ("HOG features").
    public var featureName: String

    public init(clusters: Int, starts: Int, images: Int, components: Int, ari: Double, nmi: Double, inertia: Double, iterations: Int,
                purity: Double, seconds: Double, counts: [[Int]], classNames: [String], clusterNames: [String], featureName: String) {
        self.clusters = clusters; self.starts = starts; self.images = images; self.components = components
        self.ari = ari; self.nmi = nmi; self.inertia = inertia; self.iterations = iterations; self.purity = purity; self.seconds = seconds
        self.counts = counts; self.classNames = classNames; self.clusterNames = clusterNames; self.featureName = featureName
    }

    /// Clusters the `(n, k)` scores and writes each image's cluster as the `clusters` artifact.
    /// Progress: 0 of 1 before, 1 after the fit.
    static func compute(_ projections: Matrix<Float>, labels: [Int], classNames: [String], featureName: String,
                        config: KMeansConfig, context: StudyContext) throws -> ClustersAgainstClasses {
        let n = projections.rows
        guard n >= config.clusters else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)",
                                       detail: "kmeans.clusters is \(config.clusters) but only \(n) images have \(featureName)")
        }
        var generator = context.generator(stream: 1)
        context.progress(0, 1)
        let started = Date()
        let result = KMeans(clusters: config.clusters, initCount: config.nInit).fit(projections.leadingColumnsAsDouble(projections.columns),
                                                                                     using: &generator)
        let seconds = Date().timeIntervalSince(started)
        context.progress(1, 1)
        try context.artifacts.write(result.labels, as: "clusters")
        let table = ContingencyTable(truth: labels, predicted: result.labels)
        // Where each class mostly went: the largest cell of its row, as a share of the class.
        let purity = Double(table.counts.map { $0.max() ?? 0 }.reduce(0, +)) / Double(max(1, n))
        return ClustersAgainstClasses(
            clusters: config.clusters, starts: config.nInit, images: n, components: projections.columns,
            ari: adjustedRandIndex(labels, result.labels), nmi: normalizedMutualInformation(labels, result.labels),
            inertia: result.inertia, iterations: result.iterations, purity: purity, seconds: seconds,
            counts: table.counts, classNames: table.classes.map { classNames[$0] }, clusterNames: table.clusters.map { "\($0)" },
            featureName: featureName)
    }

    /// The heat map of `counts`.
    func heatMap() -> RenderedFigure {
        let chart = Figure(width: 160 + 62.0 * Double(clusterNames.count), height: 110 + 44.0 * Double(classNames.count))
        let axes = chart.addAxes()
        axes.heatmap(counts.map { $0.map(Double.init) }, rowLabels: classNames, columnLabels: clusterNames)
        axes.title = "k-means clusters (k = \(clusters)) against classes, \(featureName)"
        axes.xLabel = "Cluster"; axes.yLabel = "Class"
        return chart.render()
    }

    /// The code cell: the source, the printed fit, and the heat map; `whose` names the features in
    /// the caption ("this run's HOG features").
    func cell(whose: String) -> Cell {
        let printed = """
            KMeans(n_clusters=\(clusters), init='k-means++', n_init=\(starts)) on (\(images), \(components))
            Inertia: \(String(format: "%.6g", inertia)) after \(iterations) iterations
            Adjusted Rand index: \(String(format: "%.4f", ari))
            Normalized mutual information: \(String(format: "%.4f", nmi))
            """
        let source = """
            let kmeans = KMeans(clusters: \(clusters), initCount: \(starts)).fit(projections, using: &generator)  // k-means++ starts
            let ari = adjustedRandIndex(labels, kmeans.labels), nmi = normalizedMutualInformation(labels, kmeans.labels)
            """
        let caption = "Images of each class (rows) per k-means cluster (columns) of \(whose); ARI \(String(format: "%.3f", ari)), "
            + "NMI \(String(format: "%.3f", nmi))."
        let alt = "Heat map with \(classNames.count) class rows and \(clusterNames.count) cluster columns, each cell the number of images."
        return .code(source: source, outputs: [.text(printed), .figure(FigureOutput(rendered: heatMap(), caption: caption, alt: alt))])
    }

    /// The study's words before In [179]; it prints no clustering number.
    static let reference = Cell.reference(
        text: "We will use dimensionality reduction (PCA, t-SNE) to present the data in two dimensions and identify structures, and perform clustering to discover natural groups in the data without considering the true labels.",
        source: "documented study, before In [179] (no clustering result is printed, so there is no documented value)")
}
