import Report

/// What the documented study printed about its deep features and the two classifiers on them
/// (logistic regression, decision tree): each value with the notebook cell it comes from and its
/// definition. Shown beside this run's numbers, never used in a computation.
extension DocumentedResults {
    /// One class's row of a printed `classification_report` (two decimals, as printed).
    public struct ReportRow: Sendable, Equatable {
        public var className: String
        public var precision: Double
        public var recall: Double
        public var f1: Double
        public var support: Int
    }

    /// A `classification_report(y_test_true, y_test_pred, target_names=...)` the study printed:
    /// per class, then accuracy, the macro average (unweighted mean over the 8 classes) and the
    /// weighted average (mean weighted by each class's support), on its 2,564 test images.
    public struct ClassificationReportPrint: Sendable {
        public var rows: [ReportRow]
        public var accuracy: Double
        public var macro: (precision: Double, recall: Double, f1: Double)
        public var weighted: (precision: Double, recall: Double, f1: Double)
        public var support: Int
        public var source: String

        public func row(_ className: String) -> ReportRow? { rows.first { $0.className == className } }
    }

    /// Accuracies the study printed for a classifier: the fraction of images classified right on
    /// each part of its split (11,964 / 2,564 / 2,564 images).
    public struct PrintedAccuracies: Sendable {
        public var train: Double
        public var validation: Double
        public var test: Double
        public var source: String
    }

    /// Logistic regression on the ViT-B/16 class tokens: `Final Accuracy (LR)` (In [211]).
    public static let logisticRegressionAccuracies = PrintedAccuracies(
        train: 0.9972, validation: 0.9641, test: modelEntry(FeatureModelKeys.logisticRegression.testAccuracy),
        source: "In [211]: Final Accuracy (LR)")

    /// Decision tree on the same features: `Final Accuracy (Decision Tree)` (In [218]–[219]).
    public static let decisionTreeAccuracies = PrintedAccuracies(
        train: 0.8353, validation: 0.6486, test: modelEntry(FeatureModelKeys.decisionTree.testAccuracy),
        source: "In [218]–[219]: Final Accuracy (Decision Tree)")

    /// The tree's accuracies as the narrative after In [220] states them ("roughly 83.7%" on
    /// training, "about 65.8%" on test): they contradict the printed 0.8353 / 0.6408, and the
    /// report compares with the printed ones.
    public static let decisionTreeNarrative = (train: 0.837, test: 0.658,
                                               source: "Model Analysis after In [220]: \"roughly 83.7% accuracy\" (train), \"about 65.8%\" (test)")

    /// `Decision Tree training finished. Total time: 6.04s` (In [218]): the wall time of
    /// `train_dt_model`, which fits the tree and scores the training and validation parts.
    public static let decisionTreeFitSeconds = (seconds: 6.04, printed: "6.04", source: "In [218]: Decision Tree training finished. Total time: 6.04s")

    /// The tree's `max_depth` (`DT_MAX_DEPTH`, the study's config cell).
    public static let decisionTreeMaxDepth = 10

    /// In [211]: the logistic regression's test-set report.
    public static let logisticRegressionReport = ClassificationReportPrint(
        rows: [
            ReportRow(className: "basophil", precision: 0.96, recall: 0.97, f1: 0.96, support: 182),
            ReportRow(className: "eosinophil", precision: 1.00, recall: 0.99, f1: 0.99, support: 468),
            ReportRow(className: "erythroblast", precision: 0.96, recall: 0.97, f1: 0.96, support: 233),
            ReportRow(className: "ig", precision: 0.93, recall: 0.94, f1: 0.94, support: 434),
            ReportRow(className: "lymphocyte", precision: 0.95, recall: 0.95, f1: 0.95, support: 182),
            ReportRow(className: "monocyte", precision: 0.95, recall: 0.93, f1: 0.94, support: 213),
            ReportRow(className: "neutrophil", precision: 0.96, recall: 0.96, f1: 0.96, support: 499),
            ReportRow(className: "platelet", precision: 0.99, recall: 1.00, f1: 0.99, support: 353),
        ],
        accuracy: 0.97, macro: (0.96, 0.96, 0.96), weighted: (0.97, 0.97, 0.97), support: 2564,
        source: "In [211]: Classification Report (Test Set - LR)")

    /// In [219]: the decision tree's test-set report.
    public static let decisionTreeReport = ClassificationReportPrint(
        rows: [
            ReportRow(className: "basophil", precision: 0.39, recall: 0.40, f1: 0.39, support: 182),
            ReportRow(className: "eosinophil", precision: 0.76, recall: 0.76, f1: 0.76, support: 468),
            ReportRow(className: "erythroblast", precision: 0.74, recall: 0.63, f1: 0.68, support: 233),
            ReportRow(className: "ig", precision: 0.54, recall: 0.63, f1: 0.58, support: 434),
            ReportRow(className: "lymphocyte", precision: 0.46, recall: 0.45, f1: 0.46, support: 182),
            ReportRow(className: "monocyte", precision: 0.41, recall: 0.36, f1: 0.38, support: 213),
            ReportRow(className: "neutrophil", precision: 0.68, recall: 0.69, f1: 0.69, support: 499),
            ReportRow(className: "platelet", precision: 0.86, recall: 0.83, f1: 0.85, support: 353),
        ],
        accuracy: 0.64, macro: (0.61, 0.59, 0.60), weighted: (0.64, 0.64, 0.64), support: 2564,
        source: "In [219]: Classification Report (Test Set - Decision Tree)")

