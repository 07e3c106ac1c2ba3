import Foundation
import Report
@testable import Study
import Testing
import _TestSupport

@Suite("Split page")
struct SplitSectionTests {
    func outputs(_ result: SectionResult) -> [CellOutput] {
        result.cells.flatMap { cell -> [CellOutput] in
            if case let .code(_, outputs) = cell { return outputs }
            return []
        }
    }

    @Test("the page has the counts figure, a sample grid per part and one batch shape per loader, from this run's split")
    func page() throws {
        let root = try TestPaths.temporaryFolder("split")
        let data = try TinyDataset.make(perClass: 10)
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: data) }
        let config = try StudyFixtures.smokeConfig()
        let run = try StudyRunner(sections: [AuditSection(), SplitSection()], config: config, profile: .smoke, seed: 42,
                                  datasetRoot: data, cacheRoot: root, resources: StudyFixtures.resources,
                                  progress: StudyFixtures.quietProgress()).run()
        let result = try #require(run.results["split"])
        let outputs = outputs(result)
        let figures = outputs.compactMap { if case let .figure(f) = $0 { f } else { nil } }
        let texts = outputs.compactMap { if case let .text(t) = $0 { t } else { nil } }.joined(separator: "\n")
        // 80 images: 56 / 12 / 12 (70/15/15 of 10 per class, stratified).
        #expect(texts.contains("Train set size: 56") && texts.contains("Test set size: 12"))
        // The counts bars, one sample per part (In [192]), the first images of each part and one training batch (In [197]).
        #expect(figures.count == 4)
        #expect(figures.contains { $0.caption.contains("images per class in each part") })
        let grid = try #require(figures.first { $0.caption.contains("first 8 images") })
        #expect(grid.caption.contains(ImageCredit.placeholder))  // credited by the report from the dataset card
        #expect(grid.altText.contains("24 blood-cell images"))  // 8 of each of the 3 parts
        // Smoke's CNN: batch 32 at 32x32; a part smaller than a batch gives a smaller first batch.
        let cnn = config.networks.cnn
        #expect(texts.contains("Train DataLoader shape: (\(min(cnn.batchSize, 56)), 3, \(cnn.imageSize), \(cnn.imageSize))"))
        #expect(texts.contains("Validation DataLoader shape: (12, 3, \(cnn.imageSize), \(cnn.imageSize))"))
        #expect(texts.contains("Test DataLoader shape: (12, 3, \(cnn.imageSize), \(cnn.imageSize))"))
        // The per-class table's documented columns come from DocumentedResults.
        let table = try #require(outputs.compactMap { if case let .table(t) = $0 { t } else { nil } }.first)
        let basophil = try #require(table.rows.first { $0[0] == "basophil" })
        #expect(basophil[4] == "853" && basophil[5] == "183" && basophil[6] == "182")
        #expect(table.rows.last?[4] == "11,964")
    }

    @Test("the documented per-class split counts add up to the documented part sizes")
    func documentedCountsConsistent() {
        let counts = DocumentedResults.splitPerClass.values
        #expect(DocumentedResults.splitPerClass.count == 8)
        #expect(counts.map(\.train).reduce(0, +) == DocumentedResults.int("split.train"))
        #expect(counts.map(\.validation).reduce(0, +) == DocumentedResults.int("split.val"))
        #expect(counts.map(\.test).reduce(0, +) == DocumentedResults.int("split.test"))
        #expect(DocumentedResults.pcaHOGComponents == [0.95: 7095, 0.99: 11318])
        #expect(DocumentedResults.pcaHOGImages == DocumentedResults.int("dataset.valid_images"))
    }
}
