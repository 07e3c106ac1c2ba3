import Foundation
import Report
import Testing
import _TestSupport

/// The site in a real browser: headless Chromium over the DevTools pipe (`BrowserCheck`). Runs
/// when Chromium is installed (`.ci/run` installs Debian's `chromium`); skipped, saying so,
/// otherwise. With `BLOODSTUDY_BROWSER_SITE` set it also checks that site (CI: the smoke site) and
/// saves a screenshot of each page in `BLOODSTUDY_SCREENSHOTS` (default: `<site>-screenshots`).
@Suite("Browser check: console errors, images, links, width at 1280 px",
       .enabled(if: DevToolsPipe.findBrowser() != nil, "Chromium is not installed (apt-get install chromium), so the site was not checked in a browser"),
       .serialized)
struct BrowserCheckTests {
    let browser = DevToolsPipe.findBrowser() ?? "chromium"

    /// A site of one page `index.html` with `body`, a 2x2 PNG `dot.png` and a second page.
    func site(_ body: String) throws -> URL {
        let root = try TestPaths.temporaryFolder("browser")
        try ReportFixtures.png.write(to: root.appendingPathComponent("dot.png"))
        try Data("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>Two</title></head><body><h1 id=\"top\">Two</h1></body></html>".utf8)
            .write(to: root.appendingPathComponent("two.html"))
        try Data("<!DOCTYPE html><html lang=\"en\"><head><meta charset=\"utf-8\"><title>One</title></head><body>\(body)</body></html>".utf8)
            .write(to: root.appendingPathComponent("index.html"))
        return root
    }

    func findings(_ body: String) throws -> [BrowserCheck.Finding] {
        let root = try site(body)
        defer { try? FileManager.default.removeItem(at: root) }
        let report = try BrowserCheck.check(site: root, browser: browser)
        #expect(report.pages == ["index.html", "two.html"])
        return report.findings
    }

    @Test("a good page passes: its image loads, its links resolve, nothing is wider than the window")
    func goodPage() throws {
        let found = try findings("<p><img src=\"dot.png\" alt=\"dot\" width=\"2\" height=\"2\"> <a href=\"two.html#top\">two</a> <a href=\"#here\" id=\"here\">here</a></p><table><tr><td>narrow</td></tr></table>")
        #expect(found.isEmpty, "\(found)")
    }

    @Test("a missing image fails the check, naming the file")
    func missingImage() throws {
        let found = try findings("<p><img src=\"figures/gone.png\" alt=\"gone\"></p>")
        #expect(found.contains { $0.kind == .image && $0.detail.contains("figures/gone.png") }, "\(found)")
        print("missing image:", found)
    }

    @Test("an over-wide table fails the check, in a scrolling box or on its own")
    func overWideTable() throws {
        let cells = (0..<30).map { "<td>column \($0) with text</td>" }.joined()
        let wrapped = try findings("<div style=\"overflow-x:auto\"><table><tr>\(cells)</tr></table></div>")
        #expect(wrapped.contains { $0.kind == .width && $0.detail.contains("div") }, "\(wrapped)")
        let bare = try findings("<table><tr>\(cells)</tr></table>")
        #expect(bare.contains { $0.kind == .width && $0.detail.contains("the page is") }, "\(bare)")
        print("over-wide table:", wrapped, bare)
    }

    @Test("a link to a missing page or anchor, and a console error, fail the check")
    func brokenLinkAndConsole() throws {
        let found = try findings("<p><a href=\"nowhere.html\">x</a> <a href=\"two.html#gone\">y</a></p><script>console.error('boom')</script>")
        #expect(found.contains { $0.kind == .link && $0.detail.contains("nowhere.html") && $0.detail.contains("no such file") }, "\(found)")
        #expect(found.contains { $0.kind == .link && $0.detail.contains("no element with id gone") }, "\(found)")
        #expect(found.contains { $0.kind == .console && $0.detail.contains("boom") }, "\(found)")
    }

    @Test("a site written with the repository's templates and assets passes, and each page gets a screenshot")
    func fixtureSite() throws {
        let root = try TestPaths.temporaryFolder("browser-site")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("site")
        try ReportFixtures.repositoryWriter.write(ReportFixtures.document(), to: out)
        let report = try BrowserCheck.check(site: out, screenshots: root.appendingPathComponent("shots"), browser: browser)
        #expect(report.findings.isEmpty, "\(report.findings)")
        #expect(report.screenshots.count == report.pages.count)
        for shot in report.screenshots {
            let bytes = try Data(contentsOf: shot)
            #expect(bytes.starts(with: [0x89, 0x50, 0x4E, 0x47]), "\(shot.lastPathComponent) is not a PNG")
        }
    }

    @Test("the site in $BLOODSTUDY_BROWSER_SITE passes (CI: the smoke site), with a screenshot per page",
          .enabled(if: ProcessInfo.processInfo.environment["BLOODSTUDY_BROWSER_SITE"] != nil, "BLOODSTUDY_BROWSER_SITE is not set"))
    func namedSite() throws {
        let env = ProcessInfo.processInfo.environment
        let site = URL(fileURLWithPath: env["BLOODSTUDY_BROWSER_SITE"]!)
        let shots = URL(fileURLWithPath: env["BLOODSTUDY_SCREENSHOTS"] ?? site.path + "-screenshots")
        let report = try BrowserCheck.check(site: site, screenshots: shots, browser: browser)
        print("browser check: \(report.pages.count) pages, \(report.findings.count) findings; screenshots in \(shots.path)")
        for finding in report.findings { print("  \(finding)") }
        #expect(!report.pages.isEmpty)
        #expect(report.findings.isEmpty, "\(report.findings.count) findings: \(report.findings)")
    }
}
