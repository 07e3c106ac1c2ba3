import Foundation
import Report
import Tensor

/// The `deep-features` step's matrix cut into the split's three parts (rows in the order
/// train, validation, test, as its `DeepFeaturesIndex` says), for the classifiers on deep features.
struct DeepFeatureParts {
    let index: DeepFeaturesIndex
    /// (N_part, F) each.
    let train: Matrix<Float>, validation: Matrix<Float>, test: Matrix<Float>
    let trainLabels: [Int], validationLabels: [Int], testLabels: [Int]
    let testPaths: [String]

    /// The study's backbone; any other one is a substitute the pages must name.
    static let studyBackbone = "vit-b16"

    /// Reads the index and, when the step extracted features, the matrix. Returns the index alone
    /// (`parts` nil) when there are none.
    static func load(_ context: StudyContext) throws -> (index: DeepFeaturesIndex, parts: DeepFeatureParts?) {
        let step = try context.upstream("deep-features")
        let index = try step.read(DeepFeaturesIndex.self, "index")
        guard index.hasFeatures else { return (index, nil) }
        let features = try step.readMatrix("features")
        let n = index.train + index.validation + index.test
        guard features.rows == n, index.labels.count == n, index.paths.count == n else {
            throw StudyError.badConfig(file: "deep-features artifacts",
                                       detail: "the features have \(features.rows) rows but the index lists \(n) images (\(index.labels.count) labels)")
        }
        let trainRows = Array(0..<index.train)
        let validationRows = Array(index.train..<(index.train + index.validation))
        let testRows = Array((index.train + index.validation)..<n)
        return (index, DeepFeatureParts(index: index, train: features.rows(trainRows), validation: features.rows(validationRows),
                                        test: features.rows(testRows), trainLabels: trainRows.map { index.labels[$0] },
                                        validationLabels: validationRows.map { index.labels[$0] },
                                        testLabels: testRows.map { index.labels[$0] }, testPaths: testRows.map { index.paths[$0] }))
    }

    var isStudyBackbone: Bool { index.backbone == Self.studyBackbone }
    var featureWidth: Int { train.columns }

    /// What a page says about these features (stored in a section's result).
    var source: FeatureSource {
        FeatureSource(backbone: index.backbone, backboneName: index.backboneName, weightsSHA256: index.weightsSHA256,
                      imageSize: index.imageSize, featureWidth: featureWidth, trainImages: train.rows,
                      validationImages: validation.rows, testImages: test.rows)
    }

    /// For the model summary: which features the classifier was trained on.
    var weightsText: String { source.weightsText }

    /// A sentence for captions and the page when the backbone is not the study's ViT-B/16.
    var substituteNote: String? { source.substituteNote }

    func substituteDeviation(model: String) -> Deviation? { source.substituteDeviation(model: model) }
}

extension DeepFeaturesIndex {
    /// Why a classifier on deep features did not run, for its page.
    var missingFeaturesReason: String { Self.missingFeaturesReason }

    static var missingFeaturesReason: String {
        "The deep-features step extracted no features in this run (no pretrained backbone weights were found), "
            + "so this classifier was not trained and its results are empty (null in results.json)."
    }
}
