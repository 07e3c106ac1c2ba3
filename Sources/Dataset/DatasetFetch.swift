import DiskIO
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

/// Downloads the published PBC archive (Mendeley Data, DOI 10.17632/snkd93bnjr.1, CC BY 4.0),
/// verifies it and unpacks it safely (`ZipArchive`) so that `data/PBC_dataset_normal_DIB` exists.
public struct DatasetFetch: Sendable {
    /// The archive `PBC_dataset_normal_DIB.zip` on Mendeley Data.
    public static let archiveURL = URL(string:
        "https://data.mendeley.com/public-files/datasets/snkd93bnjr/files/2fc38728-2ae7-4a62-a857-032af82334c3/file_downloaded")!
    /// The folder the archive unpacks to.
    public static let folderName = "PBC_dataset_normal_DIB"

    public enum Failure: Error, Sendable, CustomStringConvertible {
        case offline(url: String, detail: String)
        case http(url: String, status: Int)
        case checksum(expected: String, actual: String)
        case layout(folder: String, detail: String)

        public var description: String {
            switch self {
            case let .offline(url, detail):
                return "Could not download \(url) (\(detail)). If this machine has no internet access, copy the "
                    + "PBC_dataset_normal_DIB folder here from a machine that has it and pass --data PATH to it "
                    + "(or set BLOODSTUDY_DATA)."
            case let .http(url, status):
                return "The server answered \(status) for \(url). Download PBC_dataset_normal_DIB.zip by hand from "
                    + "https://data.mendeley.com/datasets/snkd93bnjr/1 and run 'bloodstudy fetch-data --archive FILE'."
            case let .checksum(expected, actual):
                return "The archive's SHA-256 is \(actual), not the expected \(expected). Delete it and download again."
            case let .layout(folder, detail):
                return "The unpacked data at \(folder) is not the PBC dataset: \(detail)."
            }
        }
    }

    /// Where the archive and the unpacked folder go (`data/`).
    public var destination: URL
    /// Expected SHA-256 of the archive (lowercase hex), when known; checked when given.
    public var expectedSHA256: String?

    public init(destination: URL, expectedSHA256: String? = nil) {
        self.destination = destination
        self.expectedSHA256 = expectedSHA256?.lowercased()
    }

    /// Downloads the archive to `destination/PBC_dataset_normal_DIB.zip`, reporting (bytes so far,
    /// expected bytes or nil) now and then. Fails within about 30 s when offline.
    public func download(from url: URL = archiveURL, progress: @escaping @Sendable (Int64, Int64?) -> Void) throws -> URL {
        try FileOps.createDirectory(destination)
        let target = destination.appendingPathComponent(Self.folderName + ".zip")
        let delegate = DownloadDelegate(progress: progress)
        let configuration = URLSessionConfiguration.default
        configuration.timeoutIntervalForRequest = 30
        let session = URLSession(configuration: configuration, delegate: delegate, delegateQueue: nil)
        defer { session.finishTasksAndInvalidate() }
        session.downloadTask(with: url).resume()
        delegate.done.wait()
        if let error = delegate.error { throw Failure.offline(url: url.absoluteString, detail: error.localizedDescription) }
        if let status = delegate.status, !(200..<300).contains(status) { throw Failure.http(url: url.absoluteString, status: status) }
        guard let file = delegate.file else { throw Failure.offline(url: url.absoluteString, detail: "no file received") }
        try FileOps.place(file, at: target)
        return target
    }

    /// Verifies (`--sha256` when given, then every entry's CRC), checks every entry name and
    /// unpacks into `destination`; returns the dataset folder.
    public func unpack(archive: URL) throws -> URL {
        if let expected = expectedSHA256 {
            let actual = try Self.sha256(of: archive)
            guard actual == expected else { throw Failure.checksum(expected: expected, actual: actual) }
        }
        let zip = ZipArchive(url: archive)
        try zip.verify()
        try zip.unpack(into: destination)
        let folder = destination.appendingPathComponent(Self.folderName)
        let classes = ((try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []).filter { !$0.hasPrefix(".") }
        let expected = Set(BloodCellClass.allCases.map(\.rawValue))
        guard expected.isSubset(of: Set(classes)) else {
            throw Failure.layout(folder: folder.path, detail: "expected the class folders \(expected.sorted().joined(separator: ", ")), "
                                 + "found \(classes.sorted().joined(separator: ", "))")
        }
        return folder
    }

    /// SHA-256 of a file with coreutils' `sha256sum`.
    static func sha256(of file: URL) throws -> String {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/sha256sum")
        process.arguments = [file.path]
        let out = Pipe()
        process.standardOutput = out
        try process.run()
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self).split(separator: " ").first.map(String.init) ?? ""
    }
}

/// Collects a download task's outcome and forwards its progress.
private final class DownloadDelegate: NSObject, URLSessionDownloadDelegate, @unchecked Sendable {
    let progress: @Sendable (Int64, Int64?) -> Void
    let done = DispatchSemaphore(value: 0)
    var file: URL?
    var error: Error?
    var status: Int?

    init(progress: @escaping @Sendable (Int64, Int64?) -> Void) { self.progress = progress }

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didFinishDownloadingTo location: URL) {
        status = (downloadTask.response as? HTTPURLResponse)?.statusCode
        // The system removes `location` when this method returns, so keep a copy.
        let kept = FileManager.default.temporaryDirectory.appendingPathComponent("bloodstudy-\(UUID().uuidString).zip")
        do { try FileOps.place(location, at: kept); file = kept } catch { self.error = error }
    }

    func urlSession(_ session: URLSession, downloadTask: URLSessionDownloadTask, didWriteData bytesWritten: Int64,
                    totalBytesWritten: Int64, totalBytesExpectedToWrite: Int64) {
        progress(totalBytesWritten, totalBytesExpectedToWrite > 0 ? totalBytesExpectedToWrite : nil)
    }

    func urlSession(_ session: URLSession, task: URLSessionTask, didCompleteWithError error: Error?) {
        if let error { self.error = error }
        done.signal()
    }
}
