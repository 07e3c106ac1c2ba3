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
public struct HOGSection: StudySection {
    public let id = "hog"
    public let title = "HOG features"
    public let dependencies = ["audit"]
    public let version = 1

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

    public func run(_ context: StudyContext) throws -> SectionResult {
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
        var cells: [ImageCell] = []
        for i in picks {
            let s = try hog.sample(contentsOf: urls[i], side: side)
            let name = sample.classes[sample.labels[i]]
            cells.append(ImageCell(image: Raster(width: side, height: side, channels: 3, pixels: s.color.pixels),
                                   caption: Caption("Original Image\nLabel: \(name)")))
            cells.append(ImageCell(image: Raster(width: side, height: side, channels: 1, pixels: s.grey.pixels),
                                   caption: Caption("Grayscale Image")))
            let hogPixels = s.visualization.map { UInt8((min(max($0, 0), 1) * 255).rounded()) }
            cells.append(ImageCell(image: Raster(width: side, height: side, channels: 1, pixels: hogPixels),
                                   caption: Caption("HOG Visualization")))
        }
        let shown = picks.map { "\(sample.paths[$0]) (\(sample.classes[sample.labels[$0]]))" }.joined(separator: ", ")
        let figure = ImageGrid.figure(cells, columns: 3, cellSize: 220).render()
        let length = matrix.columns
        let cellsPerSide = side / config.hog.pixelsPerCell, blocksPerSide = cellsPerSide - config.hog.cellsPerBlock + 1
        let narrative = """
            ## Histogram of oriented gradients

            Each of \(sample.describe(perClass: perClass)) is read as the study does (`cv2.imread`, \
            grey, resized to \(side)x\(side) with `INTER_LINEAR`) and described by HOG with \
            \(config.hog.orientations) orientations, \(config.hog.pixelsPerCell)x\(config.hog.pixelsPerCell)-pixel \
            cells and \(config.hog.cellsPerBlock)x\(config.hog.cellsPerBlock)-cell blocks normalised with \
            \(config.hog.blockNorm): \(cellsPerSide)x\(cellsPerSide) cells give \(blocksPerSide)x\(blocksPerSide) \
            overlapping blocks of \(config.hog.cellsPerBlock * config.hog.cellsPerBlock * config.hog.orientations) \
            values, **\(Fmt.int(length))** numbers per image. Extraction took \(Fmt.seconds(seconds)) on this machine.
            """
        let source = """
            hog = HOG(orientations: \(config.hog.orientations), pixelsPerCell: (\(config.hog.pixelsPerCell), \(config.hog.pixelsPerCell)), \
            cellsPerBlock: (\(config.hog.cellsPerBlock), \(config.hog.cellsPerBlock)), blockNorm: .\(hog.blockNorm))
            features = hog.featureMatrix(images.map { loadStudyGrey360($0) })   // in parallel over the cores
            print("HOG Features Extracted. Shape: (\\(features.rows), \\(features.columns))")
            """
        let gallerySource = """
            // visualize_hog_samples(num_samples=\(config.hog.gallerySamples)): \
            seeded picks, colour 360x360, its grey, rescale_intensity(hog_image, in_range=(0, 10))
            grid = ImageGrid.figure(samples.flatMap { [$0.color, $0.grey, $0.visualization] }, columns: 3)
            """
        let caption = "\(picks.count) seeded images of this run (\(shown)): the resized colour image, its grey "
            + "version and the HOG visualisation (gradient strength per orientation drawn as lines in each cell, "
            + "rescaled to the range 0–10). " + ImageCredit.placeholder
        let alt = "A grid of \(picks.count) rows and 3 columns: each row shows a blood-cell image, the same image in grey, "
            + "and its HOG visualisation, bright where gradients are strong, mostly on the cell outline."
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: source, outputs: [.text("Extracting HOG features...\nHOG Features Extracted. Shape: (\(n), \(length))")]),
                .reference(text: "HOG Features Extracted. Shape: (17092, 44100)", source: "documented study, In [172]"),
                .code(source: gallerySource, outputs: [.text("Visualizing HOG Features on Sample Images..."),
                                                       .figure(FigureOutput(rendered: figure, caption: caption, alt: alt))]),
                .reference(text: "We can see that the gradients are almost unnoticable without a clear direction on the clear background that do not have any angle changes.",
                           source: "documented study, after In [174]"),
            ],
            headlines: [Headline("hog.length", .int(length))])
    }
}
