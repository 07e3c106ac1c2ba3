import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// The file operations that change the disk during a run (the step cache and the site), in one
/// place so that
/// - every failure is reported the same way: the file, the operation, the size and the cause in
///   plain words, with what to do (`FileOperationError`), never a Foundation error dump;
/// - an atomic write is written to a temporary sibling, synced and renamed, so a crash leaves the
///   old file or the new one, never half of one;
/// - a test can make the Nth write, rename, sync or removal fail, or kill the process there
///   (`FaultInjection`, switched on by `$BLOODSTUDY_FAULT`), to prove that the next run loses nothing.
public enum FileOps {
    /// Writes `data` to `url`. `atomic`: through a temporary sibling that is synced and renamed
    /// over `url`; otherwise written in place (for files in a folder that is itself swapped in whole).
    public static func write(_ data: Data, to url: URL, atomic: Bool = true) throws {
        let target = atomic ? temporarySibling(of: url) : url
        do {
            let stream = try StreamWriter(url: target, expectedBytes: data.count)
            try stream.append(data)
            try stream.finish(sync: atomic)
            if atomic { try move(target, to: url, replacing: true) }
        } catch var error as FileOperationError {
            if atomic { unlink(target.path) }
            if error.path == target.path { error.path = url.path }   // name the file, not its temporary twin
            throw error
        } catch {
            if atomic { unlink(target.path) }
            throw error
        }
    }

    /// Renames `source` to `target` (same file system). With `replacing`, a file at `target` is
    /// replaced atomically; a folder at `target` must have been removed first.
    public static func move(_ source: URL, to target: URL, replacing: Bool = false) throws {
        try FaultInjection.shared.before(.rename, source.path) { }
        if !replacing, FileManager.default.fileExists(atPath: target.path) {
            throw FileOperationError(.rename, path: target.path, code: EEXIST)
        }
        if rename(source.path, target.path) != 0 {
            throw FileOperationError(.rename, path: target.path, code: errno, from: source.path)
        }
    }

    /// Moves the file `source` (a download in the system's temporary folder) to `target`, replacing
    /// it: a rename on the same file system; otherwise a copy, in pieces, to a synced temporary
    /// sibling of `target` that is renamed over it, then `source` is removed.
    public static func place(_ source: URL, at target: URL) throws {
        try FaultInjection.shared.before(.rename, source.path) { }
        if rename(source.path, target.path) == 0 { return }
        guard errno == EXDEV else { throw FileOperationError(.rename, path: target.path, code: errno, from: source.path) }
        guard let input = FileHandle(forReadingAtPath: source.path) else {
            throw FileOperationError(.read, path: source.path, code: errno)
        }
        defer { try? input.close() }
        let size = (try? FileManager.default.attributesOfItem(atPath: source.path)[.size] as? Int) ?? nil
        let temporary = temporarySibling(of: target)
        do {
            let stream = try StreamWriter(url: temporary, expectedBytes: size)
            while let piece = try input.read(upToCount: 8 << 20), !piece.isEmpty { try stream.append(piece) }
            try stream.finish(sync: true)
            try move(temporary, to: target, replacing: true)
        } catch var error as FileOperationError {
            unlink(temporary.path)
            if error.path == temporary.path { error.path = target.path }
            throw error
        } catch {
            unlink(temporary.path)
            throw FileOperationError(.read, path: source.path, error: error)
        }
        removeIfPossible(source)
    }

    /// Swaps the folders `a` and `b` in one step (Linux `renameat2(RENAME_EXCHANGE)`), so that
    /// no moment exists at which neither is in place. Returns false, having done nothing, when
    /// the system or the file system cannot exchange; the caller then moves one at a time.
    public static func exchange(_ a: URL, _ b: URL) throws -> Bool {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(UnsafeMutableRawPointer(bitPattern: 0), "renameat2") else { return false }
        try FaultInjection.shared.before(.rename, a.path) { }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let exchangeFlag: UInt32 = 2   // RENAME_EXCHANGE
        if renameat2(AT_FDCWD, a.path, AT_FDCWD, b.path, exchangeFlag) == 0 { return true }
        let code = errno
        if code == EINVAL || code == ENOSYS || code == ENOTSUP { return false }
        throw FileOperationError(.rename, path: b.path, code: code, from: a.path)
    }