    /// The logistic regression's one-vs-rest ROC AUC per class on the test set (`roc_curve` then
    /// `auc` of each class's probability against the rest, three decimals), as the text after
    /// In [213] states them; the study's monocyte / IG discussion rests on the two lowest.
    public static let logisticRegressionClassAUC = (
        values: ["basophil": 1.000, "eosinophil": 1.000, "platelet": 1.000, "erythroblast": 0.999,
                 "lymphocyte": 0.999, "neutrophil": 0.999, "monocyte": 0.996, "ig": 0.995],
        source: "Individual Class Performance (AUCs), the text after In [213]")

    /// Seconds the study took to extract the classifiers' ViT-B/16 class tokens, per part of the
    /// split (`extract_all_features`, batch 32 on its CPU), printed twice: once for the logistic
    /// regression (In [208]) and once again for the tree (In [216]).
    public static let featureExtractionSeconds = (
        logisticRegression: (train: 866.31, validation: 195.34, test: 188.34, source: "In [208]: Train/Validation/Test features extracted. Time"),
        decisionTree: (train: 877.97, validation: 184.31, test: 189.84, source: "In [216]: Train/Validation/Test features extracted. Time"))

    /// In [176]: `Deep Features Extracted. Shape: (17092, 768)`, the EDA's token means of every image,
    /// from images resized to `inputSide` square (`VIT_INPUT_SIZE`, the study's config cell).
    public static let deepFeatureShape = (images: 17092, width: 768, inputSide: 224, printed: "Deep Features Extracted. Shape: (17092, 768)",
                                          source: "documented study, In [176]")

    /// A documented model number read from `modelEntries`, not `entries`: `entries` includes
    /// `featureModelEntries`, which is built from these values (reading `entries` here would make
    /// the static initialisers wait on each other for ever).
    static func modelEntry(_ key: String) -> Double {
        modelEntries.first { $0.key == key }?.value.number ?? .nan
    }

    /// `results.json` entries of the values above that have a key (train and validation accuracy,
    /// macro precision and recall, the extraction time); the tests' and `results.json`'s list.
    static let featureModelEntries: [Entry] = {
        let lr = FeatureModelKeys.logisticRegression, tree = FeatureModelKeys.decisionTree
        let lrAcc = logisticRegressionAccuracies, treeAcc = decisionTreeAccuracies
        let extraction = featureExtractionSeconds.logisticRegression
        return [
            .init(key: lr.trainAccuracy, label: "Logistic regression (ViT features): train accuracy", value: .double(lrAcc.train), source: lrAcc.source,
                  definition: "share of the training images classified right by the fitted logistic regression (micro accuracy over the training part)"),
            .init(key: lr.validationAccuracy, label: "Logistic regression (ViT features): validation accuracy", value: .double(lrAcc.validation), source: lrAcc.source,
                  definition: "share of the validation images classified right (micro accuracy over the validation part)"),
            .init(key: lr.macroPrecision, label: "Logistic regression (ViT features): macro precision (unweighted mean over classes)",
                  value: .double(logisticRegressionReport.macro.precision), source: logisticRegressionReport.source,
                  definition: "unweighted mean over the 8 classes of the per-class precision on the test part (scikit-learn's classification_report macro avg)"),
            .init(key: lr.macroRecall, label: "Logistic regression (ViT features): macro recall (unweighted mean over classes)",
                  value: .double(logisticRegressionReport.macro.recall), source: logisticRegressionReport.source,
                  definition: "unweighted mean over the 8 classes of the per-class recall on the test part (scikit-learn's classification_report macro avg)"),
            .init(key: tree.trainAccuracy, label: "Decision tree (ViT features): train accuracy", value: .double(treeAcc.train), source: treeAcc.source,
                  definition: "share of the training images classified right by the fitted tree (micro accuracy over the training part)"),
            .init(key: tree.validationAccuracy, label: "Decision tree (ViT features): validation accuracy", value: .double(treeAcc.validation), source: treeAcc.source,
                  definition: "share of the validation images classified right (micro accuracy over the validation part)"),
            .init(key: tree.macroPrecision, label: "Decision tree (ViT features): macro precision (unweighted mean over classes)",
                  value: .double(decisionTreeReport.macro.precision), source: decisionTreeReport.source,
                  definition: "unweighted mean over the 8 classes of the per-class precision on the test part (scikit-learn's classification_report macro avg)"),
            .init(key: tree.macroRecall, label: "Decision tree (ViT features): macro recall (unweighted mean over classes)",
                  value: .double(decisionTreeReport.macro.recall), source: decisionTreeReport.source,
                  definition: "unweighted mean over the 8 classes of the per-class recall on the test part (scikit-learn's classification_report macro avg)"),
            .init(key: DeepFeaturesSection.extractionSecondsKey,
                  label: "Deep features: seconds to extract the classifiers' features of every image (train + validation + test)",
                  value: .double(((extraction.train + extraction.validation + extraction.test) * 100).rounded() / 100), source: extraction.source,
                  definition: "wall seconds to extract the class-token features of every image, train + validation + test passes summed (In [208])"),
        ]
    }()
}
