import Foundation
import Report
import Testing
import _TestSupport

/// Pins one rendered page, so that any change to what readers see shows up in review as a diff of
/// `Tests/Fixtures/report/pinned-section.html`. After an intended change, regenerate it with
/// `BLOODSTUDY_UPDATE_PINNED=1 swift test --filter PinnedPageTests` and review the diff.
@Suite("Pinned page")
struct PinnedPageTests {
    static let document = SiteDocument(
        notebook: Notebook(title: "Pinned study", abstract: "One section.", sections: [
            NotebookSection(id: "split", title: "Split", cells: [
                .markdown("## Parts\n\nThis run used **224** training images."),
                .code(source: "split(test_fraction=0.3)", outputs: [
                    .text("Train set size: 224"),
                    .table(Table(caption: "Images per part", columns: ["Part", "Images"], rows: [["train", "224"], ["test", "48"]])),
                    .warning("one file skipped"),
                ]),
                .reference(text: "Train set size: 11964.", source: "documented study, In [190]"),
            ]),
        ]),
        cards: [], results: Table(caption: "Results", columns: ["Result", "Documented", "This run"], rows: [["split.train", "11,964", "224"]]),
        deviations: nil, resultsJSON: Data("{}".utf8), footer: "Credit line.")

    @Test("the rendered section page is exactly the pinned one")
    func pinned() throws {
        let root = try TestPaths.temporaryFolder("pinned")
        defer { try? FileManager.default.removeItem(at: root) }
        try ReportFixtures.repositoryWriter.write(Self.document, to: root.appendingPathComponent("site"))
        let page = try String(contentsOf: root.appendingPathComponent("site/split.html"), encoding: .utf8)
        let pinned = TestPaths.fixture("report/pinned-section.html")
        if ProcessInfo.processInfo.environment["BLOODSTUDY_UPDATE_PINNED"] != nil {
            try Data(page.utf8).write(to: pinned)
        }
        let expected = try String(contentsOf: pinned, encoding: .utf8)
        #expect(page == expected, "split.html changed; if intended, regenerate the pinned page (see the suite's doc comment)")
    }
}
