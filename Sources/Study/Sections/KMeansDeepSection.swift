import Foundation
import Learn
import Plot
import Report
import Tensor

/// k-means on the PCA-reduced deep features, scored against the classes (adjusted Rand index,
/// normalised mutual information) with the class x cluster heat map, as `kmeans-hog` does for HOG.
/// The study prints no clustering number, so there is no documented value to compare.
public struct KMeansDeepSection: StudySection {
    public let id = "kmeans-deep"
    public let title = "k-means on deep features"
    public let dependencies = ["deep-features", "pca-deep"]
    public let version = 1
    public let configKeys = ["kmeans"]

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("kmeans", config.kmeans)
    }

    static let reference = Cell.reference(
        text: "We will use dimensionality reduction (PCA, t-SNE) to present the data in two dimensions and identify structures, and perform clustering to discover natural groups in the data without considering the true labels.",
        source: "documented study, before In [179] (no clustering result is printed, so there is no documented value)")

    public func run(_ context: StudyContext) throws -> SectionResult {
        let config = context.config.kmeans
        guard let input = try DeepEDAInput.read(context) else {
            context.progress(1, 1)
            return DeepEDAInput.skipped("k-means on deep features", headlines: ["kmeans.vit.ari"], reference: Self.reference)
        }
        let projections = try context.upstream("pca-deep").readMatrix("projections")
        let n = projections.rows, k = projections.columns
        guard n >= config.clusters else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)",
                                       detail: "kmeans.clusters is \(config.clusters) but only \(n) images have deep features")
        }
        var generator = context.generator(stream: 1)
        context.progress(0, 1)
        let started = Date()
        let result = KMeans(clusters: config.clusters, initCount: config.nInit).fit(projections.leadingColumnsAsDouble(k), using: &generator)
        let seconds = Date().timeIntervalSince(started)
        context.progress(1, 1)
        let labels = input.index.labels
        let ari = adjustedRandIndex(labels, result.labels)
        let nmi = normalizedMutualInformation(labels, result.labels)
        try context.artifacts.write(result.labels, as: "clusters")

        let table = ContingencyTable(truth: labels, predicted: result.labels)
        let chart = Figure(width: 160 + 62.0 * Double(table.clusters.count), height: 110 + 44.0 * Double(table.classes.count))
        let axes = chart.addAxes()
        axes.heatmap(table.counts.map { $0.map(Double.init) }, rowLabels: table.classes.map { input.index.classes[$0] },
                     columnLabels: table.clusters.map { "\($0)" })
        axes.title = "k-means clusters (k = \(config.clusters)) against classes, \(input.featureName)"
        axes.xLabel = "Cluster"; axes.yLabel = "Class"
        let figure = chart.render()
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
            ## Clusters of deep features without labels

            \(input.backboneSentence) k-means with \(config.clusters) clusters on the \(k) PCA components that keep \
            \(String(format: "%.0f%%", 100 * context.config.pca.reductionThreshold)) of their variance: adjusted Rand index \
            **\(String(format: "%.3f", ari))**, normalised mutual information **\(String(format: "%.3f", nmi))**; naming each \
            class after the cluster most of it falls in puts \(String(format: "%.1f%%", 100 * purity)) of the images in their \
            class's cluster. Took \(Fmt.seconds(seconds)). Compare with the HOG features' k-means page.
            """
        let caption = "Images of each class (rows) per k-means cluster (columns) of this run's \(input.featureName); ARI \(String(format: "%.3f", ari)), "
            + "NMI \(String(format: "%.3f", nmi))."
        let alt = "Heat map with \(table.classes.count) class rows and \(table.clusters.count) cluster columns, each cell the number of images."
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: source, outputs: [.text(printed), .figure(FigureOutput(rendered: figure, caption: caption, alt: alt))]),
                Self.reference,
            ],
            headlines: [Headline("kmeans.vit.ari", .double(ari)), Headline("kmeans.vit.nmi", .double(nmi), label: "Deep features: k-means normalised mutual information")])
    }
}
