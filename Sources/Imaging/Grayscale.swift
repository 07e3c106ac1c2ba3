extension Image {
    /// Grey image as OpenCV's `cv2.cvtColor(bgr, cv2.COLOR_BGR2GRAY)` computes it for 8-bit data.
    ///
    /// OpenCV 4.x uses fixed-point weights with 15 fractional bits, 0.299/0.587/0.114 scaled to
    /// R 9798, G 19235, B 3735 (they sum to 2^15), and rounds half up:
    /// `Y = (9798 R + 19235 G + 3735 B + 16384) >> 15` (opencv-python 4.14 agrees on every pixel of a
    /// 512x512 random image; the older 14-bit weights 4899/9617/1868 differ on about 0.1% of pixels).
    /// The study calls it on `cv2.imread`'s BGR array; this image is RGB, so the same weights are
    /// applied to the matching channels.
    /// A grey image is returned unchanged.
    public func grayscaleOpenCV() -> Image {
        luma(red: 9798, green: 19235, blue: 3735, shift: 15)
    }

    /// Grey image as Pillow's `Image.convert("L")` (ITU-R 601-2 luma, `(19595 R + 38470 G + 7471 B
    /// + 0x8000) >> 16`), which torchvision's `transforms.Grayscale` calls on PIL images.
    public func grayscalePillow() -> Image {
        luma(red: 19595, green: 38470, blue: 7471, shift: 16)
    }

    /// `Y = (wR R + wG G + wB B + 2^(shift-1)) >> shift`: fixed-point luma rounded half up, the
    /// form both OpenCV and Pillow use (with their own weights). A grey image is returned unchanged.
    private func luma(red wr: UInt32, green wg: UInt32, blue wb: UInt32, shift: UInt32) -> Image {
        guard channels == 3 else { return self }
        let count = width * height
        let half: UInt32 = 1 << (shift - 1)
        let grey = [UInt8](unsafeUninitializedCapacity: count) { out, n in
            pixels.withUnsafeBufferPointer { rgb in
                for i in 0..<count {
                    let r = UInt32(rgb[3 * i]), g = UInt32(rgb[3 * i + 1]), b = UInt32(rgb[3 * i + 2])
                    out[i] = UInt8(truncatingIfNeeded: (r &* wr &+ g &* wg &+ b &* wb &+ half) >> shift)
                }
            }
            n = count
        }
        return Image(width: width, height: height, channels: 1, pixels: grey)
    }

    /// This image with the grey value copied into three channels (an RGB image is returned unchanged).
    public func rgb() -> Image {
        guard channels == 1 else { return self }
        var out = [UInt8](repeating: 0, count: width * height * 3)
        for i in 0..<(width * height) {
            out[3 * i] = pixels[i]; out[3 * i + 1] = pixels[i]; out[3 * i + 2] = pixels[i]
        }
        return Image(width: width, height: height, channels: 3, pixels: out)
    }
}
