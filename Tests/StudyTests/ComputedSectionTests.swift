import Foundation
import Report
import Study
import Tensor
import Testing
import _TestSupport

/// A two-half section for the runner's tests: `compute` counts its runs, `page` prints the result
/// with a prefix the test can change between runs (a page edit).
struct HalvesSection: ComputedSection {
    let id = "halves"
    let title = "Halves"
    let usesDataset = false
    let counter: RunCounter
    let prefix: String
    let warns: Bool

    init(counter: RunCounter, prefix: String = "value", warns: Bool = false) {
        self.counter = counter; self.prefix = prefix; self.warns = warns
    }

    struct Result: Codable, Sendable, Equatable { var value: Int }

    func inputs(_ config: StudyConfig) -> StepInputs { StepInputs().adding("kmeans", config.kmeans) }

    func compute(_ context: StudyContext) throws -> Result {
        counter.hit(id)
        if warns { context.warn("something odd") }
        return Result(value: context.config.kmeans.clusters * 10)
    }

    func page(_ result: Result) -> SectionResult {
        SectionResult(cells: [.markdown("\(prefix) \(result.value)")], headlines: [Headline("test.halves", .int(result.value))])
    }
}

@Suite("Sections as compute then page")
struct ComputedSectionTests {
    @Test("a reused step's page is rendered again from its stored result: a page edit does not recompute")
    func pageEditReusesComputation() throws {
        let cache = try TestPaths.temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let counter = RunCounter()
        let first = try StudyFixtures.runner([HalvesSection(counter: counter, warns: true)], cache: cache).run()
        let edited = try StudyFixtures.runner([HalvesSection(counter: counter, prefix: "edited", warns: true)], cache: cache).run()
        #expect(counter["halves"] == 1)
        #expect(edited.cachedCount == 1)
        let clusters = try StudyFixtures.smokeConfig().kmeans.clusters
        #expect(first.results["halves"]?.cells.first == .markdown("value \(clusters * 10)"))
        #expect(edited.results["halves"]?.cells.first == .markdown("edited \(clusters * 10)"))
        // The warnings the computation raised stay on the re-rendered page.
        #expect(edited.results["halves"]?.cells.count == 2)
        #expect(edited.results["halves"]?.cells.last == first.results["halves"]?.cells.last)
        #expect(edited.results["halves"]?.headlines == first.results["halves"]?.headlines)
    }

    @Test("a stored result that no longer decodes is computed again, with a warning")
    func undecodableResultRecomputes() throws {
        let cache = try TestPaths.temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let counter = RunCounter()
        let first = try StudyFixtures.runner([HalvesSection(counter: counter)], cache: cache).run()
        // Rewrite the stored result in a shape the section does not read, and fix the manifest's
        // checksum so that only decoding fails (as after a `Result` change without a version bump).
        let entry = cache.appendingPathComponent("steps/halves/\(first.records[0].inputHash)")
        let stored = entry.appendingPathComponent("computed.json")
        let replaced = Data(#"{"renamed":3}"#.utf8)
        let old = try Data(contentsOf: stored)
        try replaced.write(to: stored)
        let manifestURL = entry.appendingPathComponent("manifest.json")
        var manifest = try String(contentsOf: manifestURL, encoding: .utf8)
        manifest = manifest.replacingOccurrences(of: SHA256.hex(old), with: SHA256.hex(replaced))
            .replacingOccurrences(of: "\"bytes\" : \(old.count)", with: "\"bytes\" : \(replaced.count)")
        try manifest.write(to: manifestURL, atomically: true, encoding: .utf8)
        let lines = StudyFixtures.Lines()
        let second = try StudyFixtures.runner([HalvesSection(counter: counter)], cache: cache, lines: lines).run()
        #expect(counter["halves"] == 2)
        #expect(second.cachedCount == 0)
        #expect(lines.all.contains("cached result of step 'halves' cannot be read"))
        #expect(second.results["halves"] == first.results["halves"])
    }
}

@Suite("Pages rendered from stored results")
struct SectionPageTests {
    @Test("PCA of HOG: the page and its headlines come from the result alone")
    func pcaHOGPage() throws {
        // A spectrum of 10 components: the first two hold 60%, 95% needs 7, 99% needs 9.
        let ratios = [0.4, 0.2, 0.1, 0.08, 0.07, 0.05, 0.05, 0.03, 0.015, 0.005]
        let result = PCAHOGSection.Result(
            images: 17092, thresholds: [0.95, 0.99],
            summary: .init(counts: [7, 9], kept: 7, scores: 7, features: 44100, firstTwo: 0.6),
            ratios: ratios, leading: 50, iterations: 3, seconds: 1.5)
        let page = PCAHOGSection().page(result)
        let values = Dictionary(uniqueKeysWithValues: page.headlines.map { ($0.key, $0.value) })
        #expect(values == ["pca.hog.samples": .int(17092), "pca.hog.n95": .int(7), "pca.hog.n99": .int(9)])
        guard case let .markdown(narrative) = page.cells.first else { Issue.record("no narrative"); return }
        #expect(narrative.contains("60.0%"))
        #expect(narrative.contains("all 17,092 images, as the study"))
        // On the documented number of images the table compares with the study's counts.
        let tables = page.cells.flatMap { cell -> [Table] in
            if case let .code(_, outputs) = cell { return outputs.compactMap { if case let .table(t) = $0 { t } else { nil } } }
            return []
        }
        #expect(tables.first?.rows.first?.last == String(format: "%+.2f%%", 100 * Double(7 - 7095) / 7095))
    }
}
