import Foundation
import Plot

/// An image a page draws, kept in a section's result: a page is rendered from its result alone, so
/// the pictures of an image grid (dataset images, HOG drawings) travel in it, as bytes (base64 in
/// `computed.json`).
public struct StoredRaster: Codable, Sendable, Equatable {
    public var width: Int
    public var height: Int
    /// 1 (grey) or 3 (RGB).
    public var channels: Int
    /// `height * width * channels` bytes, row-major, channels interleaved.
    public var pixels: Data

    public init(width: Int, height: Int, channels: Int, pixels: [UInt8]) {
        self.width = width; self.height = height; self.channels = channels; self.pixels = Data(pixels)
    }

    /// The raster Plot draws.
    var raster: Raster { Raster(width: width, height: height, channels: channels, pixels: [UInt8](pixels)) }
}
