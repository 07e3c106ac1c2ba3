import Foundation
import Imaging
import Learn
import Plot
import Report
import Tensor

/// The study's nearest-neighbour figure (In [177]–[178]) for any feature matrix: seeded query rows,
/// their `knn.neighbours` nearest rows by cosine distance between standardised rows, the images
/// shown at 360x360 RGB, and the share of neighbours with the query's class. The HOG and the
/// deep-feature pages both make it; only the features and the words differ. `compute` searches and
/// keeps the pictures; `cell` draws the page's code cell from them.
public struct NeighbourQueries: Codable, Sendable, Equatable {
    /// Feature space named in the figure's title ("HOG": "Nearest Neighbors in HOG Feature Space").
    public var space: String
    public var neighbours: Int
    /// Images searched, and the queries asked for (`knn.queries`).
    public var images: Int
    public var asked: Int
    /// The query rows.
    public var queries: [Int]
    /// One line per query: its path and class, then each neighbour's class and distance.
    public var lines: [String]
    /// The grid row by row: each query's image, then its neighbours', with their class names.
    public var pictures: [StoredRaster]
    public var pictureClasses: [String]
    /// Neighbours shown, and how many of them have the query's class.
    public var shown: Int
    public var sameClass: Int
    public var share: Double { Double(sameClass) / Double(max(1, shown)) }

    public init(space: String, neighbours: Int, images: Int, asked: Int, queries: [Int], lines: [String], pictures: [StoredRaster], pictureClasses: [String],
                shown: Int, sameClass: Int) {
        self.space = space; self.neighbours = neighbours; self.images = images; self.asked = asked; self.queries = queries; self.lines = lines
        self.pictures = pictures; self.pictureClasses = pictureClasses; self.shown = shown; self.sameClass = sameClass
    }

    /// Runs the search over the rows of `x` (image `paths` relative to the dataset folder, class
    /// index per row in `labels`) and reads the pictures. Progress: 0 of 2 before, 1 after the
    /// search, 2 after the pictures.
    static func compute(_ x: Matrix<Float>, paths: [String], labels: [Int], classes: [String], config: KNNConfig, space: String,
                        context: StudyContext) throws -> NeighbourQueries {
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

        func picture(_ i: Int) throws -> StoredRaster {
            let image = try ImageDecoder.decode(contentsOf: context.datasetRoot.appendingPathComponent(paths[i])).rgb()
                .resizedOpenCVLinear(width: StudyPreprocessing.hogSide, height: StudyPreprocessing.hogSide)
            return StoredRaster(width: image.width, height: image.height, channels: 3, pixels: image.pixels)
        }
        var pictures: [StoredRaster] = [], pictureClasses: [String] = [], lines: [String] = [], same = 0
        for (q, hit) in zip(queries, found) {
            let queryName = classes[labels[q]]
            pictures.append(try picture(q)); pictureClasses.append(queryName)
            var row: [String] = []
            // The study shows indices[0, 1...n_neighbors]: position 0 is the query itself.
            for (j, i) in hit.indices.dropFirst().enumerated() {
                let name = classes[labels[i]]
                if name == queryName { same += 1 }
                pictures.append(try picture(i)); pictureClasses.append(name)
                row.append("\(name) (\(String(format: "%.3f", hit.distances[j + 1])))")
            }
            lines.append("Query \(paths[q]) (\(queryName)): " + row.joined(separator: ", "))
        }
        context.progress(2, 2)
        return NeighbourQueries(space: space, neighbours: config.neighbours, images: n, asked: config.queries, queries: queries, lines: lines, pictures: pictures,
                                pictureClasses: pictureClasses, shown: queries.count * config.neighbours, sameClass: same)
    }

    /// The grid titled "Nearest Neighbors in `space` Feature Space": each row a query, then its neighbours.
    func figure() -> RenderedFigure {
        let columns = neighbours + 1
        let cells = zip(pictures, pictureClasses).enumerated().map { k, picture in
            let (raster, name) = picture
            let position = k % columns
            return ImageCell(image: raster.raster, caption: position == 0 ? Caption("Query: \(name)", color: .black)
                                                                            : Caption("Neighbor \(position)\n\(name)"))
        }
        return ImageGrid.figure(cells, columns: columns, cellSize: 150,
                                title: "Nearest Neighbors in \(space) Feature Space (Cosine Similarity)").render()
    }

    /// The code cell: the source as the study's, the printed lines (announcing the search in
    /// `printedSpace`, "Deep" or "HOG"), and the figure with its caption.
    func cell(source: String, scaledName: String, printedSpace: String) -> Cell {
        let caption = "Each row: a query image of this run and its \(neighbours) nearest neighbours in scaled \(scaledName) "
            + "(cosine), with their classes; \(sameClass) of \(shown) neighbours share the query's class. Images resized to 360x360. "
            + ImageCredit.placeholder
        let alt = "A grid of \(queries.count) rows of \(neighbours + 1) blood-cell images: the query at the left, labelled with its class, "
            + "then its nearest neighbours labelled Neighbor 1 to \(neighbours) with their classes."
        return .code(source: source, outputs: [.text("Finding and Visualizing Nearest Neighbors in \(printedSpace) Feature Space...\n" + lines.joined(separator: "\n")),
                                               .figure(FigureOutput(rendered: figure(), caption: caption, alt: alt))])
    }

    /// The study's words under its (ViT) figure.
    static let reference = Cell.reference(
        text: "The figure above displays three query images and their five nearest neighbors, each labeled with their respective blood cell type. The images are preprocessed to 360x360 resolution, and neighbors are identified using cosine similarity in the scaled ViT feature space. The visualization reveals that neighbors share visual characteristics (e.g., shape, color) and class labels with the query, indicating the discriminative power of the features.",
        source: "documented study, after In [178] (ViT features)")
}
