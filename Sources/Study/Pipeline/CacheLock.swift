import Foundation
import Report
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// An advisory lock on a cache folder (`<cache>/run.lock`), held for a whole run so that two runs
/// never share a cache at once: the second would otherwise clear the first's staging folders.
///
/// The lock is `flock(2)` on the file, which the kernel releases when the holder exits however it
/// exits (a kill -9 included), so a lock left by a dead process is simply taken over. The file
/// holds the holder's process id and start time, only to tell a waiting run who it waits for.
public final class CacheLock {
    public static let fileName = "run.lock"

    /// Who holds a lock, as written in its file.
    public struct Holder: Codable, Sendable, Equatable {
        public var pid: Int32
        public var started: Date

        public var text: String {
            let formatter = ISO8601DateFormatter()
            formatter.timeZone = TimeZone.current
            formatter.formatOptions = [.withFullDate, .withFullTime, .withSpaceBetweenDateAndTime]
            return "process \(pid), started \(formatter.string(from: started))"
        }
    }

    public let file: URL
    private var fd: Int32

    /// Takes the lock on `cache`, creating the folder if needed. When another run holds it, waits
    /// for it (telling `waiting` who holds it) or, unless `wait`, throws `StudyError.cacheBusy`.
    public init(cache: URL, wait: Bool, waiting: (Holder?) -> Void = { _ in }) throws {
        try FileOps.createDirectory(cache)
        file = cache.appendingPathComponent(Self.fileName)
        fd = open(file.path, O_RDWR | O_CREAT | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw FileOperationError(.write, path: file.path, code: errno) }
        if flock(fd, LOCK_EX | LOCK_NB) != 0 {
            let holder = Self.holder(of: file)
            guard wait else {
                close(fd)
                throw StudyError.cacheBusy(cache: cache.path, holder: holder?.text)
            }
            waiting(holder)
            while flock(fd, LOCK_EX) != 0 {
                guard errno == EINTR else {
                    let code = errno
                    close(fd)
                    throw FileOperationError(.write, path: file.path, code: code)
                }
            }
        }
        // Ours now: say who holds it (the file of a dead holder is simply overwritten).
        let holder = Holder(pid: getpid(), started: Date())
        let data = try JSONEncoder.iso.encode(holder)
        ftruncate(fd, 0)
        _ = data.withUnsafeBytes { pwrite(fd, $0.baseAddress, $0.count, 0) }
    }

    deinit { release() }

    /// Releases the lock (also done when the object goes away or the process exits).
    public func release() {
        guard fd >= 0 else { return }
        flock(fd, LOCK_UN)
        close(fd)
        fd = -1
    }

    /// The holder written in the lock file at `file`, if it can be read.
    public static func holder(of file: URL) -> Holder? {
        guard let data = FileManager.default.contents(atPath: file.path), !data.isEmpty else { return nil }
        return try? JSONDecoder.iso.decode(Holder.self, from: data)
    }
}
