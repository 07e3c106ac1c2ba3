import Dataset
import Foundation
import Imaging
import Plot
import Report

/// HOG features of the EDA images (In [171]–[174]): `skimage.feature.hog` with the profile's
/// parameters (the study: 9 orientations, 10x10-pixel cells, 2x2-cell blocks, L2-Hys) on the
/// 360x360 grey image `cv2.imread -> BGR2GRAY -> cv2.resize`, extracted in parallel; and the
/// image / grey / HOG-visualisation figure for `hog.gallery_samples` seeded images.
///
/// Artifacts: `sample` (``EDASample``: which images, in row order) and `hog` (Float32 matrix
/// `(n, hog length)`, for the whole dataset 17,092 x 44,100 = 3 GB).
public struct HOGSection: ComputedSection {
    public let id = "hog"
    public let title = "HOG features"
    public let dependencies = ["audit"]
    public let version = 2

    public init() {}

    public var configKeys: [String] { ["hog", "data", "eda"] }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("hog", config.hog).adding("data", config.data).adding("eda", config.eda)
    }

    /// The HOG of a profile's settings.
    static func hog(_ config: HOGConfig) throws -> HOG {
        guard let norm = HOG.BlockNorm(rawValue: config.blockNorm) else {
            throw StudyError.badConfig(file: "profile", detail: "hog.block_norm '\(config.blockNorm)' is not one of "
                                       + HOG.BlockNorm.allCases.map(\.rawValue).joined(separator: ", "))
        }
        return HOG(orientations: config.orientations, pixelsPerCell: (config.pixelsPerCell, config.pixelsPerCell),
                   cellsPerBlock: (config.cellsPerBlock, config.cellsPerBlock), blockNorm: norm)
    }

    /// The study's HOG input at `side` (`loadStudyGrey360` when `side` is 360).
    static func grey(_ url: URL, side: Int) throws -> Image {
        side == StudyPreprocessing.hogSide ? try loadStudyGrey360(url)
            : try ImageDecoder.decode(contentsOf: url).grayscaleOpenCV().resizedOpenCVLinear(width: side, height: side)
    }

    /// One row of the gallery: a seeded image, its grey version and its HOG drawing.
    public struct GalleryRow: Codable, Sendable, Equatable {
        public var path: String
        public var className: String
        public var color: StoredRaster
        public var grey: StoredRaster
        public var hog: StoredRaster

        public init(path: String, className: String, color: StoredRaster, grey: StoredRaster, hog: StoredRaster) {
            self.path = path; self.className = className; self.color = color; self.grey = grey; self.hog = hog
        }
    }

    /// What the extraction gave (headline `hog.length`) and the gallery's pictures.
    public struct Result: Codable, Sendable, Equatable {
        /// Images described, "all 17,092 readable images" or the sample's description.
        public var images: Int
        public var sampleDescription: String
        /// Numbers per image.
        public var length: Int
        public var settings: HOGConfig
        /// The block norm as the code names it (`L2Hys`).
        public var blockNormName: String
        public var seconds: Double
        public var gallery: [GalleryRow]

        public init(images: Int, sampleDescription: String, length: Int, settings: HOGConfig, blockNormName: String, seconds: Double,
                    gallery: [GalleryRow]) {
            self.images = images; self.sampleDescription = sampleDescription; self.length = length; self.settings = settings
            self.blockNormName = blockNormName; self.seconds = seconds; self.gallery = gallery
        }
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let config = context.config
        let scan = try context.upstream("audit").read(DatasetScan.self, "scan")
        let perClass = EDASample.perClassLimit(config)
        var sampling = context.generator(stream: 1)
        let sample = EDASample.draw(from: scan, perClass: perClass, using: &sampling)
        let hog = try Self.hog(config.hog)
        let side = config.hog.imageSize
        let urls = sample.paths.map { context.datasetRoot.appendingPathComponent($0) }
        let n = urls.count
        let started = Date()
        let matrix = try hog.featureMatrix(count: n, width: side, height: side, image: { try Self.grey(urls[$0], side: side) },
                                           progress: { context.progress($0, n) })
        let seconds = Date().timeIntervalSince(started)
        try context.artifacts.write(sample, as: "sample")
        try context.artifacts.write(matrix: matrix, as: "hog")

        // The study's figure: `np.random.choice(len(df), num_samples, replace=False)` -> seeded here.
        var picking = context.generator(stream: 2)
        let picks = Array((0..<n).shuffled(using: &picking).prefix(config.hog.gallerySamples))
        let gallery = try picks.map { i in
            let s = try hog.sample(contentsOf: urls[i], side: side)
            return GalleryRow(path: sample.paths[i], className: sample.classes[sample.labels[i]],
                              color: StoredRaster(width: side, height: side, channels: 3, pixels: s.color.pixels),
                              grey: StoredRaster(width: side, height: side, channels: 1, pixels: s.grey.pixels),
                              hog: StoredRaster(width: side, height: side, channels: 1,
                                                pixels: s.visualization.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }))
        }
        return Result(images: n, sampleDescription: sample.describe(perClass: perClass), length: matrix.columns, settings: config.hog,
                      blockNormName: "\(hog.blockNorm)", seconds: seconds, gallery: gallery)
    }

    public func page(_ result: Result) -> SectionResult {
        let config = result.settings, n = result.images, side = config.imageSize
        var cells: [ImageCell] = []
        for row in result.gallery {
            cells.append(ImageCell(image: row.color.raster, caption: Caption("Original Image\nLabel: \(row.className)")))
            cells.append(ImageCell(image: row.grey.raster, caption: Caption("Grayscale Image")))
            cells.append(ImageCell(image: row.hog.raster, caption: Caption("HOG Visualization")))
        }
        let shown = result.gallery.map { "\($0.path) (\($0.className))" }.joined(separator: ", ")
        let figure = ImageGrid.figure(cells, columns: 3, cellSize: 220).render()
        let length = result.length
        let cellsPerSide = side / config.pixelsPerCell, blocksPerSide = cellsPerSide - config.cellsPerBlock + 1
        let narrative = """
            ## Histogram of oriented gradients

            Each of \(result.sampleDescription) is read as the study does (`cv2.imread`, \
            grey, resized to \(side)x\(side) with `INTER_LINEAR`) and described by HOG with \
            \(config.orientations) orientations, \(config.pixelsPerCell)x\(config.pixelsPerCell)-pixel \
            cells and \(config.cellsPerBlock)x\(config.cellsPerBlock)-cell blocks normalised with \
            \(config.blockNorm): \(cellsPerSide)x\(cellsPerSide) cells give \(blocksPerSide)x\(blocksPerSide) \
            overlapping blocks of \(config.cellsPerBlock * config.cellsPerBlock * config.orientations) \
            values, **\(Fmt.int(length))** numbers per image. Extraction took \(Fmt.seconds(result.seconds)) on this machine.
            """
        let source = """
            hog = HOG(orientations: \(config.orientations), pixelsPerCell: (\(config.pixelsPerCell), \(config.pixelsPerCell)), \
            cellsPerBlock: (\(config.cellsPerBlock), \(config.cellsPerBlock)), blockNorm: .\(result.blockNormName))
            features = hog.featureMatrix(images.map { loadStudyGrey360($0) })   // in parallel over the cores
            print("HOG Features Extracted. Shape: (\\(features.rows), \\(features.columns))")
            """
        let gallerySource = """
            // visualize_hog_samples(num_samples=\(config.gallerySamples)): \
            seeded picks, colour 360x360, its grey, rescale_intensity(hog_image, in_range=(0, 10))
            grid = ImageGrid.figure(samples.flatMap { [$0.color, $0.grey, $0.visualization] }, columns: 3)
            """
        let caption = "\(result.gallery.count) seeded images of this run (\(shown)): the resized colour image, its grey "
            + "version and the HOG visualisation (gradient strength per orientation drawn as lines in each cell, "
            + "rescaled to the range 0–10). " + ImageCredit.placeholder
        let alt = "A grid of \(result.gallery.count) rows and 3 columns: each row shows a blood-cell image, the same image in grey, "
            + "and its HOG visualisation, bright where gradients are strong, mostly on the cell outline."
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: source, outputs: [.text("Extracting HOG features...\nHOG Features Extracted. Shape: (\(n), \(length))")]),
                .reference(text: "HOG Features Extracted. Shape: (\(DocumentedResults.studyImages), \(DocumentedResults.hogFeatureLength))",
                           source: "documented study, In [172]"),
                .code(source: gallerySource, outputs: [.text("Visualizing HOG Features on Sample Images..."),
                                                       .figure(FigureOutput(rendered: figure, caption: caption, alt: alt))]),
                .reference(text: "We can see that the gradients are almost unnoticable without a clear direction on the clear background that do not have any angle changes.",
                           source: "documented study, after In [174]"),
            ],
            headlines: [Headline("hog.length", .int(length))])
    }
}
