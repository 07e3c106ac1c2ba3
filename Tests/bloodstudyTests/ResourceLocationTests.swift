import Foundation
import Testing
import _TestSupport
@testable import bloodstudy

/// The program finds its templates and assets from any folder (`make install`, a build folder).
@Suite("resources beside the installed program")
struct ResourceLocationTests {
    @Test("an installed PREFIX/bin/bloodstudy looks in PREFIX/share/bloodstudy; a built one in its repository")
    func candidates() throws {
        let prefix = try TestPaths.temporaryFolder("prefix")
        defer { try? FileManager.default.removeItem(at: prefix) }
        let share = prefix.appendingPathComponent("share/bloodstudy")
        #expect(!ResourceLocation.holdsResources(share))
        for file in ["templates/index.mustache", "assets/profiles/paper.json"] {
            let url = share.appendingPathComponent(file)
            try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
            try Data("{}".utf8).write(to: url)
        }
        #expect(ResourceLocation.holdsResources(share))
        let installed = ResourceLocation.candidates(executable: prefix.appendingPathComponent("bin/bloodstudy"))
        #expect(installed.map(\.standardizedFileURL.path).contains(share.standardizedFileURL.path))
        let built = ResourceLocation.candidates(executable: TestPaths.repositoryRoot.appendingPathComponent(".build/x86_64-unknown-linux-gnu/release/bloodstudy"))
        #expect(built.map(\.standardizedFileURL.path).contains(TestPaths.repositoryRoot.standardizedFileURL.path))
        #expect(ResourceLocation.holdsResources(TestPaths.repositoryRoot))
    }

    @Test("--no-wait parses; without it a run waits for the cache")
    func noWait() throws {
        let waits = try #require(try ReportCommand.parseAsRoot([]) as? ReportCommand)
        #expect(!waits.noWait && waits.resources == nil)
        let refuses = try #require(try ReportCommand.parseAsRoot(["--no-wait"]) as? ReportCommand)
        #expect(refuses.noWait)
    }
}
