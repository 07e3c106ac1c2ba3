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

    static let reference = Cell.reference(
        text: "The figure above displays three query images and their five nearest neighbors, each labeled with their respective blood cell type. The images are preprocessed to 360x360 resolution, and neighbors are identified using cosine similarity in the scaled ViT feature space. The visualization reveals that neighbors share visual characteristics (e.g., shape, color) and class labels with the query, indicating the discriminative power of the features.",
        source: "documented study, after In [178] (ViT features)")

    public func run(_ context: StudyContext) throws -> SectionResult {
        let config = context.config.knn
        guard config.metric == "cosine" else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)", detail: "knn.metric '\(config.metric)' is not supported; use \"cosine\" (the study's)")
        }
        guard let input = try DeepEDAInput.read(context) else {
            context.progress(1, 1)
            return DeepEDAInput.skipped("Nearest neighbours in deep feature space", headlines: ["neighbours.vit.same_class"], reference: Self.reference)
        }
        let x = input.features, n = x.rows, index = input.index
        guard n > config.neighbours else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)", detail: "knn.neighbours \(config.neighbours) needs more than \(n) images")
        }
        context.progress(0, 2)
        var generator = context.generator(stream: 1)
        let queries = Array((0..<n).shuffled(using: &generator).prefix(config.queries))
        let found = ScaledCosineNeighbours.search(x, scaler: StandardScaler().fit(x), queries: queries, count: config.neighbours + 1)
        context.progress(1, 2)

        func picture(_ i: Int) throws -> Raster {
            let image = try ImageDecoder.decode(contentsOf: context.datasetRoot.appendingPathComponent(index.paths[i])).rgb()
                .resizedOpenCVLinear(width: StudyPreprocessing.hogSide, height: StudyPreprocessing.hogSide)
            return Raster(width: image.width, height: image.height, channels: 3, pixels: image.pixels)
        }
        var cells: [ImageCell] = [], lines: [String] = [], same = 0
        for (q, hit) in zip(queries, found) {
            let queryName = index.classes[index.labels[q]]
            cells.append(ImageCell(image: try picture(q), caption: Caption("Query: \(queryName)", color: .black)))
            var row: [String] = []
            for (j, i) in hit.indices.dropFirst().enumerated() {   // position 0 is the query itself
                let name = index.classes[index.labels[i]]
                if name == queryName { same += 1 }
                cells.append(ImageCell(image: try picture(i), caption: Caption("Neighbor \(j + 1)\n\(name)")))
                row.append("\(name) (\(String(format: "%.3f", hit.distances[j + 1])))")
            }
            lines.append("Query \(index.paths[q]) (\(queryName)): " + row.joined(separator: ", "))
        }
        let figure = ImageGrid.figure(cells, columns: config.neighbours + 1, cellSize: 150,
                                      title: "Nearest Neighbors in \(index.backboneName) Feature Space (Cosine Similarity)").render()
        context.progress(2, 2)
        let shown = queries.count * config.neighbours
        let share = Double(same) / Double(max(1, shown))
        let narrative = """
            ## Nearest neighbours in deep feature space

            \(input.backboneSentence) For \(queries.count) seeded query images, the \(config.neighbours) nearest of the \
            \(Fmt.int(n)) images by cosine distance between their standardised feature vectors: \(same) of the \(shown) \
            neighbours shown (\(String(format: "%.0f%%", 100 * share))) have the query's class. Compare with the same \
            figure on HOG features.
            """
        let source = """
            let scaler = StandardScaler().fit(features)
            let queries = (0..<\(n)).shuffled(using: &generator).prefix(\(config.queries))
            let neighbours = ScaledCosineNeighbours.search(features, scaler: scaler, queries: queries, count: \(config.neighbours + 1))
            """
        let caption = "Each row: a query image of this run and its \(config.neighbours) nearest neighbours in scaled \(input.featureName) "
            + "(cosine), with their classes; \(same) of \(shown) neighbours share the query's class. Images resized to 360x360. "
            + "Images: PBC dataset (Acevedo et al., Data in Brief 2020, CC BY 4.0)."
        let alt = "A grid of \(queries.count) rows of \(config.neighbours + 1) blood-cell images: the query at the left, labelled with its class, "
            + "then its nearest neighbours labelled Neighbor 1 to \(config.neighbours) with their classes."
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: source, outputs: [.text("Finding and Visualizing Nearest Neighbors in Deep Feature Space...\n" + lines.joined(separator: "\n")),
                                                .figure(FigureOutput(rendered: figure, caption: caption, alt: alt))]),
                Self.reference,
            ],
            headlines: [Headline("neighbours.vit.same_class", .double(share),
                                 label: "Deep features: share of shown nearest neighbours with the query's class")])
    }
}
