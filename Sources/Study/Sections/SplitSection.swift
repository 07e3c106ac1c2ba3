import Dataset
import Foundation
import Learn
import Report

/// The study's stratified 70/15/15 split (`Learn.StudySplit`): `train_test_split(test_size=0.3,
/// stratify=label)`, then the 30% halved the same way (In [188]), over the images the audit could
/// read. With `data.images_per_class` > 0 the split is made on a seeded sample of that many images
/// per class.
public struct SplitSection: StudySection {
    public let id = "split"
    public let title = "Train, validation and test split"
    public let dependencies = ["audit"]
    public let version = 1

    public init() {}

    public var configKeys: [String] { ["data", "split"] }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("split", config.split).adding("data", config.data)
    }

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

    /// The documented per-class split counts (In [191]): train, validation, test.
    static let documented: [String: (Int, Int, Int)] = [
        "basophil": (853, 183, 182), "eosinophil": (2182, 467, 468), "erythroblast": (1086, 232, 233),
        "ig": (2026, 435, 434), "lymphocyte": (850, 182, 182), "monocyte": (994, 213, 213),
        "neutrophil": (2330, 500, 499), "platelet": (1643, 352, 353),
    ]

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
        var rows: [[String]] = []
        for (k, name) in split.classes.enumerated() {
            let doc = Self.documented[name]
            rows.append([name,
                         JSONValue.int(count(split.train, k)).description, JSONValue.int(count(split.validation, k)).description,
                         JSONValue.int(count(split.test, k)).description,
                         doc.map { JSONValue.int($0.0).description } ?? "—", doc.map { JSONValue.int($0.1).description } ?? "—",
                         doc.map { JSONValue.int($0.2).description } ?? "—"])
        }
        rows.append(["total", JSONValue.int(split.train.count).description, JSONValue.int(split.validation.count).description,
                     JSONValue.int(split.test.count).description, "11,964", "2,564", "2,564"])
        let table = Table(caption: "Images per class in each part, this run beside the documented study",
                          columns: ["Class", "Train", "Validation", "Test", "Documented train", "Documented validation", "Documented test"],
                          rows: rows)
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
                ]),
                .reference(text: "Train set size: 11964. Validation set size: 2564. Test set size: 2564. These proportions are very consistent across all three splits, suggesting that the data was split effectively.",
                           source: "documented study, In [188]–[190]"),
            ],
            headlines: [
                Headline("split.train", .int(split.train.count)),
                Headline("split.val", .int(split.validation.count)),
                Headline("split.test", .int(split.test.count)),
            ])
    }
}
