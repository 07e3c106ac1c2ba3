import CCairo
import Foundation

/// A PNG could not be read.
public struct PNGDecodeError: Error, CustomStringConvertible {
    public var description: String
}

extension PixelBuffer {
    /// Decodes a PNG (as written by `render()`) with Cairo, for comparing figures with golden images.
    public init(png: Data) throws {
        final class Source { var data: Data; var offset = 0; init(_ d: Data) { data = d } }
        let source = Source(png)
        let surface = cairo_image_surface_create_from_png_stream({ closure, buffer, length in
            let s = Unmanaged<Source>.fromOpaque(closure!).takeUnretainedValue()
            let n = Int(length)
            guard s.offset + n <= s.data.count else { return CAIRO_STATUS_READ_ERROR }
            s.data.copyBytes(to: buffer!, from: s.offset..<(s.offset + n))
            s.offset += n
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(source).toOpaque())!
        defer { cairo_surface_destroy(surface) }
        let status = cairo_surface_status(surface)
        guard status == CAIRO_STATUS_SUCCESS else {
            throw PNGDecodeError(description: "not a readable PNG (\(png.count) bytes): \(String(cString: cairo_status_to_string(status)))")
        }
        cairo_surface_flush(surface)
        self.init(surface)
    }
}
