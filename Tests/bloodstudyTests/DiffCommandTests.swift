import ArgumentParser
import Foundation
import Testing
import _TestSupport
@testable import bloodstudy

/// `bloodstudy diff A B`: its options, its output file, and a clear failure on a missing run.
@Suite struct DiffCommandTests {
    static func results(seed: Int, accuracy: Double) -> String {
        """
        {"schema": 1, "program": "0.1.0", "profile": "smoke", "seed": \(seed), "dataset_hash": "abc", "dataset_files": 10,
         "results": {"models.cnn.test_accuracy": {"label": "CNN: test accuracy", "documented": 0.98, "this_run": \(accuracy)},
                     "models.cnn.test_accuracy.ci95_low": {"label": "low", "documented": null, "this_run": \(accuracy - 0.1)},
                     "models.cnn.test_accuracy.ci95_high": {"label": "high", "documented": null, "this_run": \(accuracy + 0.1)}}}
        """
    }

    @Test func writesMarkdownOrHTMLToAFile() throws {
        let root = try TestPaths.temporaryFolder("diff-cmd")
        defer { try? FileManager.default.removeItem(at: root) }
        let a = root.appendingPathComponent("a.json"), b = root.appendingPathComponent("b.json")
        try Data(Self.results(seed: 42, accuracy: 0.5).utf8).write(to: a)
        try Data(Self.results(seed: 7, accuracy: 0.75).utf8).write(to: b)
        for (flags, name) in [([String](), "diff.md"), (["--html"], "diff.html")] {
            let out = root.appendingPathComponent(name)
            let command = try #require(try DiffCommand.parseAsRoot([a.path, b.path, "--out", out.path] + flags) as? DiffCommand)
            try command.run()
            let text = try String(contentsOf: out, encoding: .utf8)
            #expect(text.contains("models.cnn.test_accuracy") && text.contains("0.75 [0.65, 0.85]"), "\(name): \(text)")
            #expect(flags.isEmpty ? text.hasPrefix("### bloodstudy diff") : text.hasPrefix("<!DOCTYPE html>"))
        }
    }

    @Test func aMissingRunFails() throws {
        let command = try #require(try DiffCommand.parseAsRoot(["/nonexistent/a", "/nonexistent/b"]) as? DiffCommand)
        #expect(throws: ExitCode.failure) { try command.run() }
        #expect(throws: (any Error).self) { try DiffCommand.parseAsRoot(["only-one"]) }
    }
}
