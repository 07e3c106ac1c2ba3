import Foundation
import Imaging
import Learn
import Plot
import Report
import Tensor

/// Nearest neighbours by cosine similarity in the scaled deep-feature space (In [177]–[178]), the
/// figure the study made with ViT features: seeded query images and their `knn.neighbours`
/// nearest images, shown at 360x360 RGB. Same procedure as `neighbours-hog`.
public struct NeighboursDeepSection: ComputedSection {
    public let id = "neighbours-deep"
    public let title = "Nearest neighbours in deep feature space"
    public let dependencies = ["deep-features"]
    public let version = 2
    public let configKeys = ["knn"]

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("knn", config.knn)
    }

    /// The queries, their neighbours and pictures (headline `neighbours.vit.same_class`); both nil
    /// when no deep features were extracted.
    public struct Result: Codable, Sendable, Equatable {
        public var features: DeepFeaturesDescription?
        public var outcome: NeighbourQueries?

        public init(features: DeepFeaturesDescription?, outcome: NeighbourQueries?) {
            self.features = features; self.outcome = outcome
        }
    }

    public func compute(_ context: StudyContext) throws -> Result {
        guard let input = try DeepEDAInput.read(context) else {
            context.progress(1, 1)
            return Result(features: nil, outcome: nil)
        }
        let index = input.index
        let outcome = try NeighbourQueries.compute(input.features, paths: index.paths, labels: index.labels, classes: index.classes,
                                                   config: context.config.knn, space: index.backboneName, context: context)
        return Result(features: DeepFeaturesDescription(input), outcome: outcome)
    }

    public func page(_ result: Result) -> SectionResult {
        guard let features = result.features, let outcome = result.outcome else {
            return DeepEDAInput.skipped("Nearest neighbours in deep feature space", headlines: ["neighbours.vit.same_class"],
                                        reference: NeighbourQueries.reference)
        }
        let narrative = """
            ## Nearest neighbours in deep feature space

            \(features.backboneSentence) For \(outcome.queries.count) seeded query images, the \(outcome.neighbours) nearest of the \
            \(Fmt.int(outcome.images)) images by cosine distance between their standardised feature vectors: \(outcome.sameClass) of the \(outcome.shown) \
            neighbours shown (\(String(format: "%.0f%%", 100 * outcome.share))) have the query's class. Compare with the same \
            figure on HOG features.
            """
        let source = """
            let scaler = StandardScaler().fit(features)
            let queries = (0..<\(outcome.images)).shuffled(using: &generator).prefix(\(outcome.asked))
            let neighbours = ScaledCosineNeighbours.search(features, scaler: scaler, queries: queries, count: \(outcome.neighbours + 1))
            """
        return SectionResult(
            cells: [
                .markdown(narrative),
                outcome.cell(source: source, scaledName: features.featureName, printedSpace: "Deep"),
                NeighbourQueries.reference,
            ],
            headlines: [Headline("neighbours.vit.same_class", .double(outcome.share),
                                 label: "Deep features: share of shown nearest neighbours with the query's class")])
    }
}
