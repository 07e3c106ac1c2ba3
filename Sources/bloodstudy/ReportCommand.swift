import ArgumentParser
import Foundation
import Study

/// `bloodstudy report`: runs the study as cached steps and writes the site, results.json and study.ipynb.
struct ReportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "report",
        abstract: "Run the study and write the report site, results.json and study.ipynb.",
        discussion: """
            Each section is a cached step: a second run with the same settings reuses every step, \
            and an interrupted run resumes where it stopped. The site is built in a temporary folder \
            and replaces --out only when complete.
            """)

    @OptionGroup var options: SharedOptions

    @Option(name: .customLong("force"), help: "Recompute this step and every step after it that depends on it (repeatable).")
    var force: [String] = []

    @Option(help: "Folder holding templates/ and assets/ (the repository root).")
    var resources: String = "."

    func run() throws {
        let job = ReportJob(profile: options.profile, seed: options.seed, data: options.resolvedData,
                            out: URL(fileURLWithPath: options.out), cache: URL(fileURLWithPath: options.cache),
                            resources: URL(fileURLWithPath: resources), force: force)
        do {
            let summary = try job.run()
            for line in summary.lines { print(line) }
        } catch {
            // Library errors already say what failed and what to do; print them and exit non-zero.
            FileHandle.standardError.write(Data("error: \(error)\n".utf8))
            throw ExitCode.failure
        }
    }
}
