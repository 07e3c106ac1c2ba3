import Dataset
import Foundation
import Imaging
import Report
@testable import Study
import Testing
import _TestSupport

/// Stands in for the audit on the real dataset (which reads all 17,092 files): lists the first
/// `perClass` files of each class folder, as the audit's `scan` artifact.
struct FirstFilesScan: StudySection {
    let id = "audit", title = "First files per class"
    let perClass: Int
    func inputs(_ config: StudyConfig) -> StepInputs { StepInputs().adding("per_class", perClass) }
    func run(_ context: StudyContext) throws -> SectionResult {
        var items: [[String: Any]] = []
        let classes = BloodCellClass.allCases.map(\.rawValue)
        for (k, name) in classes.enumerated() {
            let files = try FileManager.default.contentsOfDirectory(atPath: context.datasetRoot.appendingPathComponent(name).path)
                .filter { $0.hasSuffix(".jpg") && !$0.hasPrefix(".") }.sorted().prefix(perClass)
            items += files.map { ["relativePath": "\(name)/\($0)", "label": k, "width": 360, "height": 363] }
        }
        let json: [String: Any] = ["root": context.datasetRoot.path, "classNames": classes, "items": items,
                                   "rejected": [], "emptyClasses": []]
        let scan = try JSONDecoder().decode(DatasetScan.self, from: JSONSerialization.data(withJSONObject: json))
        try context.artifacts.write(scan, as: "scan")
        return SectionResult(cells: [])
    }
}

@Suite("EDA sections on the real dataset")
struct EDARealDataTests {
    @Test("HOG rows are the study's HOG of the 360x360 grey image; PCA, t-SNE, k-means and neighbours run on real images",
          .enabled(if: TestPaths.sharedDataset != nil, "needs the PBC dataset at ../shared/data/pbc"))
    func fourPerClass() throws {
        let data = TestPaths.sharedDataset!
        let cache = try TestPaths.temporaryFolder("eda-real")
        defer { try? FileManager.default.removeItem(at: cache) }
        let sections: [any StudySection] = [FirstFilesScan(perClass: 4), HOGSection(), PCAHOGSection(), EmbeddingHOGSection(),
                                            KMeansHOGSection(), NeighboursHOGSection()]
        let run = try StudyRunner(sections: sections, config: try StudyFixtures.smokeConfig(), profile: .smoke, seed: 42,
                                  datasetRoot: data, cacheRoot: cache, resources: StudyFixtures.resources,
                                  progress: StudyFixtures.quietProgress()).run()
        let headlines = Dictionary(uniqueKeysWithValues: run.results.values.flatMap(\.headlines).map { ($0.key, $0.value) })
        #expect(headlines["hog.length"] == .int(44100))
        #expect(headlines["pca.hog.samples"] == .int(32))
        // The stored row of the first image equals HOG.study on loadStudyGrey360 of that file.
        let hogRecord = run.records.first { $0.id == "hog" }!
        let reader = ArtifactReader(step: "hog", folder: StepCache(root: cache).entry("hog", hogRecord.inputHash))
        let sample = try reader.read(EDASample.self, "sample")
        let matrix = try reader.readMatrix("hog")
        let expected = HOG.study.features(of: try loadStudyGrey360(data.appendingPathComponent(sample.paths[0])))
        #expect(Array(matrix.storage[0..<matrix.columns]) == expected)
        guard case let .double(kl) = headlines["tsne.hog.kl"] else { Issue.record("no KL"); return }
        #expect(kl.isFinite && kl > 0)
        // k-means and the neighbours on these real images, recomputed from what the steps stored.
        try EDAChecks.kmeans(run, cache: cache)
        try EDAChecks.neighbours(run, cache: cache)
    }
}