    /// Removes the file or folder at `url` (and everything in it); an absent `url` is not an error.
    public static func remove(_ url: URL) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: url.path) else { return }
        // A kill in the middle of a removal is simulated by removing one entry first.
        try FaultInjection.shared.before(.remove, url.path) {
            if let first = try? fm.contentsOfDirectory(atPath: url.path).sorted().first {
                try? fm.removeItem(at: url.appendingPathComponent(first))
            }
        }
        do { try fm.removeItem(at: url) } catch {
            throw FileOperationError(.remove, path: url.path, error: error)
        }
    }

    /// Removes `url` when present, ignoring failures: for clean-up whose failure changes nothing
    /// that a later run relies on (a leftover temporary folder is removed by the next run).
    public static func removeIfPossible(_ url: URL) { try? remove(url) }

    /// Creates the folder `url` and its parents.
    public static func createDirectory(_ url: URL) throws {
        do { try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true) } catch {
            throw FileOperationError(.createFolder, path: url.path, error: error)
        }
    }

    /// Copies a file or folder tree (a site's assets); each file copied counts as a write.
    public static func copy(_ source: URL, to target: URL) throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: source.path, isDirectory: &isDirectory) else {
            throw FileOperationError(.read, path: source.path, code: ENOENT)
        }
        if isDirectory.boolValue {
            try createDirectory(target)
            let names = (try? fm.contentsOfDirectory(atPath: source.path)) ?? []
            for name in names.sorted() {
                try copy(source.appendingPathComponent(name), to: target.appendingPathComponent(name))
            }
        } else {
            let data: Data
            do { data = try Data(contentsOf: source) } catch {
                throw FileOperationError(.read, path: source.path, error: error)
            }
            try write(data, to: target, atomic: false)
        }
    }

    /// Flushes the folder `url` to the disk, so that the renames into it survive a power loss.
    public static func syncDirectory(_ url: URL) throws {
        try FaultInjection.shared.before(.sync, url.path) { }
        let fd = open(url.path, O_RDONLY)
        guard fd >= 0 else { throw FileOperationError(.sync, path: url.path, code: errno) }
        defer { close(fd) }
        if fsync(fd) != 0, errno != EINVAL { throw FileOperationError(.sync, path: url.path, code: errno) }
    }

    /// A file written in pieces (a 3 GB matrix in blocks): one write point for fault injection,
    /// however many pieces; errors name the file and the size it was to have.
    public final class StreamWriter {
        public let url: URL
        let expectedBytes: Int?
        private var fd: Int32
        private var written = 0
        private var counted = false

        public init(url: URL, expectedBytes: Int? = nil) throws {
            self.url = url; self.expectedBytes = expectedBytes
            fd = open(url.path, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
            guard fd >= 0 else { throw FileOperationError(.write, path: url.path, code: errno, bytes: expectedBytes) }
        }

        deinit { if fd >= 0 { close(fd) } }

        /// Appends `data` to the file.
        public func append(_ data: Data) throws {
            if !counted {
                counted = true
                // A fault writes half of the first piece, as a disk that fills up midway would.
                try FaultInjection.shared.before(.write, url.path, bytes: expectedBytes ?? data.count) {
                    data.prefix(data.count / 2).withUnsafeBytes { _ = systemWrite(fd, $0.baseAddress, $0.count) }
                }
            }
            try data.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let n = systemWrite(fd, raw.baseAddress! + offset, raw.count - offset)
                    if n < 0 {
                        if errno == EINTR { continue }
                        throw FileOperationError(.write, path: url.path, code: errno, bytes: expectedBytes ?? written + raw.count)
                    }
                    offset += n
                }
            }
            written += data.count
        }

        /// Closes the file, after flushing it to the disk when `sync`.
        public func finish(sync: Bool) throws {
            if !counted { try append(Data()) }
            if sync {
                try FaultInjection.shared.before(.sync, url.path) { }
                if fsync(fd) != 0 { throw FileOperationError(.sync, path: url.path, code: errno, bytes: written) }
            }
            let result = close(fd)
            fd = -1
            if result != 0 { throw FileOperationError(.write, path: url.path, code: errno, bytes: written) }
        }

        /// Bytes appended so far.
        public var bytesWritten: Int { written }
    }

    static func temporarySibling(of url: URL) -> URL {
        url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).tmp-\(UUID().uuidString.prefix(8))")
    }
}

