import Report

/// The headline numbers of the documented study, under the stable keys of `results.json`.
///
/// These are reference values printed in the documented notebook (the `source` says where);
/// they are shown beside this run's numbers and never used in any computation. A `nil` value
/// means the study does not state that number; the key is still reported for this run.
public enum DocumentedResults {
    public struct Entry: Sendable {
        public var key: String
        public var label: String
        public var value: JSONValue
        public var source: String
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

    public static let entries: [Entry] = {
        var e: [Entry] = [
            .init(key: "dataset.valid_images", label: "Images read", value: 17092, source: "In [170]: Dataset shape (17092, 2)"),
            .init(key: "dataset.classes", label: "Classes", value: 8, source: "In [170]: value_counts"),
            .init(key: "split.train", label: "Training images", value: 11964, source: "In [190]"),
            .init(key: "split.val", label: "Validation images", value: 2564, source: "In [190]"),
            .init(key: "split.test", label: "Test images", value: 2564, source: "In [190]"),
            .init(key: "hog.length", label: "HOG vector length", value: 44100, source: "In [172]: Shape (17092, 44100)"),
            .init(key: "vit.feature_length", label: "ViT feature length", value: 768, source: "In [176]"),
            .init(key: "vit.pretrained", label: "ViT features from pretrained weights", value: true, source: "In [175]: google/vit-base-patch16-224-in21k"),
            .init(key: "pca.hog.n95", label: "HOG: PCA components for 95% variance (depends on the number of images)", value: 7095, source: "In [184]"),
            .init(key: "pca.hog.n99", label: "HOG: PCA components for 99% variance (depends on the number of images)", value: 11318, source: "text after In [184]"),
            .init(key: "pca.hog.samples", label: "HOG: images the PCA was fitted on (component counts depend on it)", value: 17092, source: "In [184]: Features scaled. Shape: (17092, 44100)"),
            .init(key: "pca.vit.n95", label: "ViT: PCA components for 95% variance", value: 117, source: "In [183]"),
            .init(key: "pca.vit.n99", label: "ViT: PCA components for 99% variance", value: 343, source: "text after In [183]"),
            .init(key: "tsne.hog.kl", label: "HOG: t-SNE final KL divergence", value: nil, source: "not printed"),
            .init(key: "tsne.vit.kl", label: "ViT: t-SNE final KL divergence", value: nil, source: "not printed"),
            .init(key: "kmeans.hog.ari", label: "HOG: k-means adjusted Rand index", value: nil, source: "not printed"),
            .init(key: "kmeans.hog.nmi", label: "HOG: k-means normalised mutual information", value: nil, source: "not printed (the study names clustering without a result)"),
            .init(key: "kmeans.hog.inertia", label: "HOG: k-means inertia", value: nil, source: "not printed"),
            .init(key: "kmeans.vit.ari", label: "ViT: k-means adjusted Rand index", value: nil, source: "not printed"),
        ]
        // (test accuracy, macro F1, weighted F1, micro AUC, train seconds, pretrained, source)
        let models: [String: (JSONValue, JSONValue, JSONValue, JSONValue, JSONValue, Bool, String)] = [
            "logistic_regression": (0.9665, 0.96, 0.97, 0.999, nil, true, "In [211] and the ROC discussion"),
            "decision_tree": (0.6408, 0.60, 0.64, nil, 6.04, true, "In [218]–[219]"),
            "simple_nn": (0.13, nil, 0.07, nil, nil, false, "[Test] line; accuracy is torchmetrics' macro average"),
            "light_cnn": (0.35, nil, 0.25, nil, nil, false, "[Test] line"),
            "cnn": (0.98, nil, 0.98, nil, nil, false, "[Test] line"),
            "resnet18": (0.9661, nil, 0.97, nil, nil, true, "[Test] line (accuracy printed as 96.61)"),
            "vit": (0.98, nil, 0.98, nil, nil, true, "[Test] line; accuracy is torchmetrics' macro average"),
        ]
        for (key, name) in Self.models {
            let m = models[key]!
            e += [
                .init(key: "models.\(key).test_accuracy", label: "\(name): test accuracy", value: m.0, source: m.6),
                .init(key: "models.\(key).macro_f1", label: "\(name): macro F1", value: m.1, source: m.6),
                .init(key: "models.\(key).weighted_f1", label: "\(name): weighted F1", value: m.2, source: m.6),
                .init(key: "models.\(key).micro_auc", label: "\(name): micro-average AUC", value: m.3, source: m.6),
                .init(key: "models.\(key).train_seconds", label: "\(name): training time (s)", value: m.4, source: m.6),
                .init(key: "models.\(key).pretrained", label: "\(name): pretrained weights", value: .bool(m.5), source: m.6),
            ]
        }
        return e
    }()

    public static func entry(_ key: String) -> Entry? { entries.first { $0.key == key } }

    /// An integer documented value (`entry(key)` holding an int), nil when the study states none.
    public static func int(_ key: String) -> Int? {
        if case let .int(v)? = entry(key)?.value { return v }
        return nil
    }

    /// The documented HOG PCA component counts by share of variance (`pca.hog.n95`, `pca.hog.n99`).
    /// The documented ViT feature PCA counts by variance threshold (In [183] and the text after it).
    public static var pcaViTComponents: [Double: Int] {
        var out: [Double: Int] = [:]
        if let n = int("pca.vit.n95") { out[0.95] = n }
        if let n = int("pca.vit.n99") { out[0.99] = n }
        return out
    }

    public static var pcaHOGComponents: [Double: Int] {
        var out: [Double: Int] = [:]
        if let n = int("pca.hog.n95") { out[0.95] = n }
        if let n = int("pca.hog.n99") { out[0.99] = n }
        return out
    }

    /// The number of images the documented HOG PCA was fitted on (`pca.hog.samples`).
    public static var pcaHOGImages: Int { int("pca.hog.samples") ?? 0 }

    /// Images of one class in each part of the documented split.
    public struct SplitCounts: Sendable, Equatable {
        public var train: Int
        public var validation: Int
        public var test: Int
    }

    /// Where `splitPerClass` comes from.
    public static let splitPerClassSource = "documented study, In [191] (class distribution of each dataset)"

    /// Images per class in the documented training, validation and test parts (In [191]).
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
