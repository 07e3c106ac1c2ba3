import Dataset
import Foundation
import Report

/// What the documented study printed, under the stable keys of `results.json`: the one place a
/// documented value may come from.
///
/// Every number here is a reference value read off the documented notebook; it is shown beside
/// this run's number and never used in any computation. Each entry says where it is printed
/// (`cell`, `source`) and what it measures (`definition`: which average, over which images). A
/// `nil` value means the study does not state that number; the key is still reported for this run.
///
/// Other files add documented values as `DocumentedResults+<Area>.swift` extensions; a test
/// (`DocumentedLiteralTests`) fails when one of these values is written as a literal anywhere
/// else in `Sources/`, and another (`ResultsSchemaTests`) keeps `docs/results-schema.md` equal to
/// the table.
public enum DocumentedResults {
    public struct Entry: Sendable {
        public var key: String
        public var label: String
        public var value: JSONValue
        /// Where in the notebook, as shown on the pages ("In [184]", "[Test] line").
        public var source: String
        /// The notebook cell that prints the value ("In [184]"; the networks' cells have no
        /// execution count and are named by their call); nil when the value is not printed.
        public var cell: String?
        /// What the number measures: which average, over which images, printed how.
        public var definition: String

        /// `cell` defaults to the first `In [n]` that `source` names (none for a value not printed).
        public init(key: String, label: String, value: JSONValue, source: String, cell: String? = nil,
                    definition: String = "") {
            self.key = key
            self.label = label
            self.value = value
            self.source = source
            self.cell = cell ?? (value == .null ? nil : Self.firstCell(in: source))
            self.definition = definition
        }

        /// The first `In [n]` of `text`.
        static func firstCell(in text: String) -> String? {
            guard let start = text.range(of: "In [") else { return nil }
            guard let end = text[start.upperBound...].firstIndex(of: "]") else { return nil }
            let number = text[start.upperBound..<end]
            return !number.isEmpty && number.allSatisfy(\.isNumber) ? String(text[start.lowerBound...end]) : nil
        }
    }

    /// Model keys and display names, in the order the study presents them.
    public static let models: [(key: String, name: String)] = [
        ("logistic_regression", "Logistic regression (ViT features)"),
        ("decision_tree", "Decision tree (ViT features)"),
        ("simple_nn", "Simple NN"),
        ("light_cnn", "Light CNN"),
        ("cnn", "CNN"),
        ("resnet18", "ResNet18"),
        ("vit", "ViT-B/16"),
    ]

    /// Every documented key of `results.json`, in the order the report lists them. An extension
    /// file (`DocumentedResults+<Area>.swift`) that documents more keys defines its `[Entry]` list
    /// and joins it here, so that the keys appear in every run and in docs/results-schema.md.
    public static let entries: [Entry] = dataEntries + explorationEntries + modelEntries + featureModelEntries

    public static func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }

    /// An integer documented value (`entry(key)` holding an int), nil when the study states none.
    public static func int(_ key: String) -> Int? {
        if case let .int(v)? = entry(key)?.value { return v }
        return nil
    }

    /// The documented ViT feature PCA counts by variance threshold (In [183] and the text after it).
    public static var pcaViTComponents: [Double: Int] {
        var out: [Double: Int] = [:]
        if let n = int("pca.vit.n95") { out[0.95] = n }
        if let n = int("pca.vit.n99") { out[0.99] = n }
        return out
    }

    /// The documented HOG PCA component counts by share of variance (`pca.hog.n95`, `pca.hog.n99`).
    public static var pcaHOGComponents: [Double: Int] {
        var out: [Double: Int] = [:]
        if let n = int("pca.hog.n95") { out[0.95] = n }
        if let n = int("pca.hog.n99") { out[0.99] = n }
        return out
    }

    /// The number of images the documented HOG PCA was fitted on (`pca.hog.samples`).
    public static var pcaHOGImages: Int { int("pca.hog.samples") ?? 0 }

    // MARK: Counts per class

    /// Where `classCounts` comes from.
    public static let classCountsSource = "documented study, In [170] (eda_df['label'].value_counts())"

    /// Images per class in the documented study: rows of the study's data frame (every image file of
    /// the class folder) by label, In [170]. They add up to `dataset.valid_images`.
    public static let classCounts: [String: Int] = [
        "basophil": 1218, "eosinophil": 3117, "erythroblast": 1551, "ig": 2895,
        "lymphocyte": 1214, "monocyte": 1420, "neutrophil": 3329, "platelet": 2348,
    ]

    /// The documented counts in the form the data audit (module `Dataset`, which knows no study)
    /// takes them.
    public static var auditCounts: DocumentedCounts {
        DocumentedCounts(perClass: classCounts, total: int("dataset.valid_images") ?? classCounts.values.reduce(0, +))
    }

    /// Images of one class in each part of the documented split.
    public struct SplitCounts: Sendable, Equatable {
        public var train: Int
        public var validation: Int
        public var test: Int
    }

    /// Where `splitPerClass` comes from.
    public static let splitPerClassSource = "documented study, In [191] (class distribution of each dataset)"

    /// Images per class in the documented training, validation and test parts (In [191]): the
    /// stratified 70/15/15 split of In [186] (`train_test_split(..., stratify=df['label'])` twice).
    public static let splitPerClass: [String: SplitCounts] = [
        "basophil": .init(train: 853, validation: 183, test: 182),
        "eosinophil": .init(train: 2182, validation: 467, test: 468),
        "erythroblast": .init(train: 1086, validation: 232, test: 233),
        "ig": .init(train: 2026, validation: 435, test: 434),
        "lymphocyte": .init(train: 850, validation: 182, test: 182),
        "monocyte": .init(train: 994, validation: 213, test: 213),
        "neutrophil": .init(train: 2330, validation: 500, test: 499),
        "platelet": .init(train: 1643, validation: 352, test: 353),
    ]
}

extension DocumentedResults {
    /// The documented study's printed test line and training outcome of each network (quoted on its page).
    public static let networkRuns: [String: (testLine: String, training: String, source: String)] = [
        "simple_nn": ("[Test] Loss: 2.0432 | Accuracy: 0.13 | Precision: 0.04 | Recall: 0.19 | F1-Score: 0.07",
                      "Early stopping triggered after 11 epochs (val_loss did not improve for 10 epochs); best weights restored.",
                      "documented study, SimpleNN training and test_model output"),
        "light_cnn": ("[Test] Loss: 1.8757 | Accuracy: 0.35 | Precision: 0.24 | Recall: 0.35 | F1-Score: 0.25",
                      "SGD lr 1e-4, early stopping patience 5 on val_loss.",
                      "documented study, LightCNN test_model output"),
        "cnn": ("[Test] Loss: 0.0680 | Accuracy: 0.98 | Precision: 0.98 | Recall: 0.98 | F1-Score: 0.98",
                "All 40 epochs ran (Finished training loop. after epoch 40).",
                "documented study, CNNModel training and test_model output"),
        "resnet18": ("[Test] Loss: 0.2016 | Accuracy: 96.61 | Precision: 0.97 | Recall: 0.97 | F1-Score: 0.97",
                     "40 epochs from ImageNet weights (resnet18-f37072fd.pth), no early stopping.",
                     "documented study, ResNetTrainer.test() output"),
        "vit": ("[Test] Loss: 0.0796 | Accuracy: 0.98 | Precision: 0.98 | Recall: 0.98 | F1-Score: 0.98",
                "40 epochs from ImageNet weights (torchvision ViT_B_16_Weights.IMAGENET1K_V1), no early stopping.",
                "documented study, ViT test_model output"),
    ]
}