/// A file operation that failed, said in plain words: which file, what the program was doing, how
/// large the file was to be, why it failed and what to do.
///
///     no space left on the device of /data/cache while writing steps/hog/3f…/hog.bin (3.0 GB); free space there or pass --cache PATH on a larger disk
public struct FileOperationError: Error, CustomStringConvertible, Equatable {
    public enum Operation: String, Sendable {
        case write = "writing", rename = "renaming", sync = "syncing", remove = "removing",
             createFolder = "creating the folder", read = "reading", use = "using"
    }
    public var operation: Operation
    public var path: String
    /// The other path of a rename.
    public var source: String?
    /// Size the file was to have, when known.
    public var bytes: Int?
    /// The cause as an `errno` value.
    public var code: Int32
    /// Set when the failure was injected by `$BLOODSTUDY_FAULT`.
    public var injected = false

    public init(_ operation: Operation, path: String, code: Int32, bytes: Int? = nil, from source: String? = nil) {
        self.operation = operation; self.path = path; self.code = code; self.bytes = bytes; self.source = source
    }

    /// Wraps a Foundation error of an operation on `path`, keeping only its cause.
    public init(_ operation: Operation, path: String, error: any Error, bytes: Int? = nil) {
        self.init(operation, path: path, code: Self.errnoValue(of: error) ?? EIO, bytes: bytes)
    }

    public var description: String {
        let place = FileLocations.shared.describe(path)
        let size = bytes.map { " (\(Self.sizeText($0)))" } ?? ""
        let what = "\(operation.rawValue) \(place.relative)\(size)"
        let root = place.root ?? (path as NSString).deletingLastPathComponent
        let option = place.option.map { " or pass \($0) PATH" } ?? ""
        let message: String
        switch code {
        case ENOSPC:
            message = "no space left on the device of \(root) while \(what); free space there\(place.option.map { " or pass \($0) PATH on a larger disk" } ?? "")"
        case EDQUOT:
            message = "the disk quota of \(root) is used up while \(what); free space there\(option)"
        case EACCES, EPERM:
            message = "permission denied while \(what) in \(root); make it writable\(option)"
        case EROFS:
            message = "\(root) is on a read-only file system (while \(what)); pass a writable folder\(place.option.map { " with \($0) PATH" } ?? "")"
        case ENOENT:
            message = "the folder of \(place.relative) disappeared while \(operation.rawValue) it (was it removed by another program?); run the same command again"
        case EEXIST:
            message = "\(place.relative) already exists while \(what); remove it or run again"
        case EIO:
            message = "the device of \(root) reported an input/output error while \(what); check the disk"
        case EMFILE, ENFILE:
            message = "too many open files while \(what); close other programs or raise 'ulimit -n'"
        default:
            message = "\(String(cString: strerror(code)).lowercased()) while \(what)"
        }
        return message + (injected ? " [fault injected by $\(FaultInjection.variable)]" : "")
    }

