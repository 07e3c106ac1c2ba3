import Foundation
import Learn
import Plot
import Report
import Tensor

/// k-means on the PCA-reduced deep features, scored against the classes (adjusted Rand index,
/// normalised mutual information) with the class x cluster heat map, as `kmeans-hog` does for HOG.
/// The study prints no clustering number, so there is no documented value to compare.
public struct KMeansDeepSection: ComputedSection {
    public let id = "kmeans-deep"
    public let title = "k-means on deep features"
    public let dependencies = ["deep-features", "pca-deep"]
    public let version = 2
    public let configKeys = ["kmeans"]

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("kmeans", config.kmeans)
    }

    /// The clusters (headlines `kmeans.vit.ari`, `kmeans.vit.nmi`); both nil when no deep features
    /// were extracted.
    public struct Result: Codable, Sendable, Equatable {
        public var features: DeepFeaturesDescription?
        public var clusters: ClustersAgainstClasses?
        public var reductionThreshold: Double

        public init(features: DeepFeaturesDescription?, clusters: ClustersAgainstClasses?, reductionThreshold: Double) {
            self.features = features; self.clusters = clusters; self.reductionThreshold = reductionThreshold
        }
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let threshold = context.config.pca.reductionThreshold
        guard let input = try DeepEDAInput.read(context) else {
            context.progress(1, 1)
            return Result(features: nil, clusters: nil, reductionThreshold: threshold)
        }
        let projections = try context.upstream("pca-deep").readMatrix("projections")
        let clusters = try ClustersAgainstClasses.compute(projections, labels: input.index.labels, classNames: input.index.classes,
                                                          featureName: input.featureName, config: context.config.kmeans, context: context)
        return Result(features: DeepFeaturesDescription(input), clusters: clusters, reductionThreshold: threshold)
    }

    public func page(_ result: Result) -> SectionResult {
        guard let features = result.features, let clusters = result.clusters else {
            return DeepEDAInput.skipped("k-means on deep features", headlines: ["kmeans.vit.ari"], reference: ClustersAgainstClasses.reference)
        }
        let narrative = """
            ## Clusters of deep features without labels

            \(features.backboneSentence) k-means with \(clusters.clusters) clusters on the \(clusters.components) PCA components that keep \
            \(String(format: "%.0f%%", 100 * result.reductionThreshold)) of their variance: adjusted Rand index \
            **\(String(format: "%.3f", clusters.ari))**, normalised mutual information **\(String(format: "%.3f", clusters.nmi))**; naming each \
            class after the cluster most of it falls in puts \(String(format: "%.1f%%", 100 * clusters.purity)) of the images in their \
            class's cluster. Took \(Fmt.seconds(clusters.seconds)). Compare with the HOG features' k-means page.
            """
        return SectionResult(
            cells: [
                .markdown(narrative),
                clusters.cell(whose: "this run's \(features.featureName)"),
                ClustersAgainstClasses.reference,
            ],
            headlines: [Headline("kmeans.vit.ari", .double(clusters.ari)),
                        Headline("kmeans.vit.nmi", .double(clusters.nmi), label: "Deep features: k-means normalised mutual information")])
    }
}
