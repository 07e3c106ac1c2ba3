/// The `results.json` keys of a network's steps, one literal per key and network, so that grepping
/// a key of `results.json` finds this table (and its uses the line that computes it). The
/// per-class recalls (`models.<network>.recall.<class>`) are named after the dataset's classes and
/// come from `ModelEvaluation.uncertaintyHeadlines`.
struct NetworkResultKeys: Sendable {
    // models.<network>.*: the page (step `<network>`); the shared evaluation's numbers (`ModelEvaluation`)
    var testAccuracy: String
    var testAccuracyLow: String
    var testAccuracyHigh: String
    var macroF1: String
    var macroF1Low: String
    var macroF1High: String
    var weightedF1: String
    var microAUC: String
    var trainSeconds: String
    var pretrained: String
    var ece: String
    var bootstrapResamples: String
    // models.<network>.*: the network's own numbers
    var epochsRun: String
    var imageSize: String
    var parameters: String
    var backbone: String
    /// This run's test predictions scored with the study's own definition (`StudyDefinedMetrics`).
    var studyAccuracy: String
    var studyPrecision: String
    var studyRecall: String
    var studyF1: String
    /// shap.<network>.*: the SHAP step (step `shap-<network>`).
    var shapImages: String
    var shapPositiveShareInNucleus: String
    var shapDeletionAUC: String
    var shapDeletionAUCRandom: String
    var shapInsertionAUC: String
    var shapInsertionAUCRandom: String
    var shapSecondsPerImage: String

