import Foundation

/// A data file a section publishes with the site (for example a model's test-set predictions as
/// CSV), written by `SiteWriter` at `path` under the site root and linked from the page; the
/// notebook shows the same link (it sits beside `study.ipynb`).
public struct FileOutput: Codable, Sendable, Equatable {
    /// Relative path in the site, such as `predictions/cnn.csv`: folders and a file name of
    /// letters, digits, `-`, `_` and `.`, never `..` (checked by `isValidPath`).
    public var path: String
    public var data: Data
    /// The link text (shown escaped), such as "Test-set predictions (CSV)".
    public var label: String
    /// One sentence on what the file holds (its columns), shown escaped beside the link.
    public var description: String

    public init(path: String, data: Data, label: String, description: String) {
        precondition(Self.isValidPath(path), "file path '\(path)' must be relative folders and a name of [A-Za-z0-9._-], without '..'")
        self.path = path; self.data = data; self.label = label; self.description = description
    }

    /// Whether `path` is a safe relative path inside the site (no absolute path, no `..`, no
    /// characters that would need escaping in a URL), and does not shadow the site's own files.
    public static func isValidPath(_ path: String) -> Bool {
        let parts = path.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count >= 2, !["assets", "figures"].contains(parts[0]) else { return false }
        return parts.allSatisfy { part in
            !part.isEmpty && part != "." && part != ".." && !part.hasPrefix(".")
                && part.unicodeScalars.allSatisfy { ("a"..."z").contains($0) || ("A"..."Z").contains($0)
                    || ("0"..."9").contains($0) || $0 == "-" || $0 == "_" || $0 == "." }
        }
    }

    /// The size for the link, such as "12.3 KB".
    public var sizeText: String {
        let bytes = Double(data.count)
        if bytes < 1024 { return "\(data.count) bytes" }
        if bytes < 1024 * 1024 { return String(format: "%.1f KB", bytes / 1024) }
        return String(format: "%.1f MB", bytes / 1024 / 1024)
    }
}
