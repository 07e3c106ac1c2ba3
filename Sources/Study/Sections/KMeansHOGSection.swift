import Foundation
import Learn
import Plot
import Report
import Tensor

/// k-means (`sklearn.cluster.KMeans`, k-means++ starts, Lloyd iterations) on the PCA-reduced HOG
/// features, scored against the true classes with the adjusted Rand index and normalised mutual
/// information, and the class x cluster contingency table as a heat map. The study's summary
/// speaks of clustering without printing a number, so there is no documented value to compare.
public struct KMeansHOGSection: ComputedSection {
    public let id = "kmeans-hog"
    public let title = "k-means on HOG features"
    public let dependencies = ["hog", "pca-hog"]
    public let version = 3

    public init() {}

    public var configKeys: [String] { ["kmeans"] }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("kmeans", config.kmeans)
    }

    /// The clusters and what the PCA kept (headlines `kmeans.hog.ari`, `.nmi`, `.inertia`).
    public struct Result: Codable, Sendable, Equatable {
        public var clusters: ClustersAgainstClasses
        /// PCA components that keep `reductionThreshold` of the variance (the clusters use the first `clusters.components`).
        public var kept: Int
        public var reductionThreshold: Double

        public init(clusters: ClustersAgainstClasses, kept: Int, reductionThreshold: Double) {
            self.clusters = clusters; self.kept = kept; self.reductionThreshold = reductionThreshold
        }
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let sample = try context.upstream("hog").read(EDASample.self, "sample")
        let pcaStep = try context.upstream("pca-hog")
        let projections = try pcaStep.readMatrix("projections")
        let summary = try pcaStep.read(PCAHOGSection.Summary.self, "summary")
        let clusters = try ClustersAgainstClasses.compute(projections, labels: sample.labels, classNames: sample.classes,
                                                          featureName: "HOG features", config: context.config.kmeans, context: context)
        return Result(clusters: clusters, kept: summary.kept, reductionThreshold: context.config.pca.reductionThreshold)
    }

    public func page(_ result: Result) -> SectionResult {
        let clusters = result.clusters
        let narrative = """
            ## Clusters without labels

            k-means with \(clusters.clusters) clusters (k-means++, \(clusters.starts) start\(clusters.starts == 1 ? "" : "s"), \
            seeded) on the first \(clusters.components) of the \(Fmt.int(result.kept)) PCA components that keep \(String(format: "%.0f%%", 100 * result.reductionThreshold)) \
            of the variance (the scores the PCA step keeps, as t-SNE) of the \(Fmt.int(clusters.images)) images' scaled HOG features. Compared with the true classes: adjusted \
            Rand index **\(String(format: "%.3f", clusters.ari))** (0 is chance, 1 a perfect match), normalised mutual information \
            **\(String(format: "%.3f", clusters.nmi))**; if each class were named after the cluster most of it falls in, \
            \(String(format: "%.1f%%", 100 * clusters.purity)) of the images would be in their class's cluster. Took \(Fmt.seconds(clusters.seconds)).
            """
        return SectionResult(
            cells: [
                .markdown(narrative),
                clusters.cell(whose: "this run's HOG features"),
                ClustersAgainstClasses.reference,
            ],
            headlines: [
                Headline("kmeans.hog.ari", .double(clusters.ari)),
                Headline("kmeans.hog.nmi", .double(clusters.nmi)),
                Headline("kmeans.hog.inertia", .double(clusters.inertia)),
            ])
    }
}
