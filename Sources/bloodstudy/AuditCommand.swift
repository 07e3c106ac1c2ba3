import ArgumentParser
import Foundation
import Study

/// `bloodstudy audit`: checks the dataset before anything is trained on it.
struct AuditCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "audit",
        abstract: "Check every image of the dataset and print the data audit.",
        discussion: """
            Decodes every file in the class folders and reports the files that are not usable \
            images (and why), the images per class beside the documented study's counts, the \
            image sizes and their outliers, per-channel brightness and noise with outliers, the \
            sharpness of size outliers against standard images, and exact duplicates.
            """
    )

    @OptionGroup var options: SharedOptions

    @Option(help: "Also write the full report as JSON to this file.")
    var json: String?

    @Option(help: "Longest list printed for each kind of finding.")
    var listLimit: Int = 20

    func validate() throws {
        guard listLimit >= 0 else { throw ValidationError("--list-limit must be 0 or more, not \(listLimit).") }
    }

    func run() throws {
        let start = Date()
        let progress = TerminalProgress(label: "Auditing")
        let (_, report) = try DatasetAudit.run(root: options.resolvedData, progress: progress.update)
        progress.finish()
        print(report.text(listLimit: listLimit))
        if let json {
            let encoder = JSONEncoder()
            encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
            try FileOps.write(try encoder.encode(report), to: URL(fileURLWithPath: json))
            print("\nFull report written to \(json)")
        }
        print(String(format: "\nAudited %d files in %.1f s.", report.totalFiles, Date().timeIntervalSince(start)))
    }
}

/// A one-line progress counter on standard error, redrawn in place (only when it is a terminal).
final class TerminalProgress: @unchecked Sendable {
    private let label: String
    private let isTerminal = isatty(STDERR_FILENO) != 0
    private let lock = NSLock()

    init(label: String) { self.label = label }

    var update: @Sendable (Int, Int) -> Void {
        { [self] done, total in
            guard isTerminal else { return }
            lock.lock(); defer { lock.unlock() }
            let width = 30, filled = total > 0 ? width * done / total : width
            let bar = String(repeating: "#", count: filled) + String(repeating: "-", count: width - filled)
            FileHandle.standardError.write(Data("\r\(label) [\(bar)] \(done)/\(total)".utf8))
        }
    }

    func finish() {
        if isTerminal { FileHandle.standardError.write(Data("\r\u{1B}[2K".utf8)) }
    }
}