    /// `error` in plain words: a Foundation file error becomes a `FileOperationError` naming its
    /// file (when it names one) and cause; any other error is its own description.
    public static func plainWords(_ error: any Error) -> String {
        if !(error is CocoaError), !(error is POSIXError), type(of: error) != NSError.self { return "\(error)" }
        let ns = error as NSError
        guard ns.domain == NSCocoaErrorDomain || ns.domain == NSPOSIXErrorDomain else { return "\(error)" }
        let path = (ns.userInfo[NSFilePathErrorKey] as? String) ?? (ns.userInfo[NSURLErrorKey] as? URL)?.path
        guard let code = errnoValue(of: error) else {
            return path.map { "could not use \($0): \(ns.localizedDescription)" } ?? ns.localizedDescription
        }
        guard let path else { return String(cString: strerror(code)).lowercased() }
        return FileOperationError(.use, path: path, code: code).description
    }

    /// "3.0 GB", "12.3 KB", "512 bytes".
    public static func sizeText(_ bytes: Int) -> String {
        let b = Double(bytes)
        if b < 1024 { return "\(bytes) bytes" }
        if bytes < 1 << 20 { return String(format: "%.1f KB", b / 1024) }
        if bytes < 1 << 30 { return String(format: "%.1f MB", b / 1024 / 1024) }
        return String(format: "%.1f GB", b / 1024 / 1024 / 1024)
    }

    /// The `errno` behind a Foundation error (a POSIX error, or a Cocoa file error and its
    /// underlying POSIX error), when there is one.
    public static func errnoValue(of error: any Error) -> Int32? {
        let ns = error as NSError
        if ns.domain == NSPOSIXErrorDomain { return Int32(ns.code) }
        if let underlying = ns.userInfo[NSUnderlyingErrorKey] as? NSError, let code = errnoValue(of: underlying) { return code }
        guard ns.domain == NSCocoaErrorDomain else { return nil }
        switch ns.code {
        case CocoaError.fileWriteOutOfSpace.rawValue: return ENOSPC
        case CocoaError.fileNoSuchFile.rawValue, CocoaError.fileReadNoSuchFile.rawValue: return ENOENT
        case CocoaError.fileWriteNoPermission.rawValue, CocoaError.fileReadNoPermission.rawValue: return EACCES
        case CocoaError.fileWriteVolumeReadOnly.rawValue: return EROFS
        case CocoaError.fileWriteFileExists.rawValue: return EEXIST
        default: return nil
        }
    }
}

/// The folders a run writes under, each with the option that moves it (`--cache`, `--out`), so
/// that an error can say "the device of CACHE" and "pass --cache PATH".
public final class FileLocations: @unchecked Sendable {
    public static let shared = FileLocations()
    private let lock = NSLock()
    private var roots: [(path: String, option: String)] = []

    /// Names `folder` as the one `option` chooses.
    public func register(_ folder: URL, option: String) {
        let path = folder.standardizedFileURL.path
        lock.lock(); defer { lock.unlock() }
        roots.removeAll { $0.path == path }
        roots.append((path, option))
    }

    func describe(_ path: String) -> (root: String?, relative: String, option: String?) {
        let standard = URL(fileURLWithPath: path).standardizedFileURL.path
        lock.lock(); defer { lock.unlock() }
        let match = roots.filter { standard.hasPrefix($0.path + "/") }.max { $0.path.count < $1.path.count }
        guard let match else { return (nil, path, nil) }
        return (match.path, String(standard.dropFirst(match.path.count + 1)), match.option)
    }
}

/// `write(2)`, named apart from the many `write` methods around it.
func systemWrite(_ fd: Int32, _ buffer: UnsafeRawPointer?, _ count: Int) -> Int {
    #if canImport(Glibc)
    Glibc.write(fd, buffer, count)
    #else
    Darwin.write(fd, buffer, count)
    #endif
}
