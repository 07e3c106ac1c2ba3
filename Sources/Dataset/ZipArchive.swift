import DiskIO
import Foundation

/// A ZIP archive inspected and unpacked with the system's Info-ZIP `unzip`, after every entry has
/// been checked: nothing may land outside the destination folder.
///
/// Refused entries: absolute paths (`/x`, `\x`, `C:x`), any `..` component, symbolic links, empty
/// names and names with NUL or control characters. One refused entry refuses the whole archive,
/// before anything is written.
public struct ZipArchive: Sendable {
    /// One entry as the archive's central directory lists it.
    public struct Entry: Sendable, Equatable {
        public var name: String
        public var isDirectory: Bool
        public var isSymbolicLink: Bool

        public init(name: String, isDirectory: Bool = false, isSymbolicLink: Bool = false) {
            self.name = name; self.isDirectory = isDirectory; self.isSymbolicLink = isSymbolicLink
        }
    }

    public enum Failure: Error, Sendable, Equatable, CustomStringConvertible {
        /// An entry that would escape the destination or is a link; `why` says which.
        case unsafeEntry(archive: String, entry: String, why: String)
        /// `unzip` is missing, failed, or the archive's CRC test failed.
        case tool(archive: String, detail: String)

        public var description: String {
            switch self {
            case let .unsafeEntry(archive, entry, why):
                return "\(archive) was not unpacked: its entry '\(entry)' \(why). Download the archive again from "
                    + "its official source; a genuine copy has no such entries."
            case let .tool(archive, detail):
                return "\(archive): \(detail)"
            }
        }
    }

    public let url: URL

    public init(url: URL) { self.url = url }

    /// Checks one entry name; returns why it is refused, or nil when it is safe.
    public static func problem(with entry: Entry) -> String? {
        let name = entry.name
        if entry.isSymbolicLink { return "is a symbolic link" }
        if name.isEmpty { return "has an empty name" }
        if name.unicodeScalars.contains(where: { $0.value < 0x20 || $0.value == 0x7F }) {
            return "contains a control character"
        }
        if name.hasPrefix("/") || name.hasPrefix("\\") { return "is an absolute path" }
        let scalars = Array(name.unicodeScalars)
        if scalars.count >= 2, scalars[1] == ":", CharacterSet.letters.contains(scalars[0]) {
            return "starts with a drive letter"
        }
        let components = name.split(omittingEmptySubsequences: false) { $0 == "/" || $0 == "\\" }
        if components.contains("..") { return "climbs out of the folder with '..'" }
        return nil
    }

    /// Refuses the whole list when any entry is unsafe.
    public static func validate(_ entries: [Entry], archive: String) throws {
        for entry in entries {
            if let why = problem(with: entry) { throw Failure.unsafeEntry(archive: archive, entry: entry.name, why: why) }
        }
    }

    /// The entries, from `unzip -Z1` (exact names) paired with `unzip -Z` (types).
    public func entries() throws -> [Entry] {
        let names = try Self.unzip(["-Z1", url.path], archive: url.path).split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init).filter { !$0.isEmpty }
        let long = try Self.unzip(["-Z", url.path], archive: url.path).split(separator: "\n").map(String.init)
        // `unzip -Z` prints two header lines and one totals line around one line per entry.
        let lines = Array(long.dropFirst(2).dropLast())
        guard lines.count == names.count, zip(lines, names).allSatisfy({ $0.hasSuffix($1) }) else {
            throw Failure.tool(archive: url.path, detail: "its listing could not be read reliably (\(names.count) names, "
                               + "\(lines.count) entries); an entry name may contain a line break")
        }
        return zip(lines, names).map { line, name in
            Entry(name: name, isDirectory: line.hasPrefix("d") || name.hasSuffix("/"), isSymbolicLink: line.hasPrefix("l"))
        }
    }

    /// Tests every entry's CRC (`unzip -tqq`).
    public func verify() throws {
        _ = try Self.unzip(["-tqq", url.path], archive: url.path)
    }

    /// Validates every entry, then unpacks the archive into `destination` (created if needed).
    public func unpack(into destination: URL) throws {
        let list = try entries()
        try Self.validate(list, archive: url.path)
        // A second guard: the normalised target of every entry stays inside the destination.
        let base = destination.standardizedFileURL.path
        for entry in list {
            let target = destination.appendingPathComponent(entry.name).standardizedFileURL.path
            guard target == base || target.hasPrefix(base + "/") else {
                throw Failure.unsafeEntry(archive: url.path, entry: entry.name, why: "resolves outside \(base)")
            }
        }
        try FileOps.createDirectory(destination)
        _ = try Self.unzip(["-qq", "-o", url.path, "-d", destination.path], archive: url.path)
    }

    /// Runs `unzip` and returns its standard output.
    static func unzip(_ arguments: [String], archive: String) throws -> String {
        guard let tool = ["/usr/bin/unzip", "/bin/unzip", "/usr/local/bin/unzip"].first(where: FileManager.default.isExecutableFile) else {
            throw Failure.tool(archive: archive, detail: "the 'unzip' program is needed (Debian: apt-get install unzip)")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: tool)
        process.arguments = arguments
        let out = Pipe(), err = Pipe()
        process.standardOutput = out
        process.standardError = err
        do { try process.run() } catch {
            throw Failure.tool(archive: archive, detail: "could not run unzip: \(error)")
        }
        // Read before waiting so a long listing cannot fill the pipe and block unzip.
        let data = out.fileHandleForReading.readDataToEndOfFile()
        let errors = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            let message = String(decoding: errors, as: UTF8.self).trimmingCharacters(in: .whitespacesAndNewlines)
            throw Failure.tool(archive: archive, detail: "unzip \(arguments.first ?? "") failed (exit \(process.terminationStatus))"
                               + (message.isEmpty ? "" : ": \(message)") + "; the file is damaged or not a ZIP archive")
        }
        return String(decoding: data, as: UTF8.self)
    }
}
