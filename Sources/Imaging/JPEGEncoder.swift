import CTurboJPEG
import Foundation

/// JPEG encoding with libjpeg-turbo's TurboJPEG API. The study itself never writes JPEGs; this
/// exists so tests can build JPEG fixtures (grey, colour, CMYK) in memory instead of committing files.
public enum JPEGEncoder {
    /// Chroma subsampling of colour JPEGs.
    public enum Subsampling: Sendable {
        case none444, half420
        var tj: Int32 { Int32(self == .none444 ? TJSAMP_444.rawValue : TJSAMP_420.rawValue) }
    }

    /// Encodes a grey (1 channel) or RGB image.
    /// - Parameters:
    ///   - image: the pixels.
    ///   - quality: 1...100 (default 90).
    ///   - subsampling: for RGB images (default 4:2:0, what cameras and the dataset use).
    public static func encode(_ image: Image, quality: Int = 90, subsampling: Subsampling = .half420) -> Data {
        let format = image.channels == 1 ? TJPF_GRAY : TJPF_RGB
        let sampling = image.channels == 1 ? Int32(TJSAMP_GRAY.rawValue) : subsampling.tj
        return compress(image.pixels, width: image.width, height: image.height,
                        pixelFormat: Int32(format.rawValue), subsampling: sampling, quality: quality)
    }

    /// Encodes interleaved CMYK bytes (4 per pixel, Adobe's inverted convention as libjpeg stores
    /// them) into a YCCK JPEG, the kind print workflows produce.
    public static func encodeCMYK(_ cmyk: [UInt8], width: Int, height: Int, quality: Int = 90) -> Data {
        precondition(cmyk.count == width * height * 4, "CMYK data must have 4 bytes per pixel")
        return compress(cmyk, width: width, height: height, pixelFormat: Int32(TJPF_CMYK.rawValue),
                        subsampling: Int32(TJSAMP_444.rawValue), quality: quality)
    }

    private static func compress(_ pixels: [UInt8], width: Int, height: Int, pixelFormat: Int32,
                                 subsampling: Int32, quality: Int) -> Data {
        guard let handle = tjInitCompress() else { preconditionFailure("libjpeg-turbo could not start a compressor") }
        defer { tjDestroy(handle) }
        var buffer: UnsafeMutablePointer<UInt8>? = nil
        var size: UInt = 0
        let status = pixels.withUnsafeBufferPointer { src in
            tjCompress2(handle, src.baseAddress, Int32(width), 0, Int32(height), pixelFormat,
                        &buffer, &size, subsampling, Int32(quality), Int32(TJFLAG_ACCURATEDCT))
        }
        defer { tjFree(buffer) }
        precondition(status == 0, "libjpeg-turbo could not encode a \(width)x\(height) image: \(String(cString: tjGetErrorStr2(handle)))")
        return Data(bytes: buffer!, count: Int(size))
    }
}
