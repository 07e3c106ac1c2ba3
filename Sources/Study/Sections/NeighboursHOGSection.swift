import Foundation
import Imaging
import Learn
import Plot
import Report
import Tensor

/// Nearest neighbours by cosine similarity (In [177]–[178]): three seeded query images and their
/// `knn.neighbours` nearest images among the scaled features, shown at 360x360 RGB as the study
/// does. The study ran this on ViT features only (`neighbours-deep` makes that figure); this
/// section runs the same procedure on HOG features for comparison.
public struct NeighboursHOGSection: ComputedSection {
    public let id = "neighbours-hog"
    public let title = "Nearest neighbours in HOG feature space"
    public let dependencies = ["hog"]
    public let version = 2

    public init() {}

    public var configKeys: [String] { ["knn"] }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("knn", config.knn)
    }

    /// The queries, their neighbours and pictures (headline `neighbours.hog.same_class`).
    public typealias Result = NeighbourQueries

    public func compute(_ context: StudyContext) throws -> Result {
        let upstream = try context.upstream("hog")
        let sample = try upstream.read(EDASample.self, "sample")
        return try NeighbourQueries.compute(upstream.readMatrix("hog"), paths: sample.paths, labels: sample.labels, classes: sample.classes,
                                            config: context.config.knn, space: "HOG", context: context)
    }

    public func page(_ outcome: Result) -> SectionResult {
        let narrative = """
            ## Nearest neighbours

            For \(outcome.queries.count) seeded query images, the \(outcome.neighbours) nearest of the \(Fmt.int(outcome.images)) images by \
            cosine distance between their standardised HOG vectors. **The study made this figure with ViT features only**; \
            its deep-feature version is the "Nearest neighbours in deep feature space" page (with this run's backbone, when \
            its weights are present). This page runs the same procedure on HOG features for comparison. \(outcome.sameClass) of \
            the \(outcome.shown) neighbours shown (\(String(format: "%.0f%%", 100 * outcome.share))) have the query's class.
            """
        let source = """
            let scaler = StandardScaler().fit(hog)                 // cosine on (x - mean) / scale, without the scaled copy
            let queries = (0..<\(outcome.images)).shuffled(using: &generator).prefix(\(outcome.asked))
            let neighbours = ScaledCosineNeighbours.search(hog, scaler: scaler, queries: queries, count: \(outcome.neighbours + 1))
            """
        return SectionResult(
            cells: [
                .markdown(narrative),
                outcome.cell(source: source, scaledName: "HOG space", printedSpace: "HOG"),
                NeighbourQueries.reference,
            ],
            headlines: [Headline("neighbours.hog.same_class", .double(outcome.share),
                                 label: "HOG: share of shown nearest neighbours with the query's class")])
    }
}
