import Foundation
import Imaging
import Learn
import Plot
import Report
import Tensor

/// Nearest neighbours by cosine similarity (In [177]–[178]): three seeded query images and their
/// `knn.neighbours` nearest images among the scaled features, shown at 360x360 RGB as the study
/// does. The study ran this on ViT features; this section runs it on HOG features (the ViT
/// features need pretrained weights, see the deep-features section).
public struct NeighboursHOGSection: StudySection {
    public let id = "neighbours-hog"
    public let title = "Nearest neighbours in HOG feature space"
    public let dependencies = ["hog"]
    public let version = 1

    public init() {}

    public var configKeys: [String] { ["knn"] }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("knn", config.knn)
    }

    public func run(_ context: StudyContext) throws -> SectionResult {
        let config = context.config.knn
        guard config.metric == "cosine" else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)", detail: "knn.metric '\(config.metric)' is not supported; use \"cosine\" (the study's)")
        }
        let upstream = try context.upstream("hog")
        let sample = try upstream.read(EDASample.self, "sample")
        let x = try upstream.readMatrix("hog")
        let n = x.rows
        guard n > config.neighbours else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)", detail: "knn.neighbours \(config.neighbours) needs more than \(n) images")
        }
        context.progress(0, 2)
        let scaler = StandardScaler().fit(x)
        var generator = context.generator(stream: 1)
        // select_query_indices: np.random.choice(n_samples, n_queries, replace=False) -> seeded here.
        let queries = Array((0..<n).shuffled(using: &generator).prefix(config.queries))
        let found = ScaledCosineNeighbours.search(x, scaler: scaler, queries: queries, count: config.neighbours + 1)
        context.progress(1, 2)

        var cells: [ImageCell] = []
        var lines: [String] = []
        var same = 0
        func picture(_ i: Int) throws -> Raster {
            let image = try ImageDecoder.decode(contentsOf: context.datasetRoot.appendingPathComponent(sample.paths[i])).rgb()
                .resizedOpenCVLinear(width: StudyPreprocessing.hogSide, height: StudyPreprocessing.hogSide)
            return Raster(width: image.width, height: image.height, channels: 3, pixels: image.pixels)
        }
        for (q, hit) in zip(queries, found) {
            let queryName = sample.classes[sample.labels[q]]
            cells.append(ImageCell(image: try picture(q), caption: Caption("Query: \(queryName)", color: .black)))
            // The study shows indices[0, 1...n_neighbors]: position 0 is the query itself.
            var row: [String] = []
            for (j, i) in hit.indices.dropFirst().enumerated() {
                let name = sample.classes[sample.labels[i]]
                if name == queryName { same += 1 }
                cells.append(ImageCell(image: try picture(i), caption: Caption("Neighbor \(j + 1)\n\(name)")))
                row.append("\(name) (\(String(format: "%.3f", hit.distances[j + 1])))")
            }
            lines.append("Query \(sample.paths[q]) (\(queryName)): " + row.joined(separator: ", "))
        }
        let figure = ImageGrid.figure(cells, columns: config.neighbours + 1, cellSize: 150,
                                      title: "Nearest Neighbors in HOG Feature Space (Cosine Similarity)").render()
        context.progress(2, 2)
        let shown = queries.count * config.neighbours
        let share = Double(same) / Double(max(1, shown))
        let narrative = """
            ## Nearest neighbours

            For \(queries.count) seeded query images, the \(config.neighbours) nearest of the \(Fmt.int(n)) images by \
            cosine distance between their standardised HOG vectors. **The study ran this on ViT features**; \
            those need pretrained weights that this run does not have, so the same procedure runs here on HOG \
            features. \(same) of the \(shown) neighbours shown (\(String(format: "%.0f%%", 100 * share))) have the \
            query's class.
            """
        let source = """
            let scaler = StandardScaler().fit(hog)                 // cosine on (x - mean) / scale, without the scaled copy
            let queries = (0..<\(n)).shuffled(using: &generator).prefix(\(config.queries))
            let neighbours = ScaledCosineNeighbours.search(hog, scaler: scaler, queries: queries, count: \(config.neighbours + 1))
            """
        let caption = "Each row: a query image of this run and its \(config.neighbours) nearest neighbours in scaled HOG space "
            + "(cosine), with their classes; \(same) of \(shown) neighbours share the query's class. Images resized to 360x360. "
            + "Images: PBC dataset (Acevedo et al., Data in Brief 2020, CC BY 4.0)."
        let alt = "A grid of \(queries.count) rows of \(config.neighbours + 1) blood-cell images: the query at the left, labelled with its class, "
            + "then its nearest neighbours labelled Neighbor 1 to \(config.neighbours) with their classes."
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: source, outputs: [.text("Finding and Visualizing Nearest Neighbors in HOG Feature Space...\n" + lines.joined(separator: "\n")),
                                                .figure(FigureOutput(rendered: figure, caption: caption, alt: alt))]),
                .reference(text: "The figure above displays three query images and their five nearest neighbors, each labeled with their respective blood cell type. The images are preprocessed to 360x360 resolution, and neighbors are identified using cosine similarity in the scaled ViT feature space. The visualization reveals that neighbors share visual characteristics (e.g., shape, color) and class labels with the query, indicating the discriminative power of the features.",
                           source: "documented study, after In [178] (ViT features)"),
            ],
            headlines: [Headline("neighbours.hog.same_class", .double(share),
                                 label: "HOG: share of shown nearest neighbours with the query's class")],
            deviations: [Deviation(what: "Nearest-neighbour figure (In [178])", documented: "scaled ViT features",
                                   thisRun: "scaled HOG features", why: "the ViT features need pretrained weights this run does not have")])
    }
}
