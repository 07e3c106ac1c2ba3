import Foundation
import Report
import Testing
import _TestSupport

@Suite("Site folder safety")
struct SiteFolderTests {
    @Test("a folder without the marker is never replaced, and its files stay as they were")
    func refusesForeignFolder() throws {
        let root = try TestPaths.temporaryFolder("foreign")
        defer { try? FileManager.default.removeItem(at: root) }
        let precious = root.appendingPathComponent("thesis.tex")
        try Data("my work".utf8).write(to: precious)
        #expect(throws: ReportError.notASite(path: root.standardizedFileURL.path)) {
            try ReportFixtures.repositoryWriter.write(ReportFixtures.document(), to: root)
        }
        #expect(try String(contentsOf: precious, encoding: .utf8) == "my work")
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["thesis.tex"])
        #expect(ReportError.notASite(path: "/x").description.contains(SiteFolder.markerName))
    }

    @Test("a file given as --out is refused")
    func refusesFile() throws {
        let root = try TestPaths.temporaryFolder("file")
        defer { try? FileManager.default.removeItem(at: root) }
        let file = root.appendingPathComponent("site")
        try Data("x".utf8).write(to: file)
        #expect(throws: ReportError.outIsAFile(path: file.standardizedFileURL.path)) {
            try SiteFolder(file).checkReplaceable()
        }
    }

    @Test("a site this program wrote is replaced, keeping the committed README")
    func replacesOwnSite() throws {
        let root = try TestPaths.temporaryFolder("own")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("# site/\n".utf8).write(to: out.appendingPathComponent("README.md"))
        try ReportFixtures.repositoryWriter.write(ReportFixtures.document(), to: out)
        try Data("stale".utf8).write(to: out.appendingPathComponent("stale.html"))
        try ReportFixtures.repositoryWriter.write(ReportFixtures.document(), to: out)
        let names = try FileManager.default.contentsOfDirectory(atPath: out.path)
        #expect(names.contains("README.md") && names.contains("index.html") && !names.contains("stale.html"))
        // No temporary folders are left beside the site.
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["site"])
    }

    @Test("a build that fails leaves the previous site untouched and no temporary folder behind")
    func failedBuildKeepsPreviousSite() throws {
        let root = try TestPaths.temporaryFolder("fail")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("site")
        try ReportFixtures.repositoryWriter.write(ReportFixtures.document(), to: out)
        let before = try Data(contentsOf: out.appendingPathComponent("index.html"))
        struct Boom: Error {}
        #expect(throws: Boom.self) {
            try SiteFolder(out).replace { folder in
                try Data("half".utf8).write(to: folder.appendingPathComponent("index.html"))
                throw Boom()
            }
        }
        #expect(try Data(contentsOf: out.appendingPathComponent("index.html")) == before)
        #expect(try FileManager.default.contentsOfDirectory(atPath: root.path) == ["site"])
    }

    @Test("a run killed between the two moves of the swap gets its previous site back")
    func restoresAfterKilledSwap() throws {
        let root = try TestPaths.temporaryFolder("killed")
        defer { try? FileManager.default.removeItem(at: root) }
        let old = root.appendingPathComponent(".site.old-1234")
        try FileManager.default.createDirectory(at: old, withIntermediateDirectories: true)
        try Data("previous".utf8).write(to: old.appendingPathComponent("index.html"))
        let out = root.appendingPathComponent("site")
        SiteFolder(out).removeLeftovers()
        #expect(try String(contentsOf: out.appendingPathComponent("index.html"), encoding: .utf8) == "previous")
    }
}
