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
    let uncertainty: UncertaintyKeys

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
        macroRecall: "models.logistic_regression.macro_recall",
        uncertainty: UncertaintyKeys(
            testAccuracyLow: "models.logistic_regression.test_accuracy.ci95_low", testAccuracyHigh: "models.logistic_regression.test_accuracy.ci95_high",
            macroF1Low: "models.logistic_regression.macro_f1.ci95_low", macroF1High: "models.logistic_regression.macro_f1.ci95_high",
            ece: "models.logistic_regression.ece", bootstrapResamples: "models.logistic_regression.bootstrap_resamples",
            recallPrefix: "models.logistic_regression.recall"))

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
        macroRecall: "models.decision_tree.macro_recall",
        uncertainty: UncertaintyKeys(
            testAccuracyLow: "models.decision_tree.test_accuracy.ci95_low", testAccuracyHigh: "models.decision_tree.test_accuracy.ci95_high",
            macroF1Low: "models.decision_tree.macro_f1.ci95_low", macroF1High: "models.decision_tree.macro_f1.ci95_high",
            ece: "models.decision_tree.ece", bootstrapResamples: "models.decision_tree.bootstrap_resamples",
            recallPrefix: "models.decision_tree.recall"))

    /// The keys a page reports as null when its classifier could not run.
    var evaluationKeys: [String] { [testAccuracy, macroF1, weightedF1, microAUC, trainSeconds, pretrained] }
}
