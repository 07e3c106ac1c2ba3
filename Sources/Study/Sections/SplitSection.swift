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
public struct SplitSection: StudySection {
    public let id = "split"
    public let title = "Train, validation and test split"
    public let dependencies = ["audit"]
    public let version = 2

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

    public func run(_ context: StudyContext) throws -> SectionResult {
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

        func count(_ part: [Item], _ k: Int) -> Int { part.reduce(0) { $0 + ($1.label == k ? 1 : 0) } }
        func text(_ v: Int?) -> String { v.map { JSONValue.int($0).description } ?? "—" }
        var rows: [[String]] = []
        for (k, name) in split.classes.enumerated() {
            let doc = DocumentedResults.splitPerClass[name]
            rows.append([name, text(count(split.train, k)), text(count(split.validation, k)), text(count(split.test, k)),
                         text(doc?.train), text(doc?.validation), text(doc?.test)])
        }
        rows.append(["total", text(split.train.count), text(split.validation.count), text(split.test.count),
                     text(DocumentedResults.int("split.train")), text(DocumentedResults.int("split.val")),
                     text(DocumentedResults.int("split.test"))])
        let table = Table(caption: "Images per class in each part, this run beside the documented study",
                          columns: ["Class", "Train", "Validation", "Test", "Documented train", "Documented validation", "Documented test"],
                          rows: rows, note: "Documented counts: \(DocumentedResults.splitPerClassSource) and In [190].")
        let partList: [(name: String, items: [Item])] = [("Train", split.train), ("Validation", split.validation), ("Test", split.test)]
        let counts = partList.map { part in split.classes.indices.map { Double(count(part.items, $0)) } }
        let bars = Charts.splitBars(splits: partList.map(\.name), classes: split.classes, counts: counts).render()
        let barsFigure = FigureOutput(
            rendered: bars,
            caption: "This run's split: images per class in each part (left) and each class's share of its part (right).",
            alt: "Two grouped bar charts over Train, Validation and Test with one bar per class: counts on the left, proportions on the right.")
        let grid = try Self.sampleGrid(partList, classes: split.classes, root: context.datasetRoot)
        let loader = context.config.networks.cnn
        let shapes = partList.map { part in
            "\(part.name) DataLoader shape: (\(min(loader.batchSize, part.items.count)), 3, \(loader.imageSize), \(loader.imageSize))"
        }
        let n = items.count
        func pct(_ part: Int) -> String { String(format: "%.1f%%", 100 * Double(part) / Double(max(1, n))) }
        let sample = config.data.imagesPerClass > 0
            ? "a seeded sample of \(config.data.imagesPerClass) images per class (\(JSONValue.int(n).description) in all)"
            : "all \(JSONValue.int(n).description) images"
        let narrative = """
            ## Stratified split

            This run split \(sample) into **\(JSONValue.int(split.train.count).description)** training images \
            (\(pct(split.train.count))), **\(JSONValue.int(split.validation.count).description)** validation images \
            (\(pct(split.validation.count))) and **\(JSONValue.int(split.test.count).description)** test images \
            (\(pct(split.test.count))). Each class keeps its share of the whole in every part, so the class \
            imbalance is the same in training and evaluation.
            """
        let source = """
            split = StudySplit(labels, seed=\(context.seed), hold_out=\(heldOut))
            # train_test_split(test_size=\(heldOut), stratify=labels), then the held-out part halved the same way
            """
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: source, outputs: [
                    .text("Train set size: \(split.train.count)\nValidation set size: \(split.validation.count)\nTest set size: \(split.test.count)"),
                    .table(table),
                    .figure(barsFigure),
                ]),
                .markdown("""
                    ## Samples of each part

                    The first \(Self.gridColumns) images of each part, as the study shows them (In [194]), with their classes.
                    """),
                .code(source: "plot_multiple_samples(train, validation, test, num_samples=\(Self.gridColumns))", outputs: [.figure(grid)]),
                .markdown("""
                    ## What the data loaders give

                    One batch of each loader the networks read: \(loader.batchSize) images (fewer when a part is smaller) \
                    of 3 colour channels at \(loader.imageSize)x\(loader.imageSize) pixels (the CNN's settings in this \
                    profile), channels first as PyTorch's NCHW.
                    """),
                .code(source: "next(iter(loader)).shape  # for the train, validation and test loaders, batch_size=\(loader.batchSize)",
                      outputs: [.text(shapes.joined(separator: "\n"))]),
                .reference(text: "Train DataLoader shape: torch.Size([32, 3, 224, 224]). Validation DataLoader shape: torch.Size([32, 3, 224, 224]). Test DataLoader shape: torch.Size([32, 3, 224, 224]).",
                           source: "documented study, In [198]"),
                .reference(text: "Train set size: 11964. Validation set size: 2564. Test set size: 2564. These proportions are very consistent across all three splits, suggesting that the data was split effectively.",
                           source: "documented study, In [188]–[190]"),
            ],
            headlines: [
                Headline("split.train", .int(split.train.count)),
                Headline("split.val", .int(split.validation.count)),
                Headline("split.test", .int(split.test.count)),
            ])
    }

    /// The first `gridColumns` images of each part, one row per part, each titled with its class
    /// (`plot_multiple_samples`, In [194]).
    static func sampleGrid(_ parts: [(name: String, items: [Item])], classes: [String], root: URL) throws -> FigureOutput {
        var cells: [ImageCell] = []
        var shown = 0
        for part in parts {
            for (column, item) in part.items.prefix(gridColumns).enumerated() {
                let image = try ImageDecoder.decode(contentsOf: root.appendingPathComponent(item.path))
                    .resizedPillowBilinear(width: thumbnailSide, height: thumbnailSide)
                cells.append(ImageCell(image: Raster(width: image.width, height: image.height, channels: 3, pixels: image.pixels),
                                       title: classes[item.label], rowLabel: column == 0 ? part.name : nil))
                shown += 1
            }
        }
        let rendered = ImageGrid.figure(cells, columns: gridColumns, cellSize: 110, title: "Samples of the train, validation and test parts").render()
        return FigureOutput(
            rendered: rendered,
            caption: "The first \(gridColumns) images of the train, validation and test parts of this run's split, titled with their classes. "
                + ImageCredit.placeholder,
            alt: "A grid of \(shown) blood-cell images in \(parts.count) rows (Train, Validation, Test), each titled with its class.")
    }
}
