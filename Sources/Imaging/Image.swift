/// An 8-bit image with interleaved channels, row-major: shape `(H, W, C)` with C = 1 (grey) or 3 (RGB).
///
/// This is what every decoder returns and every transform takes; pixel `(y, x)` channel `c` is
/// `pixels[(y * width + x) * channels + c]`.
public struct Image: Sendable, Equatable {
    public let width: Int
    public let height: Int
    /// 1 for grey, 3 for RGB.
    public let channels: Int
    public var pixels: [UInt8]

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        precondition(channels == 1 || channels == 3, "Images have 1 or 3 channels, not \(channels)")
        precondition(pixels.count == width * height * channels,
                     "\(pixels.count) bytes do not fill a \(width)x\(height)x\(channels) image")
        self.width = width
        self.height = height
        self.channels = channels
        self.pixels = pixels
    }

    public init(width: Int, height: Int, channels: Int, filledWith value: UInt8 = 0) {
        self.init(width: width, height: height, channels: channels,
                  pixels: [UInt8](repeating: value, count: width * height * channels))
    }

    @inlinable public subscript(y: Int, x: Int, c: Int) -> UInt8 {
        get { pixels[(y * width + x) * channels + c] }
        set { pixels[(y * width + x) * channels + c] = newValue }
    }
}
