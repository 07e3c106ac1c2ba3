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

    public func run(_ context: StudyContext) throws -> SectionResult {
        let config = context.config.kmeans
        guard let input = try DeepEDAInput.read(context) else {
            context.progress(1, 1)
            return DeepEDAInput.skipped("k-means on deep features", headlines: ["kmeans.vit.ari"], reference: ClustersAgainstClasses.reference)
        }
        let projections = try context.upstream("pca-deep").readMatrix("projections")
        let k = projections.columns
        let clusters = try ClustersAgainstClasses(projections, labels: input.index.labels, classNames: input.index.classes,
                                                  featureName: input.featureName, config: config, context: context)
        try context.artifacts.write(clusters.result.labels, as: "clusters")
        let (ari, nmi, purity, seconds) = (clusters.ari, clusters.nmi, clusters.purity, clusters.seconds)
        let narrative = """
            ## Clusters of deep features without labels

            \(input.backboneSentence) k-means with \(config.clusters) clusters on the \(k) PCA components that keep \
            \(String(format: "%.0f%%", 100 * context.config.pca.reductionThreshold)) of their variance: adjusted Rand index \
            **\(String(format: "%.3f", ari))**, normalised mutual information **\(String(format: "%.3f", nmi))**; naming each \
            class after the cluster most of it falls in puts \(String(format: "%.1f%%", 100 * purity)) of the images in their \
            class's cluster. Took \(Fmt.seconds(seconds)). Compare with the HOG features' k-means page.
            """
        return SectionResult(
            cells: [
                .markdown(narrative),
                clusters.cell(projections: projections, config: config, whose: "this run's \(input.featureName)"),
                ClustersAgainstClasses.reference,
            ],
            headlines: [Headline("kmeans.vit.ari", .double(ari)), Headline("kmeans.vit.nmi", .double(nmi), label: "Deep features: k-means normalised mutual information")])
    }
}
