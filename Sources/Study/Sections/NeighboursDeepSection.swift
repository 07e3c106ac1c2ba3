import Foundation
import Imaging
import Learn
import Plot
import Report
import Tensor

/// Nearest neighbours by cosine similarity in the scaled deep-feature space (In [177]–[178]), the
/// figure the study made with ViT features: seeded query images and their `knn.neighbours`
/// nearest images, shown at 360x360 RGB. Same procedure as `neighbours-hog`.
public struct NeighboursDeepSection: StudySection {
    public let id = "neighbours-deep"
    public let title = "Nearest neighbours in deep feature space"
    public let dependencies = ["deep-features"]
    public let version = 1
    public let configKeys = ["knn"]

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("knn", config.knn)
    }

    public func run(_ context: StudyContext) throws -> SectionResult {
        let config = context.config.knn
        guard let input = try DeepEDAInput.read(context) else {
            context.progress(1, 1)
            return DeepEDAInput.skipped("Nearest neighbours in deep feature space", headlines: ["neighbours.vit.same_class"],
                                        reference: NeighbourQueries.reference)
        }
        let x = input.features, n = x.rows, index = input.index
        let outcome = try NeighbourQueries(paths: index.paths, labels: index.labels, classes: index.classes)
            .run(x, config: config, space: index.backboneName, context: context)
        let narrative = """
            ## Nearest neighbours in deep feature space

            \(input.backboneSentence) For \(outcome.queries.count) seeded query images, the \(config.neighbours) nearest of the \
            \(Fmt.int(n)) images by cosine distance between their standardised feature vectors: \(outcome.sameClass) of the \(outcome.shown) \
            neighbours shown (\(String(format: "%.0f%%", 100 * outcome.share))) have the query's class. Compare with the same \
            figure on HOG features.
            """
        let source = """
            let scaler = StandardScaler().fit(features)
            let queries = (0..<\(n)).shuffled(using: &generator).prefix(\(config.queries))
            let neighbours = ScaledCosineNeighbours.search(features, scaler: scaler, queries: queries, count: \(config.neighbours + 1))
            """
        return SectionResult(
            cells: [
                .markdown(narrative),
                NeighbourQueries.cell(outcome, source: source, space: "Deep", scaledName: input.featureName, config: config),
                NeighbourQueries.reference,
            ],
            headlines: [Headline("neighbours.vit.same_class", .double(outcome.share),
                                 label: "Deep features: share of shown nearest neighbours with the query's class")])
    }
}
