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

    @Option(name: .customLong("force"), help: ArgumentHelp( "Recompute this step and every step after it that depends on it (repeatable).", valueName: "step"))
    var force: [String] = []

    @Option(name: .customLong("only"), help: ArgumentHelp("Run only this step and the steps it depends on (repeatable); the site then has only their pages.", valueName: "step"))
    var only: [String] = []

    @Flag(name: .customLong("no-wait"), help: "When another run is using the same --cache folder, stop at once instead of waiting for it.")
    var noWait = false

    @Option(help: "Folder holding templates/ and assets/. Default: the current folder when it holds them (the repository root), else PREFIX/share/bloodstudy beside the installed program, else the repository the program was built in.")
    var resources: String?

    func run() throws {
        try Self.fetchDatasetIfMissing(options)
        var job = ReportJob(profile: options.profile, seed: options.seed, data: options.resolvedData,
                            out: URL(fileURLWithPath: options.out), cache: URL(fileURLWithPath: options.cache),
                            resources: resources.map { URL(fileURLWithPath: $0) } ?? ResourceLocation.find(), weights: URL(fileURLWithPath: options.weights),
                            force: force)
        job.waitForCache = !noWait
        Self.explainInterruption()
        do {
            let summary = try job.run(sections: try ReportJob.sections(only: only, weights: job.weights))
            for line in summary.lines { print(line) }
        } catch {
            // Library errors already say what failed and what to do; print them and exit non-zero.
            FileHandle.standardError.write(Data("error: \(FileOperationError.plainWords(error))\n".utf8))
            throw ExitCode.failure
        }
    }

    /// With no `--data` and no `$BLOODSTUDY_DATA`, a missing default dataset folder is downloaded
    /// first (as `fetch-data` does); offline this fails fast and says how to point `--data` at a copy.
    private static func fetchDatasetIfMissing(_ options: SharedOptions) throws {
        let folder = options.resolvedData
        guard !FileManager.default.fileExists(atPath: folder.path), options.isDefaultDataLocation else { return }
        print("No dataset at \(folder.path): fetching it first (see 'bloodstudy fetch-data --help').")
        try FetchDataCommand.parse(["--into", folder.deletingLastPathComponent().path]).run()
    }

    /// On Ctrl-C, says that finished steps are kept before exiting (a killed run resumes the same way).
    private static func explainInterruption() {
        signal(SIGINT) { _ in
            // A StaticString needs no allocation, so this is safe inside a signal handler.
            let message: StaticString = "\ninterrupted: finished steps are cached and the previous site is unchanged; run the same command again to resume.\n"
            _ = write(2, message.utf8Start, message.utf8CodeUnitCount)
            _exit(130)
        }
    }
}
