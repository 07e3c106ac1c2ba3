import Foundation
import Learn
import Plot
import Report
import Tensor

/// "Dimensionality Reduction Comparison" of the deep features (In [180]): the first two PCA
/// components beside t-SNE of the first `tsne.input_dims` components, coloured by class: the same
/// computation and page shape as the HOG features' `embedding-hog` step (``TwoDimensionalViews``).
public struct EmbeddingDeepSection: ComputedSection {
    public let id = "embedding-deep"
    public let title = "PCA and t-SNE of deep features"
    public let dependencies = ["deep-features", "pca-deep"]
    public let version = 2
    public let configKeys = ["tsne"]

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("tsne", config.tsne)
    }

    /// The two views of the deep features (headlines `tsne.vit.kl`, `tsne.vit.kl_barnes_hut`);
    /// both nil when no deep features were extracted.
    public struct Result: Codable, Sendable, Equatable {
        public var features: DeepFeaturesDescription?
        public var views: TwoDimensionalViews?

        public init(features: DeepFeaturesDescription?, views: TwoDimensionalViews?) {
            self.features = features; self.views = views
        }
    }

    static let reference = Cell.reference(
        text: "The t-SNE results show clear and relatively separate clusters for each of the 8 blood cell types. This indicates that the features that the ViT model learned to extract are informative and allow for good discrimination between the different blood cell types.",
        source: "documented study, In [180] and the text after it (ViT-B/16 features)")

    public func compute(_ context: StudyContext) throws -> Result {
        guard let input = try DeepEDAInput.read(context) else {
            context.progress(1, 1)
            return Result(features: nil, views: nil)
        }
        let pcaStep = try context.upstream("pca-deep")
        let views = try TwoDimensionalViews.compute(pcaStep.readMatrix("projections"), summary: pcaStep.read(PCAHOGSection.Summary.self, "summary"),
                                                    labels: input.labelNames, classes: input.index.classes,
                                                    config: context.config.tsne, context: context)
        return Result(features: DeepFeaturesDescription(input), views: views)
    }

    public func page(_ result: Result) -> SectionResult {
        guard let features = result.features, let views = result.views else {
            return DeepEDAInput.skipped("PCA and t-SNE of deep features", headlines: ["tsne.vit.kl", "tsne.vit.kl_barnes_hut"],
                                        reference: Self.reference)
        }
        let names = TwoDimensionalViews.Names(
            heading: "## Two-dimensional views of deep features", lead: features.backboneSentence,
            figureName: features.featureName, scaledName: features.featureName,
            panels: "the first two principal components of the deep features on the left, their t-SNE embedding on the right.")
        return SectionResult(
            cells: [.markdown(views.narrative(names)), views.cell(names), Self.reference],
            headlines: [Headline("tsne.vit.kl", .double(views.kl)),
                        Headline("tsne.vit.kl_barnes_hut", views.barnesHutKL.map(JSONValue.double) ?? .null,
                                 label: "Deep features: t-SNE KL divergence, Barnes-Hut estimate (scikit-learn's kl_divergence_)")])
    }
}
