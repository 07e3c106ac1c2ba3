import Dataset
import Foundation
import Imaging
import Learn
import Plot
import Report

/// The study's stratified 70/15/15 split (`Learn.StudySplit`): `train_test_split(test_size=0.3,
/// stratify=label)`, then the 30% halved the same way (In [188]), over the images the audit could
/// read. With `data.images_per_class` > 0 the split is made on a seeded sample of that many images
/// per class. The page has the study's counts-and-proportions figure, a grid of the first images of
/// each part with their classes (In [194]) and the shape of one batch of each data loader (In [198]).
public struct SplitSection: ComputedSection {
    public let id = "split"
    public let title = "Train, validation and test split"
    public let dependencies = ["audit"]
    public let version = 3

    public init() {}

    /// The loader shapes use the CNN's input size and batch size (the study built one set of loaders,
    /// 32 images of 224x224, for its networks).
    public var configKeys: [String] { ["data", "split", "networks.cnn.image_size", "networks.cnn.batch_size"] }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("split", config.split).adding("data", config.data)
            .adding("loader", [config.networks.cnn.imageSize, config.networks.cnn.batchSize])
    }

    /// Images per part in the sample grid (the study's `num_samples=8`).
    static let gridColumns = 8
    /// Side of each thumbnail in the grid, in pixels.
    static let thumbnailSide = 96

    /// One image of a split: its path relative to the dataset folder and its class index.
    public struct Item: Codable, Sendable, Equatable {
        public var path: String
        public var label: Int
    }

    /// The split written as the `split` artifact (`split.json`) for the sections that train models.
    public struct Split: Codable, Sendable, Equatable {
        public var classes: [String]
        public var train: [Item]
        public var validation: [Item]
        public var test: [Item]
    }

    /// One picture of the page: an image of the split at a page's size and its class index.
    public struct Picture: Codable, Sendable, Equatable {
        public var image: StoredRaster
        public var label: Int

        public init(image: StoredRaster, label: Int) { self.image = image; self.label = label }
    }

    /// What the split gave (headlines `split.train`, `split.val`, `split.test`) and the pictures
    /// the page shows, all in train, validation, test order.
    public struct Result: Codable, Sendable, Equatable {
        public var classes: [String]
        /// Images of each class in each part: `counts[part][class]`.
        public var counts: [[Int]]
        /// `data.images_per_class` (0: every image) and the seed of the split.
        public var imagesPerClass: Int
        public var seed: UInt64
        /// Share held out (validation + test), halved between validation and test.
        public var heldOut: Double
        /// The loaders' batch size and image side (the CNN's settings in this profile).
        public var batchSize: Int
        public var imageSize: Int
        /// The study's loaders' batch size and image side (32 and 224, In [186] and In [222]): the
        /// study's loader cells (In [186], [192], [197], [198]) are reproduced with them on this run's split.
        public var studyBatchSize: Int
        public var studySide: Int
        /// The first `gridColumns` images of each part, as thumbnails (In [194]).
        public var firstImages: [[Picture]]
        /// The first image of each part at the study's loader size (In [192]).
        public var firstSamples: [Picture]
        /// The first batch of the study's train loader, which shuffles (seeded here), at its size (In [197]).
        public var trainBatch: [Picture]
        /// Class indices of each loader's first batch (In [198]): the train loader's shuffled, the others in split order.
        public var firstBatchLabels: [[Int]]

        public init(classes: [String], counts: [[Int]], imagesPerClass: Int, seed: UInt64, heldOut: Double, batchSize: Int, imageSize: Int,
                    studyBatchSize: Int, studySide: Int, firstImages: [[Picture]], firstSamples: [Picture], trainBatch: [Picture], firstBatchLabels: [[Int]]) {
            self.classes = classes; self.counts = counts; self.imagesPerClass = imagesPerClass; self.seed = seed; self.heldOut = heldOut
            self.batchSize = batchSize; self.imageSize = imageSize
            self.studyBatchSize = studyBatchSize; self.studySide = studySide; self.firstImages = firstImages; self.firstSamples = firstSamples
            self.trainBatch = trainBatch; self.firstBatchLabels = firstBatchLabels
        }

        /// Images in each part.
        public var sizes: [Int] { counts.map { $0.reduce(0, +) } }
        /// Batches of each of the study's loaders on this run's split: `len(loader)`, ceil(images / its batch size).
        public var batchCounts: [Int] { sizes.map { ($0 + studyBatchSize - 1) / max(1, studyBatchSize) } }
    }

    /// Names of the parts, in the order of every list of a result.
    static let partNames = ["Train", "Validation", "Test"]

    public func compute(_ context: StudyContext) throws -> Result {
        let config = context.config
        guard abs(config.split.validation - config.split.test) < 1e-12 else {
            throw StudyError.badConfig(file: "profile \(config.profile)",
                                       detail: "split.validation and split.test must be equal: the study halves the held-out part")
        }
        let scan = try context.upstream("audit").read(DatasetScan.self, "scan")
        var sampling = context.generator(stream: 1)
        var items: [Item] = []
        for k in scan.classNames.indices {
            var members = scan.items.filter { $0.label == k }
            if config.data.imagesPerClass > 0 && members.count > config.data.imagesPerClass {
                members = Array(members.shuffled(using: &sampling).prefix(config.data.imagesPerClass))
                    .sorted { $0.relativePath < $1.relativePath }
            }
            items += members.map { Item(path: $0.relativePath, label: k) }
        }
        let heldOut = config.split.validation + config.split.test
        let parts = StudySplit(labels: items.map(\.label), seed: context.seed, holdOut: heldOut)
        let split = Split(classes: scan.classNames,
                          train: parts.train.map { items[$0] },
                          validation: parts.validation.map { items[$0] },
                          test: parts.test.map { items[$0] })
        try context.artifacts.write(split, as: "split")
        context.progress(1, 1)

        let loader = config.networks.cnn
        let (studyBatch, studySide) = (DocumentedResults.batchSize, DocumentedResults.loaderImageSide)
        let partItems = [split.train, split.validation, split.test]
        func picture(_ item: Item, side: Int) throws -> Picture {
            let image = try ImageDecoder.decode(contentsOf: context.datasetRoot.appendingPathComponent(item.path))
                .resizedPillowBilinear(width: side, height: side)
            return Picture(image: StoredRaster(width: image.width, height: image.height, channels: 3, pixels: image.pixels), label: item.label)
        }
        // train_loader = DataLoader(train_dataset, batch_size=32, shuffle=True) on Resize((224, 224)):
        // its first batch is the first 32 images of a shuffled order (seeded here); the others do not shuffle.
        var shuffling = context.generator(stream: 2)
        let trainBatch = Array(split.train.shuffled(using: &shuffling).prefix(studyBatch))
        return Result(
            classes: split.classes,
            counts: partItems.map { part in split.classes.indices.map { k in part.reduce(0) { $0 + ($1.label == k ? 1 : 0) } } },
            imagesPerClass: config.data.imagesPerClass, seed: context.seed, heldOut: heldOut,
            batchSize: loader.batchSize, imageSize: loader.imageSize, studyBatchSize: studyBatch, studySide: studySide,
            firstImages: try partItems.map { try $0.prefix(Self.gridColumns).map { try picture($0, side: Self.thumbnailSide) } },
            firstSamples: try partItems.compactMap(\.first).map { try picture($0, side: studySide) },
            trainBatch: try trainBatch.map { try picture($0, side: studySide) },
            firstBatchLabels: [trainBatch.map(\.label)] + [split.validation, split.test].map { $0.prefix(studyBatch).map(\.label) })
    }

    public func page(_ result: Result) -> SectionResult {
        let sizes = result.sizes
        let (train, validation, test) = (sizes[0], sizes[1], sizes[2])
        func text(_ v: Int?) -> String { v.map { JSONValue.int($0).description } ?? "—" }
        func plain(_ key: String) -> String { DocumentedResults.int(key).map(String.init) ?? "—" }
        var rows: [[String]] = []
        for (k, name) in result.classes.enumerated() {
            let doc = DocumentedResults.splitPerClass[name]
            rows.append([name, text(result.counts[0][k]), text(result.counts[1][k]), text(result.counts[2][k]),
                         text(doc?.train), text(doc?.validation), text(doc?.test)])
        }
        rows.append(["total", text(train), text(validation), text(test),
                     text(DocumentedResults.int("split.train")), text(DocumentedResults.int("split.val")),
                     text(DocumentedResults.int("split.test"))])
        let table = Table(caption: "Images per class in each part, this run beside the documented study",
                          columns: ["Class", "Train", "Validation", "Test", "Documented train", "Documented validation", "Documented test"],
                          rows: rows, note: "Documented counts: \(DocumentedResults.splitPerClassSource) and In [190].")
        let bars = Charts.splitBars(splits: Self.partNames, classes: result.classes, counts: result.counts.map { $0.map(Double.init) }).render()
        let barsFigure = FigureOutput(
            rendered: bars,
            caption: "This run's split: images per class in each part (left) and each class's share of its part (right).",
            alt: "Two grouped bar charts over Train, Validation and Test with one bar per class: counts on the left, proportions on the right.")
        let grid = Self.sampleGrid(result)
        let shapes = zip(Self.partNames, sizes).map { name, size in
            "\(name) DataLoader shape: (\(min(result.batchSize, size)), 3, \(result.imageSize), \(result.imageSize))"
        }
        let n = sizes.reduce(0, +)
        func pct(_ part: Int) -> String { String(format: "%.1f%%", 100 * Double(part) / Double(max(1, n))) }
        let sample = result.imagesPerClass > 0
            ? "a seeded sample of \(result.imagesPerClass) images per class (\(JSONValue.int(n).description) in all)"
            : "all \(JSONValue.int(n).description) images"
        let narrative = """
            ## Stratified split

            This run split \(sample) into **\(JSONValue.int(train).description)** training images \
            (\(pct(train))), **\(JSONValue.int(validation).description)** validation images \
            (\(pct(validation))) and **\(JSONValue.int(test).description)** test images \
            (\(pct(test))). Each class keeps its share of the whole in every part, so the class \
            imbalance is the same in training and evaluation.
            """
        let source = """
            split = StudySplit(labels, seed=\(result.seed), hold_out=\(result.heldOut))
            # train_test_split(test_size=\(result.heldOut), stratify=labels), then the held-out part halved the same way
            """
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: source, outputs: [
                    .text("Train set size: \(train)\nValidation set size: \(validation)\nTest set size: \(test)"),
                    .table(table),
                    .figure(barsFigure),
                ]),
                .code(source: "check_split_proportions(df, train, temp, validation, test)  # len(part) / len(df)",
                      outputs: [.text(Self.proportions(sizes)), .table(Self.proportionTable(sizes))]),
                .markdown("""
                    ## One sample of each part

                    The first image of each part at the study's loader size, \(result.studySide)x\(result.studySide) pixels, titled as the study's \
                    `plot_one_sample` titles them (In [192]).
                    """),
                .code(source: "plot_one_sample(train, validation, test)", outputs: [.figure(Self.oneSampleFigure(result))]),
                .markdown("""
                    ## Samples of each part

                    The first \(Self.gridColumns) images of each part, as the study shows them (In [194]), with their classes.
                    """),
                .code(source: "plot_multiple_samples(train, validation, test, num_samples=\(Self.gridColumns))", outputs: [.figure(grid)]),
                .markdown("""
                    ## What the data loaders give

                    One batch of each loader the networks read: \(result.batchSize) images (fewer when a part is smaller) \
                    of 3 colour channels at \(result.imageSize)x\(result.imageSize) pixels (the CNN's settings in this \
                    profile), channels first as PyTorch's NCHW.
                    """),
                .code(source: "next(iter(loader)).shape  # for the train, validation and test loaders, batch_size=\(result.batchSize)",
                      outputs: [.text(shapes.joined(separator: "\n"))]),
            ] + Self.loaderCells(result) + [
                .reference(text: "Train DataLoader shape: torch.Size([\(DocumentedResults.batchSize), 3, \(DocumentedResults.loaderImageSide), \(DocumentedResults.loaderImageSide)]). Validation DataLoader shape: torch.Size([\(DocumentedResults.batchSize), 3, \(DocumentedResults.loaderImageSide), \(DocumentedResults.loaderImageSide)]). Test DataLoader shape: torch.Size([\(DocumentedResults.batchSize), 3, \(DocumentedResults.loaderImageSide), \(DocumentedResults.loaderImageSide)]).",
                           source: "documented study, In [198]"),
                .reference(text: "Train set size: \(plain("split.train")). Validation set size: \(plain("split.val")). Test set size: \(plain("split.test")). These proportions are very consistent across all three splits, suggesting that the data was split effectively.",
                           source: "documented study, In [188]–[190]"),
            ],
            headlines: [
                Headline("split.train", .int(train)),
                Headline("split.val", .int(validation)),
                Headline("split.test", .int(test)),
            ])
    }

    /// The first `gridColumns` images of each part, one row per part, each titled with its class
    /// (`plot_multiple_samples`, In [194]).
    static func sampleGrid(_ result: Result) -> FigureOutput {
        var cells: [ImageCell] = []
        for (name, pictures) in zip(partNames, result.firstImages) {
            for (column, picture) in pictures.enumerated() {
                cells.append(ImageCell(image: picture.image.raster, title: result.classes[picture.label], rowLabel: column == 0 ? name : nil))
            }
        }
        let rendered = ImageGrid.figure(cells, columns: gridColumns, cellSize: 110, title: "Samples of the train, validation and test parts").render()
        return FigureOutput(
            rendered: rendered,
            caption: "The first \(gridColumns) images of the train, validation and test parts of this run's split, titled with their classes. "
                + ImageCredit.placeholder,
            alt: "A grid of \(cells.count) blood-cell images in \(result.firstImages.count) rows (Train, Validation, Test), each titled with its class.")
    }
}
