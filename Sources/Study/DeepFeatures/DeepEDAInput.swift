import Foundation
import Report
import Tensor

/// What the deep-feature EDA sections read from the `deep-features` step: the index and the EDA
/// matrix (`eda_features`, else `features`), or why they skip.
struct DeepEDAInput {
    var index: DeepFeaturesIndex
    var features: Matrix<Float>

    /// Class name per row.
    var labelNames: [String] { index.labels.map { index.classes[$0] } }
    /// "EfficientNet-Lite0 (ImageNet-1k) features", the feature name on figures.
    var featureName: String { "\(index.backboneName) features" }

    /// The input, or nil when the step extracted nothing (no backbone weights).
    static func read(_ context: StudyContext) throws -> DeepEDAInput? {
        let step = try context.upstream("deep-features")
        let index = try step.read(DeepFeaturesIndex.self, "index")
        guard index.hasFeatures else { return nil }
        let hasEDAMatrix = FileManager.default.fileExists(atPath: step.folder.appendingPathComponent("eda_features.shape.json").path)
        let features = try step.readMatrix(hasEDAMatrix ? "eda_features" : "features")
        return DeepEDAInput(index: index, features: features)
    }

    /// The page of a deep-feature section that skips because no features were extracted.
    static func skipped(_ what: String, headlines: [String], reference: Cell) -> SectionResult {
        SectionResult(
            cells: [
                .markdown("## \(what)\n\nSkipped: no deep features were extracted in this run, because no pretrained backbone weights were available (see the deep-features page). The study's result is quoted below for reference."),
                reference,
            ],
            headlines: headlines.map { Headline($0, .null) })
    }

    /// The sentence naming the backbone, for narratives.
    var backboneSentence: String {
        if index.backbone == DeepFeatureParts.studyBackbone {
            return "These are the study's ViT-B/16 features: the mean of the final hidden state's tokens "
                + "(\(index.edaBackboneName ?? index.backboneName), \(Fmt.int(features.columns)) per image, \(index.imageSize)x\(index.imageSize) input) "
                + "of \(Fmt.int(features.rows)) images, as In [176] computes them; the study's numbers are shown beside this run's."
        }
        return "These are \(index.backboneName) features (\(Fmt.int(features.columns)) per image, \(index.imageSize)x\(index.imageSize) input) "
            + "of \(Fmt.int(features.rows)) images; the study used ViT-B/16 features (\(DocumentedResults.int("vit.feature_length").map(Fmt.int) ?? "—") per image), so its numbers are shown for reference, not as a target."
    }
}
