import Foundation
import Report
import Study
import Testing
import _TestSupport

/// A dataset of a few images per class runs to the end: a section lacking images for what it shows
/// says so on its page instead of stopping the run.
@Suite("Small data: every page present, shortfalls said on the page")
struct SmallDataTests {
    @Test("3 images per class: SimpleNN's SHAP has fewer test images than its background, says so, and the run finishes")
    func shapBackgroundLargerThanTestSplit() throws {
        let root = try TestPaths.temporaryFolder("smalldata")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = try TinyDataset.make(perClass: 3)
        let config = try StudyFixtures.smokeConfig()
        let job = ReportJob(profile: .smoke, seed: 42, data: data, out: root.appendingPathComponent("site"),
                            cache: root.appendingPathComponent("cache"), resources: StudyFixtures.resources)
        let summary = try job.run(sections: try ReportJob.sections(only: ["simple-nn"]), progress: StudyFixtures.quietProgress())
        for page in ["index", "audit", "split", "simple-nn"] {
            #expect(FileManager.default.fileExists(atPath: summary.out.appendingPathComponent("\(page).html").path), "\(page).html")
        }
        let html = try String(contentsOf: summary.out.appendingPathComponent("simple-nn.html"), encoding: .utf8)
        let background = config.shap.deepBackground
        #expect(html.contains("fewer than the \(background) of") || html.contains("Not computed: SHAP (deep explainer) needs at least two test images"),
                "the page does not say why SHAP is short")
    }

    @Test("a dataset of symbolic links has the fingerprint of the files they point at")
    func symlinkedDatasetFingerprint() throws {
        let data = try TinyDataset.make(perClass: 2)
        let links = try TestPaths.temporaryFolder("links")
        defer { try? FileManager.default.removeItem(at: data); try? FileManager.default.removeItem(at: links) }
        let fm = FileManager.default
        for cls in try fm.contentsOfDirectory(atPath: data.path) {
            try fm.createDirectory(at: links.appendingPathComponent(cls), withIntermediateDirectories: true)
            for name in try fm.contentsOfDirectory(atPath: data.appendingPathComponent(cls).path) {
                try fm.createSymbolicLink(at: links.appendingPathComponent(cls).appendingPathComponent(name),
                                          withDestinationURL: data.appendingPathComponent(cls).appendingPathComponent(name))
            }
        }
        let real = try DatasetFingerprint.compute(data)
        #expect(real.files == 17)
        #expect(try DatasetFingerprint.compute(links) == real)
    }
}
