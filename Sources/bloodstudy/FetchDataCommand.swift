import ArgumentParser
import Foundation
import Study

/// `bloodstudy fetch-data`: downloads and unpacks the PBC dataset into data/.
struct FetchDataCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch-data",
        abstract: "Download the PBC dataset (Mendeley Data, CC BY 4.0) and unpack it into data/.",
        discussion: """
            Downloads PBC_dataset_normal_DIB.zip (Acevedo et al. 2020, DOI 10.17632/snkd93bnjr.1), \
            tests every entry's checksum, refuses archives with entries that would land outside \
            the folder (absolute paths, '..', links), and unpacks it to data/PBC_dataset_normal_DIB. \
            Offline, copy the folder from elsewhere and pass --data PATH to the other commands.
            """
    )

    @Option(help: "Folder to unpack into.")
    var into: String = "data"

    @Option(help: "Unpack this already downloaded archive instead of downloading.")
    var archive: String?

    @Option(help: "Expected SHA-256 of the archive, checked before unpacking.")
    var sha256: String?

    func validate() throws {
        if let sha256, sha256.count != 64 || !sha256.allSatisfy(\.isHexDigit) {
            throw ValidationError("--sha256 takes 64 hexadecimal digits, not '\(sha256)'.")
        }
        if let archive, !FileManager.default.fileExists(atPath: archive) {
            throw ValidationError("No archive at \(archive). Give the path of PBC_dataset_normal_DIB.zip.")
        }
    }

    func run() throws {
        let fetch = DatasetFetch(destination: URL(fileURLWithPath: into), expectedSHA256: sha256)
        let file: URL
        if let archive {
            file = URL(fileURLWithPath: archive)
        } else {
            print("Downloading \(DatasetFetch.archiveURL.absoluteString)")
            let bar = TerminalProgress(label: "Downloading (MB)")
            file = try fetch.download { bytes, total in
                bar.update(Int(bytes / 1_000_000), Int((total ?? max(bytes, 1)) / 1_000_000))
            }
            bar.finish()
        }
        print("Checking and unpacking \(file.path)")
        let folder = try fetch.unpack(archive: file)
        print("The dataset is in \(folder.path).")
    }
}
