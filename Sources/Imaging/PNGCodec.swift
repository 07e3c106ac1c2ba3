import CPNG
import Foundation

/// PNG decoding (libpng, classic API through the small C helper in `CPNG/shim.h`) and encoding
/// (libpng's simplified write API).
///
/// Decoding gives 8-bit RGB as `cv2.imread(IMREAD_COLOR)` and Pillow's `convert("RGB")` do:
/// 16-bit samples keep their high byte (`png_set_strip_16`), palette and grey images are
/// expanded, alpha is dropped. Interlaced files are supported.
public enum PNGCodec {
    static func decode(_ data: Data, path: String) throws -> Image {
        var width: UInt32 = 0, height: UInt32 = 0
        var pixels: UnsafeMutablePointer<UInt8>?
        var message = [CChar](repeating: 0, count: 256)
        let status = data.withUnsafeBytes { raw in
            message.withUnsafeMutableBufferPointer { text in
                bs_png_decode_rgb8(raw.bindMemory(to: UInt8.self).baseAddress, raw.count,
                                   UInt64(ImageDecoder.maximumPixels), &width, &height, &pixels,
                                   text.baseAddress, text.count)
            }
        }
        switch Int(status) {
        case BS_PNG_OK:
            guard let pixels else { throw ImageDecodingError.corrupt(path: path, format: "PNG", detail: "no pixels") }
            defer { free(pixels) }
            let w = Int(width), h = Int(height)
            return Image(width: w, height: h, channels: 3,
                         pixels: Array(UnsafeBufferPointer(start: pixels, count: w * h * 3)))
        case BS_PNG_TOO_LARGE:
            throw ImageDecodingError.tooLarge(path: path, width: Int(width), height: Int(height),
                                              limit: ImageDecoder.maximumPixels)
        default:
            let text = message.withUnsafeBufferPointer { String(cString: $0.baseAddress!) }
            throw ImageDecodingError.corrupt(path: path, format: "PNG", detail: text)
        }
    }
}

extension Image {
    /// The image as PNG bytes (8-bit grey or RGB, default zlib compression).
    public func pngData() -> Data {
        var image = png_image()
        image.version = UInt32(PNG_IMAGE_VERSION)
        image.width = UInt32(width)
        image.height = UInt32(height)
        image.format = channels == 1 ? UInt32(PNG_FORMAT_GRAY) : UInt32(PNG_FORMAT_RGB)
        var size = 0
        return pixels.withUnsafeBufferPointer { source -> Data in
            // First call measures, second writes.
            guard png_image_write_to_memory(&image, nil, &size, 0, source.baseAddress, 0, nil) != 0, size > 0 else {
                preconditionFailure("libpng could not size a \(width)x\(height)x\(channels) PNG")
            }
            var out = Data(count: size)
            let ok = out.withUnsafeMutableBytes { dest in
                png_image_write_to_memory(&image, dest.baseAddress, &size, 0, source.baseAddress, 0, nil)
            }
            precondition(ok != 0, "libpng could not write a \(width)x\(height)x\(channels) PNG")
            png_image_free(&image)
            return out.prefix(size)
        }
    }
}
