import CTurboJPEG
import Foundation

/// JPEG decoding with libjpeg-turbo's TurboJPEG API (baseline, progressive and arithmetic-coded
/// files; the shared copies of the dataset use arithmetic coding).
///
/// Defaults match `cv2.imread` and Pillow: accurate integer IDCT (`JDCT_ISLOW`) and "fancy"
/// (smooth) chroma upsampling, so the pixels are the same as theirs, bit for bit (checked in
/// `JPEGParityTests`).
///
/// - Grey JPEGs are expanded to RGB by libjpeg-turbo (grey copied into R, G and B).
/// - CMYK and YCCK JPEGs are decoded to CMYK, then converted as OpenCV's `icvCvt_CMYK2BGR_8u_C4C3R`
///   does for Adobe (inverted) CMYK: `R = K - (((255 - C) * K) >> 8)` and likewise for G (M) and
///   B (Y). We accept them rather than reject them because OpenCV, the study's loader, does too.
/// - libjpeg-turbo warnings (for example "Premature end of JPEG file" for a truncated file) are
///   treated as errors: the study should not silently train on half-grey images.
enum JPEGDecoder {
    static func decode(_ data: Data, path: String) throws -> Image {
        guard let handle = tjInitDecompress() else {
            throw ImageDecodingError.unsupported(path: path, detail: "libjpeg-turbo could not start a decompressor")
        }
        defer { tjDestroy(handle) }
        return try data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) -> Image in
            let source = raw.bindMemory(to: UInt8.self)
            var width: Int32 = 0, height: Int32 = 0, subsampling: Int32 = 0, colorspace: Int32 = 0
            if tjDecompressHeader3(handle, source.baseAddress, UInt(source.count),
                                   &width, &height, &subsampling, &colorspace) != 0 {
                throw ImageDecodingError.corrupt(path: path, format: "JPEG", detail: message(handle))
            }
            let w = Int(width), h = Int(height)
            guard w > 0, h > 0 else {
                throw ImageDecodingError.corrupt(path: path, format: "JPEG", detail: "its header says \(w)x\(h)")
            }
            // Refuse before allocating anything the size of the image.
            guard w * h <= ImageDecoder.maximumPixels else {
                throw ImageDecodingError.tooLarge(path: path, width: w, height: h, limit: ImageDecoder.maximumPixels)
            }
            let isCMYK = colorspace == Int32(TJCS_CMYK.rawValue) || colorspace == Int32(TJCS_YCCK.rawValue)
            let channels = isCMYK ? 4 : 3
            let format = isCMYK ? TJPF_CMYK : TJPF_RGB
            var failure: String?
            let decoded = [UInt8](unsafeUninitializedCapacity: w * h * channels) { buffer, count in
                let status = tjDecompress2(handle, source.baseAddress, UInt(source.count), buffer.baseAddress,
                                           width, 0, height, Int32(format.rawValue), 0)
                if status != 0 {
                    failure = message(handle)
                    buffer.initialize(repeating: 0)
                }
                count = w * h * channels
            }
            if let failure {
                let warning = tjGetErrorCode(handle) == Int32(TJERR_WARNING.rawValue)
                throw ImageDecodingError.corrupt(path: path, format: "JPEG",
                                                 detail: warning ? "libjpeg-turbo warns: \(failure)" : failure)
            }
            if !isCMYK { return Image(width: w, height: h, channels: 3, pixels: decoded) }
            return Image(width: w, height: h, channels: 3, pixels: rgbFromAdobeCMYK(decoded, count: w * h))
        }
    }

    /// OpenCV's CMYK to RGB conversion of libjpeg's (inverted, Adobe) CMYK output.
    static func rgbFromAdobeCMYK(_ cmyk: [UInt8], count: Int) -> [UInt8] {
        [UInt8](unsafeUninitializedCapacity: count * 3) { out, n in
            cmyk.withUnsafeBufferPointer { src in
                for i in 0..<count {
                    let k = Int(src[4 * i + 3])
                    for c in 0..<3 {
                        // Parenthesised: in Swift `>>` binds tighter than `*` (in C it is the other way).
                        out[3 * i + c] = UInt8(k - (((255 - Int(src[4 * i + c])) * k) >> 8))
                    }
                }
            }
            n = count * 3
        }
    }

    private static func message(_ handle: tjhandle) -> String {
        guard let text = tjGetErrorStr2(handle) else { return "unknown libjpeg-turbo error" }
        return String(cString: text)
    }
}
