import Foundation
import Report
import Testing
import _TestSupport

@Suite("Jupyter notebook writer")
struct NotebookFileWriterTests {
    func notebookJSON() throws -> [String: Any] {
        let data = try NotebookFileWriter().data(for: ReportFixtures.document().notebook)
        return try #require(JSONSerialization.jsonObject(with: data) as? [String: Any])
    }

    @Test("the file is nbformat 4.5 with a unique id on every cell")
    func formatAndIDs() throws {
        let json = try notebookJSON()
        #expect(json["nbformat"] as? Int == 4)
        #expect(json["nbformat_minor"] as? Int == 5)
        let cells = try #require(json["cells"] as? [[String: Any]])
        let ids = cells.compactMap { $0["id"] as? String }
        #expect(ids.count == cells.count)
        #expect(Set(ids).count == ids.count)
        #expect(ids.allSatisfy { $0.range(of: "^[a-zA-Z0-9_-]{1,64}$", options: .regularExpression) != nil })
    }

    @Test("outputs are embedded: text as stdout streams, warnings on stderr, tables as HTML, figures as base64 PNG")
    func outputs() throws {
        let cells = try #require(try notebookJSON()["cells"] as? [[String: Any]])
        let outputs = cells.filter { $0["cell_type"] as? String == "code" }
            .flatMap { $0["outputs"] as? [[String: Any]] ?? [] }
        let streams = outputs.filter { $0["output_type"] as? String == "stream" }
        #expect(streams.contains { $0["name"] as? String == "stdout" })
        #expect(streams.contains { $0["name"] as? String == "stderr" })
        let displays = outputs.compactMap { $0["data"] as? [String: Any] }
        let html = displays.compactMap { ($0["text/html"] as? [String])?.joined() }
        // The table and the link to the predictions file.
        #expect(html.count == 2)
        #expect(html.allSatisfy { $0.contains("&lt;script&gt;") && !$0.contains(ReportFixtures.hostile) })
        let pngs = displays.compactMap { $0["image/png"] as? String }
        #expect(pngs.count == 2)
        #expect(Data(base64Encoded: pngs[0]) == ReportFixtures.png)
    }

    @Test("quotes of the documented study become markdown block quotes naming their source")
    func references() throws {
        let cells = try #require(try notebookJSON()["cells"] as? [[String: Any]])
        let markdown = cells.filter { $0["cell_type"] as? String == "markdown" }
            .map { ($0["source"] as? [String] ?? []).joined() }
        #expect(markdown.contains { $0.hasPrefix("> The study said") && $0.contains("documented study, In [1]") })
    }
}
