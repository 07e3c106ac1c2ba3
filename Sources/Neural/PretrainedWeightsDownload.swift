import DiskIO
import Foundation
#if canImport(FoundationNetworking)
import FoundationNetworking
#endif

extension PretrainedWeights {
    /// Downloads `model`'s published checkpoint into `folder` (as `model.fileName`), checks
    /// that it parses, and returns its location. An existing valid file is kept.
    ///
    /// - Parameters:
    ///   - source: where to download from; defaults to `model.url` (tests pass a local address).
    ///   - connectTimeout: seconds to wait for the server to answer (default 20); without a network
    ///     this fails within that time with `.downloadFailed` saying what to do instead.
    public static func download(_ model: PretrainedModel, into folder: URL, from source: URL? = nil,
                                connectTimeout: TimeInterval = 20) throws -> URL {
        let url = source ?? model.url
        let destination = folder.appendingPathComponent(model.fileName)
        func failure(_ reason: String) -> PretrainedWeightsError {
            .downloadFailed(model: model.rawValue, url: url.absoluteString, reason: reason)
        }
        // Parses a file as the model's format (the download's temporary name has no useful extension).
        func validate(_ file: URL) throws {
            if model.fileName.hasSuffix(".pth") { _ = try TorchCheckpoint(contentsOf: file) } else { _ = try SafetensorsFile(contentsOf: file) }
        }
        if FileManager.default.fileExists(atPath: destination.path), (try? validate(destination)) != nil {
            return destination
        }
        try FileOps.createDirectory(folder)
        let configuration = URLSessionConfiguration.ephemeral
        configuration.timeoutIntervalForRequest = connectTimeout
        configuration.timeoutIntervalForResource = 4 * 3600   // ViT-B is ~350 MB
        let session = URLSession(configuration: configuration)
        defer { session.finishTasksAndInvalidate() }
        let outcome = DownloadOutcome()
        let done = DispatchSemaphore(value: 0)
        let task = session.downloadTask(with: url) { temporary, response, error in
            // The temporary file is deleted when this handler returns: move it first.
            if let temporary {
                let kept = folder.appendingPathComponent(".\(model.fileName).part")
                do { try FileOps.place(temporary, at: kept); outcome.set(file: kept) } catch {
                    outcome.set(error: "cannot keep the downloaded file: \(error)")
                }
            }
            if let error { outcome.set(error: error.localizedDescription) }
            if let http = response as? HTTPURLResponse, !(200..<300).contains(http.statusCode) {
                outcome.set(error: "the server answered HTTP \(http.statusCode)")
            }
            done.signal()
        }
        task.resume()
        done.wait()
        let (file, message) = outcome.value
        if let message {
            if let file { FileOps.removeIfPossible(file) }
            throw failure(message)
        }
        guard let file else { throw failure("no data was received") }
        do { try validate(file) } catch {
            FileOps.removeIfPossible(file)
            throw failure("the downloaded file is not a valid checkpoint: \(error)")
        }
        try FileOps.move(file, to: destination, replacing: true)
        return destination
    }
}

/// The completion handler's findings, handed across threads under a lock.
private final class DownloadOutcome: @unchecked Sendable {
    private let lock = NSLock()
    private var file: URL?
    private var error: String?
    func set(file: URL) { lock.lock(); self.file = file; lock.unlock() }
    func set(error: String) { lock.lock(); if self.error == nil { self.error = error }; lock.unlock() }
    var value: (URL?, String?) { lock.lock(); defer { lock.unlock() }; return (file, error) }
}
