import Foundation
import Report
import Testing
import _TestSupport

@Suite("Data files published with the site")
struct FileOutputTests {
    @Test("a file output is written at its path under the site and linked (escaped) from its page")
    func writtenAndLinked() throws {
        let root = try TestPaths.temporaryFolder("file-output")
        defer { try? FileManager.default.removeItem(at: root) }
        let site = root.appendingPathComponent("site")
        try ReportFixtures.repositoryWriter.write(ReportFixtures.document(), to: site)
        let written = try Data(contentsOf: site.appendingPathComponent("predictions/model_a.csv"))
        #expect(written == ReportFixtures.predictions.data)
        let page = try String(contentsOf: site.appendingPathComponent("eda.html"), encoding: .utf8)
        #expect(page.contains("<a href=\"predictions/model_a.csv\" download>Predictions of &lt;script&gt;alert(1)&lt;/script&gt;</a>"))
        #expect(page.contains("Columns for &lt;script&gt;"))
        #expect(!page.contains(ReportFixtures.hostile))
    }

    @Test("the notebook shows the same link, escaped, as an HTML output")
    func notebookLink() throws {
        let data = try NotebookFileWriter().data(for: ReportFixtures.document().notebook)
        let json = try #require(try JSONSerialization.jsonObject(with: data) as? [String: Any])
        let cells = try #require(json["cells"] as? [[String: Any]])
        let html = cells.flatMap { $0["outputs"] as? [[String: Any]] ?? [] }
            .compactMap { (($0["data"] as? [String: Any])?["text/html"] as? [String])?.joined() }
        let link = try #require(html.first { $0.contains("predictions/model_a.csv") })
        #expect(link.contains("<a href=\"predictions/model_a.csv\" download>Predictions of &lt;script&gt;alert(1)&lt;/script&gt;</a>"))
        #expect(!link.contains(ReportFixtures.hostile))
    }

    @Test("only relative paths of plain names, outside the site's own folders, are accepted")
    func paths() {
        for good in ["predictions/cnn.csv", "data/a/b_1-2.txt"] { #expect(FileOutput.isValidPath(good), "\(good)") }
        for bad in ["cnn.csv", "/etc/passwd", "predictions/../index.html", "predictions/.hidden", "predictions/a b.csv",
                    "figures/x.png", "assets/site.css", "predictions//x.csv", "predictions/<x>.csv"] {
            #expect(!FileOutput.isValidPath(bad), "\(bad)")
        }
    }
}
