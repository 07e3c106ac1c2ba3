import Foundation

/// Reads JPEG and PNG files into 8-bit RGB `Image`s, choosing the codec from the file's first bytes
/// (never its name), as `cv2.imread(path, IMREAD_COLOR)` does, and returning RGB rather than BGR.
///
/// - Grey JPEGs and PNGs come back with the grey value in all three channels.
/// - CMYK/YCCK JPEGs are decoded to CMYK by libjpeg-turbo and converted with OpenCV's formula
///   (`JPEGDecoder`), so they are accepted, not rejected.
/// - 16-bit and palette PNGs are converted to 8-bit RGB (`PNGCodec`).
/// - Images whose header announces more than `maximumPixels` are refused before pixels are allocated.
///
/// Every failure is an `ImageDecodingError` naming the file and the reason; nothing traps.
public enum ImageDecoder {
    /// The largest image accepted, in pixels (50 megapixels; the dataset's are 0.13).
    public static let maximumPixels = 50_000_000

    /// The container formats recognised by their signatures.
    public enum Format: String, Sendable {
        case jpeg = "JPEG", png = "PNG"
    }

    /// Decodes the file at `url` to RGB.
    /// - Throws: `ImageDecodingError` (`unreadable` when the path is not a readable regular file).
    public static func decode(contentsOf url: URL) throws -> Image {
        try decode(data: readFile(url), path: url.path)
    }

    /// Decodes an in-memory JPEG or PNG to RGB. `path` only labels errors.
    public static func decode(data: Data, path: String = "<memory>") throws -> Image {
        guard !data.isEmpty else { throw ImageDecodingError.emptyFile(path: path) }
        switch format(of: data) {
        case .jpeg: return try JPEGDecoder.decode(data, path: path)
        case .png: return try PNGCodec.decode(data, path: path)
        case nil:
            let head = data.prefix(8).map { String(format: "%02x", $0) }.joined(separator: " ")
            throw ImageDecodingError.notAnImage(path: path, signature: head)
        }
    }

    /// The format announced by the first bytes, or nil for anything else.
    public static func format(of data: Data) -> Format? {
        let head = [UInt8](data.prefix(8))
        if head.count >= 3, head[0] == 0xFF, head[1] == 0xD8, head[2] == 0xFF { return .jpeg }
        if head == [0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A] { return .png }
        return nil
    }

    /// Reads a whole file, turning every way of failing into `ImageDecodingError.unreadable`.
    /// A folder named like an image, a dangling link and a link loop each get their own message.
    static func readFile(_ url: URL) throws -> Data {
        let path = url.path
        var info = stat()
        if stat(path, &info) != 0 {
            let code = errno
            let detail: String
            switch code {
            case ELOOP: detail = "it is a symbolic link loop"
            case ENOENT:
                var linkInfo = stat()
                detail = lstat(path, &linkInfo) == 0 ? "it is a symbolic link to a missing file" : "no such file"
            default: detail = String(cString: strerror(code))
            }
            throw ImageDecodingError.unreadable(path: path, detail: detail)
        }
        if (info.st_mode & S_IFMT) == S_IFDIR {
            throw ImageDecodingError.unreadable(path: path, detail: "it is a folder, not a file")
        }
        if (info.st_mode & S_IFMT) != S_IFREG {
            throw ImageDecodingError.unreadable(path: path, detail: "it is not a regular file")
        }
        do {
            return try Data(contentsOf: url)
        } catch {
            throw ImageDecodingError.unreadable(path: path, detail: "\(error.localizedDescription)")
        }
    }
}
