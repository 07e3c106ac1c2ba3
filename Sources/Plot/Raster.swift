/// A plain 8-bit image handed to Plot: grey (1 channel), RGB (3) or RGBA (4), rows top to bottom.
///
/// Plot does not import Imaging; callers convert their images to this (it is the same HWC layout).
public struct Raster: Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// 1 (grey), 3 (RGB) or 4 (RGBA, straight alpha).
    public var channels: Int
    /// `height * width * channels` bytes, row-major, channels interleaved.
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels == 1 || channels == 3 || channels == 4, "Raster channels must be 1, 3 or 4, got \(channels)")
        precondition(pixels.count == width * height * channels,
                     "Raster of \(width)x\(height)x\(channels) needs \(width * height * channels) bytes, got \(pixels.count)")
        self.width = width; self.height = height; self.channels = channels; self.pixels = pixels
    }

    /// The value at row `y`, column `x`, channel `c`.
    public subscript(y: Int, x: Int, c: Int) -> UInt8 { pixels[(y * width + x) * channels + c] }

    /// A grey copy (ITU-R 601 luma, as PIL's `convert("L")`).
    public var grey: Raster {
        guard channels != 1 else { return self }
        var out = [UInt8](repeating: 0, count: width * height)
        for i in 0..<(width * height) {
            let r = Int(pixels[i * channels]), g = Int(pixels[i * channels + 1]), b = Int(pixels[i * channels + 2])
            out[i] = UInt8((r * 299 + g * 587 + b * 114 + 500) / 1000)
        }
        return Raster(width: width, height: height, channels: 1, pixels: out)
    }

    /// Values mapped through `colormap` between `minimum` and `maximum` (row-major `height * width`
    /// values); non-finite values become transparent.
    public static func mapping(_ values: [Double], width: Int, height: Int, colormap: Colormap,
                               minimum: Double, maximum: Double) -> Raster {
        precondition(values.count == width * height, "need \(width * height) values, got \(values.count)")
        var out = [UInt8](repeating: 0, count: width * height * 4)
        let lut = colormap.lookupTable(256)
        let span = maximum - minimum
        for (i, v) in values.enumerated() where v.isFinite {
            let t = span > 0 ? min(max((v - minimum) / span, 0), 1) : 0.5
            let k = Int((t * 255).rounded()) * 4
            for c in 0..<4 { out[i * 4 + c] = lut[k + c] }
        }
        return Raster(width: width, height: height, channels: 4, pixels: out)
    }
}
