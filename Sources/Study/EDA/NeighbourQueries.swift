import Foundation
import Imaging
import Learn
import Plot
import Report
import Tensor

/// The study's nearest-neighbour figure (In [177]–[178]) for any feature matrix: seeded query rows,
/// their `knn.neighbours` nearest rows by cosine distance between standardised rows, the images
/// shown at 360x360 RGB, and the share of neighbours with the query's class. The HOG and the
/// deep-feature pages both make it; only the features and the words differ.
struct NeighbourQueries {
    /// Image path (relative to the dataset folder), class index per row, and the class names.
    var paths: [String]
    var labels: [Int]
    var classes: [String]

    struct Outcome {
        var queries: [Int]
        /// One line per query: its path and class, then each neighbour's class and distance.
        var lines: [String]
        var figure: RenderedFigure
        /// Neighbours shown, and how many of them have the query's class.
        var shown: Int
        var sameClass: Int
        var share: Double { Double(sameClass) / Double(max(1, shown)) }
    }

    /// Runs the search and draws the grid titled "Nearest Neighbors in `space` Feature Space".
    /// Progress: 0 of 2 before, 1 after the search, 2 after the figure.
    func run(_ x: Matrix<Float>, config: KNNConfig, space: String, context: StudyContext) throws -> Outcome {
        let n = x.rows
        guard config.metric == "cosine" else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)", detail: "knn.metric '\(config.metric)' is not supported; use \"cosine\" (the study's)")
        }
        guard n > config.neighbours else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)", detail: "knn.neighbours \(config.neighbours) needs more than \(n) images")
        }
        context.progress(0, 2)
        // select_query_indices: np.random.choice(n_samples, n_queries, replace=False) -> seeded here.
        var generator = context.generator(stream: 1)
        let queries = Array((0..<n).shuffled(using: &generator).prefix(config.queries))
        let found = ScaledCosineNeighbours.search(x, scaler: StandardScaler().fit(x), queries: queries, count: config.neighbours + 1)
        context.progress(1, 2)

        func picture(_ i: Int) throws -> Raster {
            let image = try ImageDecoder.decode(contentsOf: context.datasetRoot.appendingPathComponent(paths[i])).rgb()
                .resizedOpenCVLinear(width: StudyPreprocessing.hogSide, height: StudyPreprocessing.hogSide)
            return Raster(width: image.width, height: image.height, channels: 3, pixels: image.pixels)
        }
        var cells: [ImageCell] = [], lines: [String] = [], same = 0
        for (q, hit) in zip(queries, found) {
            let queryName = classes[labels[q]]
            cells.append(ImageCell(image: try picture(q), caption: Caption("Query: \(queryName)", color: .black)))
            var row: [String] = []
            // The study shows indices[0, 1...n_neighbors]: position 0 is the query itself.
            for (j, i) in hit.indices.dropFirst().enumerated() {
                let name = classes[labels[i]]
                if name == queryName { same += 1 }
                cells.append(ImageCell(image: try picture(i), caption: Caption("Neighbor \(j + 1)\n\(name)")))
                row.append("\(name) (\(String(format: "%.3f", hit.distances[j + 1])))")
            }
            lines.append("Query \(paths[q]) (\(queryName)): " + row.joined(separator: ", "))
        }
        let figure = ImageGrid.figure(cells, columns: config.neighbours + 1, cellSize: 150,
                                      title: "Nearest Neighbors in \(space) Feature Space (Cosine Similarity)").render()
        context.progress(2, 2)
        return Outcome(queries: queries, lines: lines, figure: figure, shown: queries.count * config.neighbours, sameClass: same)
    }

    /// The code cell: the source as the study's, the printed lines, and the figure with its caption.
    static func cell(_ outcome: Outcome, source: String, space: String, scaledName: String, config: KNNConfig) -> Cell {
        let caption = "Each row: a query image of this run and its \(config.neighbours) nearest neighbours in scaled \(scaledName) "
            + "(cosine), with their classes; \(outcome.sameClass) of \(outcome.shown) neighbours share the query's class. Images resized to 360x360. "
            + ImageCredit.placeholder
        let alt = "A grid of \(outcome.queries.count) rows of \(config.neighbours + 1) blood-cell images: the query at the left, labelled with its class, "
            + "then its nearest neighbours labelled Neighbor 1 to \(config.neighbours) with their classes."
        return .code(source: source, outputs: [.text("Finding and Visualizing Nearest Neighbors in \(space) Feature Space...\n" + outcome.lines.joined(separator: "\n")),
                                               .figure(FigureOutput(rendered: outcome.figure, caption: caption, alt: alt))])
    }

    /// The study's words under its (ViT) figure.
    static let reference = Cell.reference(
        text: "The figure above displays three query images and their five nearest neighbors, each labeled with their respective blood cell type. The images are preprocessed to 360x360 resolution, and neighbors are identified using cosine similarity in the scaled ViT feature space. The visualization reveals that neighbors share visual characteristics (e.g., shape, color) and class labels with the query, indicating the discriminative power of the features.",
        source: "documented study, after In [178] (ViT features)")
}
