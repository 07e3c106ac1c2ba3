/// Why a file could not be turned into an `Image`. Each case has a short `reason` (what the audit
/// lists next to a rejected file) and a `description` that names the file and what to do.
public enum ImageDecodingError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The file holds no bytes at all.
    case emptyFile(path: String)
    /// The bytes start with neither the JPEG nor the PNG signature (decoding goes by content, not
    /// by the file name's suffix). `signature` is the first bytes in hex.
    case notAnImage(path: String, signature: String)
    /// The JPEG or PNG is cut short or damaged; `detail` is the codec's own message.
    case corrupt(path: String, format: String, detail: String)
    /// The header announces more pixels than `ImageDecoder.maximumPixels`; nothing was allocated.
    case tooLarge(path: String, width: Int, height: Int, limit: Int)
    /// A codec feature this project does not handle (for example a 12-bit JPEG).
    case unsupported(path: String, detail: String)
    /// The file could not be read at all (a folder with an image's name, a dangling or looping
    /// symbolic link, no permission).
    case unreadable(path: String, detail: String)

    /// A short, stable name of the problem for tables ("not an image", "truncated or corrupt JPEG").
    public var reason: String {
        switch self {
        case .emptyFile: "empty file"
        case .notAnImage: "not an image"
        case let .corrupt(_, format, _): "truncated or corrupt \(format)"
        case .tooLarge: "too large"
        case .unsupported: "unsupported image format"
        case .unreadable: "unreadable file"
        }
    }

    /// The file the error is about.
    public var path: String {
        switch self {
        case let .emptyFile(p), let .notAnImage(p, _), let .corrupt(p, _, _), let .tooLarge(p, _, _, _),
             let .unsupported(p, _), let .unreadable(p, _): p
        }
    }

    /// The specifics behind `reason` (codec message, sizes), without the path.
    public var detail: String {
        switch self {
        case .emptyFile: "the file has 0 bytes"
        case let .notAnImage(_, signature): "its first bytes (\(signature)) are neither a JPEG nor a PNG signature"
        case let .corrupt(_, _, detail): detail
        case let .tooLarge(_, w, h, limit):
            "its header says \(w)x\(h) = \(w * h) pixels, over the limit of \(limit) pixels"
        case let .unsupported(_, detail), let .unreadable(_, detail): detail
        }
    }

    public var description: String {
        let fix: String
        switch self {
        case .emptyFile, .corrupt: fix = "Replace it with an intact copy (for example by running 'bloodstudy fetch-data' again)."
        case .notAnImage: fix = "Remove it from the dataset folder or ignore it; it is skipped."
        case .tooLarge: fix = "Downscale it first; images this large are refused to protect memory."
        case .unsupported: fix = "Convert it to an 8-bit baseline JPEG or PNG."
        case .unreadable: fix = "Check that the path is a regular, readable file."
        }
        return "\(path): \(reason): \(detail). \(fix)"
    }
}
