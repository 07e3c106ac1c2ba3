/// Port of OpenCV's `cv2.blur(src, ksize)` for 8-bit (H, W, C) images: the mean of a kx × ky
/// window (anchor at the centre, k/2), borders BORDER_REFLECT_101, rounded half up (OpenCV's
/// fixed-point result; ties go up, which the 4x3 fixture checks), per channel.
public enum BoxBlur {
    public static func blur(_ image: [UInt8], height h: Int, width w: Int, channels c: Int, kernelWidth kx: Int, kernelHeight ky: Int) -> [UInt8] {
        // Separable sums in integers (exact), then one scaling, as OpenCV's row/column sum filters.
        var rowSums = [Int32](repeating: 0, count: image.count)
        let ax = kx / 2, ay = ky / 2
        for y in 0..<h {
            for x in 0..<w {
                for z in 0..<c {
                    var s: Int32 = 0
                    for k in 0..<kx { s += Int32(image[(y * w + reflect101(x - ax + k, w)) * c + z]) }
                    rowSums[(y * w + x) * c + z] = s
                }
            }
        }
        let scale = 1.0 / Double(kx * ky)
        var out = [UInt8](repeating: 0, count: image.count)
        for y in 0..<h {
            for x in 0..<w {
                for z in 0..<c {
                    var s: Int32 = 0
                    for k in 0..<ky { s += rowSums[(reflect101(y - ay + k, h) * w + x) * c + z] }
                    let v = (Double(s) * scale + 0.5).rounded(.down)
                    out[(y * w + x) * c + z] = UInt8(max(0, min(255, v)))
                }
            }
        }
        return out
    }

    /// OpenCV's BORDER_REFLECT_101 (gfedcb|abcdefgh|gfedcba), repeated for windows wider than the image.
    static func reflect101(_ p: Int, _ n: Int) -> Int {
        if n == 1 { return 0 }
        var p = p
        while p < 0 || p >= n { p = p < 0 ? -p : 2 * n - 2 - p }
        return p
    }
}
