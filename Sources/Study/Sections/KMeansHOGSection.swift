import Foundation
import Learn
import Plot
import Report
import Tensor

/// k-means (`sklearn.cluster.KMeans`, k-means++ starts, Lloyd iterations) on the PCA-reduced HOG
/// features, scored against the true classes with the adjusted Rand index and normalised mutual
/// information, and the class x cluster contingency table as a heat map. The study's summary
/// speaks of clustering without printing a number, so there is no documented value to compare.
public struct KMeansHOGSection: StudySection {
    public let id = "kmeans-hog"
    public let title = "k-means on HOG features"
    public let dependencies = ["hog", "pca-hog"]
    public let version = 2

    public init() {}

    public var configKeys: [String] { ["kmeans"] }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("kmeans", config.kmeans)
    }

    public func run(_ context: StudyContext) throws -> SectionResult {
        let config = context.config.kmeans
        let sample = try context.upstream("hog").read(EDASample.self, "sample")
        let pcaStep = try context.upstream("pca-hog")
        let projections = try pcaStep.readMatrix("projections")
        let summary = try pcaStep.read(PCAHOGSection.Summary.self, "summary")
        let n = projections.rows, k = projections.columns
        guard n >= config.clusters else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)",
                                       detail: "kmeans.clusters is \(config.clusters) but only \(n) images are in the EDA sample")
        }
        let x = projections.leadingColumnsAsDouble(k)
        var generator = context.generator(stream: 1)
        context.progress(0, 1)
        let started = Date()
        let result = KMeans(clusters: config.clusters, initCount: config.nInit).fit(x, using: &generator)
        let seconds = Date().timeIntervalSince(started)
        context.progress(1, 1)
        let ari = adjustedRandIndex(sample.labels, result.labels)
        let nmi = normalizedMutualInformation(sample.labels, result.labels)
        try context.artifacts.write(result.labels, as: "clusters")

        let table = ContingencyTable(truth: sample.labels, predicted: result.labels)
        let figureSize = (width: 160 + 62.0 * Double(table.clusters.count), height: 110 + 44.0 * Double(table.classes.count))
        let chart = Figure(width: figureSize.width, height: figureSize.height)
        let axes = chart.addAxes()
        axes.heatmap(table.counts.map { $0.map(Double.init) }, rowLabels: table.classes.map { sample.classes[$0] },
                     columnLabels: table.clusters.map { "\($0)" })
        axes.title = "k-means clusters (k = \(config.clusters)) against classes, HOG features"
        axes.xLabel = "Cluster"; axes.yLabel = "Class"
        let figure = chart.render()
        // Where each class mostly went: the largest cell of its row, as a share of the class.
        let purity = Double(table.counts.map { $0.max() ?? 0 }.reduce(0, +)) / Double(max(1, n))
        let printed = """
            KMeans(n_clusters=\(config.clusters), init='k-means++', n_init=\(config.nInit)) on (\(n), \(k))
            Inertia: \(String(format: "%.6g", result.inertia)) after \(result.iterations) iterations
            Adjusted Rand index: \(String(format: "%.4f", ari))
            Normalized mutual information: \(String(format: "%.4f", nmi))
            """
        let source = """
            let kmeans = KMeans(clusters: \(config.clusters), initCount: \(config.nInit)).fit(projections, using: &generator)  // k-means++ starts
            let ari = adjustedRandIndex(labels, kmeans.labels), nmi = normalizedMutualInformation(labels, kmeans.labels)
            """
        let narrative = """
            ## Clusters without labels

            k-means with \(config.clusters) clusters (k-means++, \(config.nInit) start\(config.nInit == 1 ? "" : "s"), \
            seeded) on the first \(k) of the \(Fmt.int(summary.kept)) PCA components that keep \(String(format: "%.0f%%", 100 * context.config.pca.reductionThreshold)) \
            of the variance (the scores the PCA step keeps, as t-SNE) of the \(Fmt.int(n)) images' scaled HOG features. Compared with the true classes: adjusted \
            Rand index **\(String(format: "%.3f", ari))** (0 is chance, 1 a perfect match), normalised mutual information \
            **\(String(format: "%.3f", nmi))**; if each class were named after the cluster most of it falls in, \
            \(String(format: "%.1f%%", 100 * purity)) of the images would be in their class's cluster. Took \(Fmt.seconds(seconds)).
            """
        let caption = "Images of each class (rows) per k-means cluster (columns) in this run; ARI \(String(format: "%.3f", ari)), "
            + "NMI \(String(format: "%.3f", nmi))."
        let alt = "Heat map with \(table.classes.count) class rows and \(table.clusters.count) cluster columns, each cell the number of images."
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: source, outputs: [.text(printed), .figure(FigureOutput(rendered: figure, caption: caption, alt: alt))]),
                .reference(text: "We will use dimensionality reduction (PCA, t-SNE) to present the data in two dimensions and identify structures, and perform clustering to discover natural groups in the data without considering the true labels.",
                           source: "documented study, before In [179] (no clustering result is printed, so there is no documented value)"),
            ],
            headlines: [
                Headline("kmeans.hog.ari", .double(ari)),
                Headline("kmeans.hog.nmi", .double(nmi)),
                Headline("kmeans.hog.inertia", .double(result.inertia)),
            ])
    }
}
