import Foundation
import Report
import Testing
import _TestSupport

@Suite("Static site writer")
struct SiteWriterTests {
    /// Writes the fixture document into a fresh folder and returns the site's root.
    func writeSite() throws -> URL {
        let root = try TestPaths.temporaryFolder("site")
        let out = root.appendingPathComponent("site")
        try ReportFixtures.repositoryWriter.write(ReportFixtures.document(), to: out)
        return out
    }

    @Test("every href and src of the rendered site resolves to a file or an anchor of the site")
    func noBrokenLinks() throws {
        let site = try writeSite()
        defer { try? FileManager.default.removeItem(at: site.deletingLastPathComponent()) }
        let result = try SiteLinks.broken(in: site)
        // The fixture has pages, figures, layers, assets and anchors: many references to check.
        #expect(result.checked > 30)
        #expect(result.broken.isEmpty, "broken: \(result.broken)")
    }

    @Test("a class named <script>alert(1)</script> reaches every page escaped, never as markup")
    func hostileStringsAreEscaped() throws {
        let site = try writeSite()
        defer { try? FileManager.default.removeItem(at: site.deletingLastPathComponent()) }
        for page in ["index.html", "audit.html", "eda.html"] {
            let html = try String(contentsOf: site.appendingPathComponent(page), encoding: .utf8)
            #expect(!html.contains(ReportFixtures.hostile), "\(page) holds the raw string")
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(page) lost the escaped string")
            // The only scripts are the site's own.
            #expect(html.components(separatedBy: "<script").count - 1 == 1, "\(page) has an unexpected <script>")
        }
        let eda = try String(contentsOf: site.appendingPathComponent("eda.html"), encoding: .utf8)
        // A colour that is not plain hex never reaches a style attribute.
        #expect(!eda.contains("red;}"))
        #expect(eda.contains("background:#888888"))
    }

    @Test("a figure with class layers gets a base image, one layer per class and a toggle button each")
    func layeredFigure() throws {
        let site = try writeSite()
        defer { try? FileManager.default.removeItem(at: site.deletingLastPathComponent()) }
        let eda = try String(contentsOf: site.appendingPathComponent("eda.html"), encoding: .utf8)
        #expect(eda.components(separatedBy: "class=\"legend-toggle\"").count - 1 == 2)
        #expect(eda.components(separatedBy: "<img class=\"layer\"").count - 1 == 2)
        #expect(eda.contains("figures/eda-1-base.png"))
        // The second figure has no layers: one plain image linked to its 2x file for zooming.
        #expect(eda.contains("<a class=\"zoom\" href=\"figures/eda-2@2x.png\"><img src=\"figures/eda-2.png\""))
        #expect(eda.contains("<figcaption><span class=\"label\">Figure 2.</span>"))
    }

    @Test("the site carries its marker, its assets, results.json and the notebook; no CDN or web font is referenced")
    func filesAndOffline() throws {
        let site = try writeSite()
        defer { try? FileManager.default.removeItem(at: site.deletingLastPathComponent()) }
        let fm = FileManager.default
        for name in [SiteFolder.markerName, "assets/site.css", "assets/site.js", "results.json", "study.ipynb", "index.html"] {
            #expect(fm.fileExists(atPath: site.appendingPathComponent(name).path), "missing \(name)")
        }
        let css = try String(contentsOf: site.appendingPathComponent("assets/site.css"), encoding: .utf8)
        #expect(!css.contains("@import") && !css.contains("url(http") && !css.contains("@font-face"))
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.hasPrefix("<!DOCTYPE html>"))
        #expect(!index.contains("http://") && !index.contains("https://"))
    }

    /// With `BLOODSTUDY_TEST_SITE_OUT=/path` the fixture site is also written there, to check it
    /// with the Nu HTML checker or look at it in a browser.
    @Test("the fixture site can be kept for inspection", .enabled(if: ProcessInfo.processInfo.environment["BLOODSTUDY_TEST_SITE_OUT"] != nil))
    func keepForInspection() throws {
        let out = URL(fileURLWithPath: ProcessInfo.processInfo.environment["BLOODSTUDY_TEST_SITE_OUT"]!)
        try ReportFixtures.repositoryWriter.write(ReportFixtures.document(), to: out)
        #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("index.html").path))
    }

    @Test("numeric table columns are right-aligned; text columns are not")
    func numericColumns() {
        let table = Table(caption: "c", columns: ["Class", "Images", "Share"],
                          rows: [["a", "1,218", "7.1%"], ["b", "12", "—"]])
        #expect(!table.isNumeric(column: 0))
        #expect(table.isNumeric(column: 1))
        #expect(table.isNumeric(column: 2))
    }

    @Test("a missing templates folder is reported with its path and what to do")
    func missingTemplates() throws {
        let root = try TestPaths.temporaryFolder("nores")
        defer { try? FileManager.default.removeItem(at: root) }
        let writer = SiteWriter(resourceRoot: root)
        #expect(throws: ReportError.missingResource(path: root.appendingPathComponent("templates").path)) {
            try writer.write(ReportFixtures.document(), to: root.appendingPathComponent("site"))
        }
        #expect(ReportError.missingResource(path: "/x/templates").description.contains("--resources"))
    }
}
