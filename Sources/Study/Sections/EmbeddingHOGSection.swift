import Foundation
import Learn
import Plot
import Report
import Tensor

/// "Dimensionality Reduction Comparison (HOG Features)" (In [179], [181]): the first two PCA
/// components beside t-SNE (`sklearn.manifold.TSNE`, PCA initialisation, Barnes-Hut) run on the
/// first `tsne.input_dims` PCA components, both coloured by class, one toggleable layer per class
/// (``TwoDimensionalViews``, shared with `embedding-deep`).
public struct EmbeddingHOGSection: ComputedSection {
    public let id = "embedding-hog"
    public let title = "PCA and t-SNE of HOG features"
    public let dependencies = ["hog", "pca-hog"]
    public let version = 3

    public init() {}

    public var configKeys: [String] { ["tsne"] }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("tsne", config.tsne)
    }

    /// The two views (headlines `tsne.hog.kl`, `tsne.hog.kl_barnes_hut`).
    public typealias Result = TwoDimensionalViews

    public func compute(_ context: StudyContext) throws -> Result {
        let sample = try context.upstream("hog").read(EDASample.self, "sample")
        let pcaStep = try context.upstream("pca-hog")
        return try TwoDimensionalViews.compute(pcaStep.readMatrix("projections"), summary: pcaStep.read(PCAHOGSection.Summary.self, "summary"),
                                               labels: sample.labelNames, classes: sample.classes, config: context.config.tsne, context: context)
    }

    /// The study's printed lines of In [181], with its numbers from the documented table.
    static var reference: Cell {
        let (d, k, n) = (DocumentedResults.hogFeatureLength, DocumentedResults.pcaHOGReducedDims, DocumentedResults.studyImages)
        return .reference(text: "PCA completed. Original dims: \(d), Reduced dims: \(k). Output shape for viz: (\(n), \(k)). Performing t-SNE on the first 50 PCA components of HOG Features... t-SNE completed.",
                          source: "documented study, In [181]")
    }

    public func page(_ result: Result) -> SectionResult {
        let names = TwoDimensionalViews.Names(
            heading: "## Two-dimensional views", lead: "", figureName: "HOG Features", scaledName: "HOG features",
            panels: "the first two principal components on the left, the t-SNE embedding on the right.")
        return SectionResult(
            cells: [
                .markdown(result.narrative(names)),
                result.cell(names),
                Self.reference,
                .reference(text: "PCA of HOG features: the graph shows almost complete mixing between all 8 blood cell types (colors). … t-SNE of HOG features: the t-SNE graph also shows a very high level of mixing between the different groups. In contrast to the ViT results, here no clear and separate clusters are formed for each color.",
                           source: "documented study, after In [181] (the study did not print its KL divergence)"),
            ],
            headlines: [Headline("tsne.hog.kl", .double(result.kl)),
                        Headline("tsne.hog.kl_barnes_hut", result.barnesHutKL.map(JSONValue.double) ?? .null)])
    }
}