    static func of(_ kind: NetworkKind) -> NetworkResultKeys {
        switch kind {
        case .simpleNN:
            NetworkResultKeys(
                testAccuracy: "models.simple_nn.test_accuracy",
                testAccuracyLow: "models.simple_nn.test_accuracy.ci95_low",
                testAccuracyHigh: "models.simple_nn.test_accuracy.ci95_high",
                macroF1: "models.simple_nn.macro_f1",
                macroF1Low: "models.simple_nn.macro_f1.ci95_low",
                macroF1High: "models.simple_nn.macro_f1.ci95_high",
                weightedF1: "models.simple_nn.weighted_f1",
                microAUC: "models.simple_nn.micro_auc",
                trainSeconds: "models.simple_nn.train_seconds",
                pretrained: "models.simple_nn.pretrained",
                ece: "models.simple_nn.ece",
                bootstrapResamples: "models.simple_nn.bootstrap_resamples",
                epochsRun: "models.simple_nn.epochs_run",
                imageSize: "models.simple_nn.image_size",
                parameters: "models.simple_nn.parameters",
                backbone: "models.simple_nn.backbone",
                studyAccuracy: "models.simple_nn.study_accuracy",
                studyPrecision: "models.simple_nn.study_precision",
                studyRecall: "models.simple_nn.study_recall",
                studyF1: "models.simple_nn.study_f1",
                shapImages: "shap.simple_nn.images",
                shapPositiveShareInNucleus: "shap.simple_nn.positive_share_in_nucleus",
                shapDeletionAUC: "shap.simple_nn.deletion_auc",
                shapDeletionAUCRandom: "shap.simple_nn.deletion_auc_random",
                shapInsertionAUC: "shap.simple_nn.insertion_auc",
                shapInsertionAUCRandom: "shap.simple_nn.insertion_auc_random",
                shapSecondsPerImage: "shap.simple_nn.seconds_per_image")
        case .lightCNN:
            NetworkResultKeys(
                testAccuracy: "models.light_cnn.test_accuracy",
                testAccuracyLow: "models.light_cnn.test_accuracy.ci95_low",
                testAccuracyHigh: "models.light_cnn.test_accuracy.ci95_high",
                macroF1: "models.light_cnn.macro_f1",
                macroF1Low: "models.light_cnn.macro_f1.ci95_low",
                macroF1High: "models.light_cnn.macro_f1.ci95_high",
                weightedF1: "models.light_cnn.weighted_f1",
                microAUC: "models.light_cnn.micro_auc",
                trainSeconds: "models.light_cnn.train_seconds",
                pretrained: "models.light_cnn.pretrained",
                ece: "models.light_cnn.ece",
                bootstrapResamples: "models.light_cnn.bootstrap_resamples",
                epochsRun: "models.light_cnn.epochs_run",
                imageSize: "models.light_cnn.image_size",
                parameters: "models.light_cnn.parameters",
                backbone: "models.light_cnn.backbone",
                studyAccuracy: "models.light_cnn.study_accuracy",
                studyPrecision: "models.light_cnn.study_precision",
                studyRecall: "models.light_cnn.study_recall",
                studyF1: "models.light_cnn.study_f1",
                shapImages: "shap.light_cnn.images",
                shapPositiveShareInNucleus: "shap.light_cnn.positive_share_in_nucleus",
                shapDeletionAUC: "shap.light_cnn.deletion_auc",
                shapDeletionAUCRandom: "shap.light_cnn.deletion_auc_random",
                shapInsertionAUC: "shap.light_cnn.insertion_auc",
                shapInsertionAUCRandom: "shap.light_cnn.insertion_auc_random",
                shapSecondsPerImage: "shap.light_cnn.seconds_per_image")
        case .cnn:
            NetworkResultKeys(
                testAccuracy: "models.cnn.test_accuracy",
                testAccuracyLow: "models.cnn.test_accuracy.ci95_low",
                testAccuracyHigh: "models.cnn.test_accuracy.ci95_high",
                macroF1: "models.cnn.macro_f1",
                macroF1Low: "models.cnn.macro_f1.ci95_low",
                macroF1High: "models.cnn.macro_f1.ci95_high",
                weightedF1: "models.cnn.weighted_f1",
                microAUC: "models.cnn.micro_auc",
                trainSeconds: "models.cnn.train_seconds",
                pretrained: "models.cnn.pretrained",
                ece: "models.cnn.ece",
                bootstrapResamples: "models.cnn.bootstrap_resamples",
                epochsRun: "models.cnn.epochs_run",
                imageSize: "models.cnn.image_size",
                parameters: "models.cnn.parameters",
                backbone: "models.cnn.backbone",
                studyAccuracy: "models.cnn.study_accuracy",
                studyPrecision: "models.cnn.study_precision",
                studyRecall: "models.cnn.study_recall",
                studyF1: "models.cnn.study_f1",
                shapImages: "shap.cnn.images",
                shapPositiveShareInNucleus: "shap.cnn.positive_share_in_nucleus",
                shapDeletionAUC: "shap.cnn.deletion_auc",
                shapDeletionAUCRandom: "shap.cnn.deletion_auc_random",
                shapInsertionAUC: "shap.cnn.insertion_auc",
                shapInsertionAUCRandom: "shap.cnn.insertion_auc_random",
                shapSecondsPerImage: "shap.cnn.seconds_per_image")
        case .resnet18:
            NetworkResultKeys(
                testAccuracy: "models.resnet18.test_accuracy",
                testAccuracyLow: "models.resnet18.test_accuracy.ci95_low",
                testAccuracyHigh: "models.resnet18.test_accuracy.ci95_high",
                macroF1: "models.resnet18.macro_f1",
                macroF1Low: "models.resnet18.macro_f1.ci95_low",
                macroF1High: "models.resnet18.macro_f1.ci95_high",
                weightedF1: "models.resnet18.weighted_f1",
                microAUC: "models.resnet18.micro_auc",
                trainSeconds: "models.resnet18.train_seconds",
                pretrained: "models.resnet18.pretrained",
                ece: "models.resnet18.ece",
                bootstrapResamples: "models.resnet18.bootstrap_resamples",
                epochsRun: "models.resnet18.epochs_run",
                imageSize: "models.resnet18.image_size",
                parameters: "models.resnet18.parameters",
                backbone: "models.resnet18.backbone",
                studyAccuracy: "models.resnet18.study_accuracy",
                studyPrecision: "models.resnet18.study_precision",
                studyRecall: "models.resnet18.study_recall",
                studyF1: "models.resnet18.study_f1",
                shapImages: "shap.resnet18.images",
                shapPositiveShareInNucleus: "shap.resnet18.positive_share_in_nucleus",
                shapDeletionAUC: "shap.resnet18.deletion_auc",
                shapDeletionAUCRandom: "shap.resnet18.deletion_auc_random",
                shapInsertionAUC: "shap.resnet18.insertion_auc",
                shapInsertionAUCRandom: "shap.resnet18.insertion_auc_random",
                shapSecondsPerImage: "shap.resnet18.seconds_per_image")
        case .vit:
            NetworkResultKeys(
                testAccuracy: "models.vit.test_accuracy",
                testAccuracyLow: "models.vit.test_accuracy.ci95_low",
                testAccuracyHigh: "models.vit.test_accuracy.ci95_high",
                macroF1: "models.vit.macro_f1",
                macroF1Low: "models.vit.macro_f1.ci95_low",
                macroF1High: "models.vit.macro_f1.ci95_high",
                weightedF1: "models.vit.weighted_f1",
                microAUC: "models.vit.micro_auc",
                trainSeconds: "models.vit.train_seconds",
                pretrained: "models.vit.pretrained",
                ece: "models.vit.ece",
                bootstrapResamples: "models.vit.bootstrap_resamples",
                epochsRun: "models.vit.epochs_run",
                imageSize: "models.vit.image_size",
                parameters: "models.vit.parameters",
                backbone: "models.vit.backbone",
                studyAccuracy: "models.vit.study_accuracy",
                studyPrecision: "models.vit.study_precision",
                studyRecall: "models.vit.study_recall",
                studyF1: "models.vit.study_f1",
                shapImages: "shap.vit.images",
                shapPositiveShareInNucleus: "shap.vit.positive_share_in_nucleus",
                shapDeletionAUC: "shap.vit.deletion_auc",
                shapDeletionAUCRandom: "shap.vit.deletion_auc_random",
                shapInsertionAUC: "shap.vit.insertion_auc",
                shapInsertionAUCRandom: "shap.vit.insertion_auc_random",
                shapSecondsPerImage: "shap.vit.seconds_per_image")
        }
    }
}
