import ArgumentParser
import Foundation
import Study

/// `bloodstudy diff A B`: what changed between two runs, as a pull-request comment or a page.
struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Compare two runs' results.json: every result key whose value changed, with its bootstrap interval.",
        discussion: """
            A and B are each a site folder written by 'bloodstudy report' or its results.json. Prints a \
            Markdown table ready to paste into a pull request: the settings that differ, then every result \
            key whose value changed, was added or was removed, with the bootstrap 95% interval of each run \
            in brackets where it published one. Step timings change on every run and are left out unless \
            --timings is given.
            """
    )

    @Argument(help: "The first run: a site folder or its results.json.")
    var a: String

    @Argument(help: "The second run: a site folder or its results.json.")
    var b: String

    @Flag(help: "Write a standalone HTML page instead of Markdown.")
    var html = false

    @Flag(help: "Also compare the wall seconds of every step.")
    var timings = false

    @Option(help: "Write to this file instead of the terminal.")
    var out: String?

    func run() throws {
        let diff: ResultsDiff
        do {
            diff = try ResultsDiff(a: URL(fileURLWithPath: a), b: URL(fileURLWithPath: b), includeTimings: timings)
        } catch {
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
        let text = html ? diff.html() : diff.markdown()
        if let out {
            try FileOps.write(Data(text.utf8), to: URL(fileURLWithPath: out))
            print("wrote \(out): \(diff.rows.count) changed keys")
        } else {
            print(text, terminator: "")
        }
    }
}
