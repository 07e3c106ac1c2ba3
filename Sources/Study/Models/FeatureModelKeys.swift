/// The `results.json` keys of one classifier on deep features, each a literal at one place, so that
/// grepping a key of `results.json` leads here (the pages and the documented table both use these).
struct FeatureModelKeys: Sendable {
    let testAccuracy: String
    let macroF1: String
    let weightedF1: String
    let microAUC: String
    let trainSeconds: String
    let pretrained: String
    let trainAccuracy: String
    let validationAccuracy: String
    let macroPrecision: String
    let macroRecall: String

    static let logisticRegression = FeatureModelKeys(
        testAccuracy: "models.logistic_regression.test_accuracy",
        macroF1: "models.logistic_regression.macro_f1",
        weightedF1: "models.logistic_regression.weighted_f1",
        microAUC: "models.logistic_regression.micro_auc",
        trainSeconds: "models.logistic_regression.train_seconds",
        pretrained: "models.logistic_regression.pretrained",
        trainAccuracy: "models.logistic_regression.train_accuracy",
        validationAccuracy: "models.logistic_regression.val_accuracy",
        macroPrecision: "models.logistic_regression.macro_precision",
        macroRecall: "models.logistic_regression.macro_recall")

    static let decisionTree = FeatureModelKeys(
        testAccuracy: "models.decision_tree.test_accuracy",
        macroF1: "models.decision_tree.macro_f1",
        weightedF1: "models.decision_tree.weighted_f1",
        microAUC: "models.decision_tree.micro_auc",
        trainSeconds: "models.decision_tree.train_seconds",
        pretrained: "models.decision_tree.pretrained",
        trainAccuracy: "models.decision_tree.train_accuracy",
        validationAccuracy: "models.decision_tree.val_accuracy",
        macroPrecision: "models.decision_tree.macro_precision",
        macroRecall: "models.decision_tree.macro_recall")

    /// The keys a page reports as null when its classifier could not run.
    var evaluationKeys: [String] { [testAccuracy, macroF1, weightedF1, microAUC, trainSeconds, pretrained] }
}
