import Foundation

/// Errors of the report writers, each naming the path involved and what to do.
public enum ReportError: Error, CustomStringConvertible, Equatable {
    /// `--out` points at a folder this program did not write.
    case notASite(path: String)
    /// `--out` points at a file, not a folder.
    case outIsAFile(path: String)
    /// The templates or assets folder is missing or lacks a file.
    case missingResource(path: String)
    /// A template failed to parse.
    case badTemplate(name: String, detail: String)
    /// Writing or swapping the site failed.
    case writeFailed(path: String, detail: String)
    /// A section's data file has a path that would leave the site folder or need escaping.
    case badFilePath(String)

    public var description: String {
        switch self {
        case .notASite(let path):
            "refusing to replace '\(path)': it is not empty and has no '\(SiteFolder.markerName)' marker, so it is not a site bloodstudy wrote. Choose another --out folder, or empty or remove this one yourself."
        case .outIsAFile(let path):
            "'\(path)' is a file, not a folder; give --out a folder path."
        case .missingResource(let path):
            "missing '\(path)': run bloodstudy from the repository root (where templates/ and assets/ are), install it with 'make install PREFIX=...' (which puts them in PREFIX/share/bloodstudy), or pass --resources PATH."
        case .badTemplate(let name, let detail):
            "template '\(name)' does not parse: \(detail)"
        case .writeFailed(let path, let detail):
            "could not write '\(path)': \(detail)"
        case .badFilePath(let path):
            "a section asked to publish the file '\(path)'; a site file must be a relative path of folders and a name made of letters, digits, '-', '_' and '.', without '..' (this is a bug in that section)."
        }
    }
}
