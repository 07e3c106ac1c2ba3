import Foundation
import Learn
import Report

/// The deep features a classifier was trained on, as its page names them (from the
/// `deep-features` step's `DeepFeaturesIndex`).
struct FeatureSource: Codable, Sendable, Equatable {
    var backbone: String
    var backboneName: String
    var weightsSHA256: String
    var imageSize: Int
    var featureWidth: Int
    var trainImages: Int, validationImages: Int, testImages: Int

    var isStudyBackbone: Bool { backbone == DeepFeatureParts.studyBackbone }

    /// For the model summary: which features the classifier was trained on.
    var weightsText: String {
        let sha = weightsSHA256.prefix(12)
        return isStudyBackbone
            ? "\(backboneName) features, weights sha256 \(sha)"
            : "\(backboneName) features (substitute for ViT-B/16), weights sha256 \(sha)"
    }

    /// A sentence for captions and the page when the backbone is not the study's ViT-B/16.
    var substituteNote: String? {
        isStudyBackbone ? nil
            : "Features from \(backboneName) (\(featureWidth) per image, \(imageSize)x\(imageSize) input), a substitute for the study's ViT-B/16 (\(DocumentedResults.deepFeatureShape.width) per image)."
    }

    func substituteDeviation(model: String) -> Deviation? {
        guard !isStudyBackbone else { return nil }
        return Deviation(what: "\(model): input features", documented: "ViT-B/16 class token, \(DocumentedResults.deepFeatureShape.width) per image (In [208])",
                         thisRun: "\(backboneName), \(featureWidth) per image",
                         why: "the ViT-B/16 weights are not available to this run; the deep-features step used the backbone it had")
    }
}

/// A classifier's test evaluation as stored: the inputs `ModelEvaluation` derives every metric,
/// table and figure from, and the failure gallery's thumbnails, so a page needs no dataset.
struct StoredEvaluation: Codable, Sendable, Equatable {
    var key: String
    var displayName: String
    var classNames: [String]
    var paths: [String]
    var labels: [Int]
    var predictions: [Int]
    var probabilities: [Double]
    var thumbnails: FailureThumbnails

    init(_ e: ModelEvaluation, thumbnails: FailureThumbnails) {
        key = e.key; displayName = e.displayName; classNames = e.classNames; paths = e.paths
        labels = e.labels; predictions = e.predictions; probabilities = e.probabilities
        self.thumbnails = thumbnails
    }

    /// With the gallery's thumbnails read from the dataset.
    init(_ e: ModelEvaluation, datasetRoot: URL) {
        self.init(e, thumbnails: e.failureThumbnails(datasetRoot: datasetRoot))
    }

    var evaluation: ModelEvaluation {
        ModelEvaluation(key: key, displayName: displayName, classNames: classNames, paths: paths, labels: labels,
                        predictions: predictions, probabilities: probabilities)
    }
}

/// The numbers a classifier page on deep features reports, each a named field (the headlines).
struct FeatureModelMetrics: Codable, Sendable, Equatable {
    var testAccuracy: Double
    var trainAccuracy: Double
    var validationAccuracy: Double
    /// Unweighted means over the classes (scikit-learn's "macro avg") and the support-weighted F1.
    var macroPrecision: Double
    var macroRecall: Double
    var macroF1: Double
    var weightedF1: Double
    /// Micro-average and per-class one-vs-rest ROC AUC of the test set; nil where undefined.
    var microAUC: Double?
    var classAUC: [Double?]
    var trainSeconds: Double

    init(_ e: ModelEvaluation, trainAccuracy: Double, validationAccuracy: Double, trainSeconds: Double) {
        testAccuracy = e.testAccuracy; self.trainAccuracy = trainAccuracy; self.validationAccuracy = validationAccuracy
        macroPrecision = e.report.macroAverage.precision; macroRecall = e.report.macroAverage.recall
        macroF1 = e.macroF1; weightedF1 = e.weightedF1
        microAUC = e.microAUC.isFinite ? e.microAUC : nil
        classAUC = e.roc.classAUC.map { $0.isFinite ? $0 : nil }
        self.trainSeconds = trainSeconds
    }

    /// The headlines under `keys`, each from its named field.
    func headlines(_ keys: FeatureModelKeys, displayName: String) -> [Headline] {
        [Headline(keys.testAccuracy, .double(testAccuracy)),
         Headline(keys.macroF1, .double(macroF1)),
         Headline(keys.weightedF1, .double(weightedF1)),
         Headline(keys.microAUC, microAUC.map(JSONValue.double) ?? .null),
         Headline(keys.trainSeconds, .double(trainSeconds)),
         Headline(keys.pretrained, .bool(true)),
         Headline(keys.trainAccuracy, .double(trainAccuracy), label: "\(displayName): train accuracy"),
         Headline(keys.validationAccuracy, .double(validationAccuracy), label: "\(displayName): validation accuracy"),
         Headline(keys.macroPrecision, .double(macroPrecision), label: "\(displayName): macro precision"),
         Headline(keys.macroRecall, .double(macroRecall), label: "\(displayName): macro recall")]
    }
}
