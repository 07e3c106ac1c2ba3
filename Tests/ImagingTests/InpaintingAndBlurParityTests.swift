import Imaging
import Testing
import _TestSupport

/// Telea inpainting and the box blur against OpenCV, on the fixtures of
/// Tests/Fixtures/explain (written by Tests/Fixtures/tools/shap_parity.py, whose image masker uses them).
@Suite struct InpaintingAndBlurParityTests {
    static func array(_ name: String) throws -> NPYArray {
        try NPYArray(contentsOf: TestPaths.fixture("explain").appendingPathComponent(name + ".npy"))
    }

    /// `TeleaInpainting.inpaint` equals cv2.inpaint(src, mask, 3, INPAINT_TELEA) within 2 grey
    /// levels on at least 99% of values (the port follows OpenCV 4.x's float arithmetic, and on
    /// these fixtures, masks touching every border included, it agrees exactly), with no value
    /// off by more than 8.
    @Test func teleaMatchesOpenCV() throws {
        let src = try Self.array("telea_src"), masks = try Self.array("telea_mask")
        let reference = try Self.array("telea_out")
        let (n, h, w) = (src.shape[0], src.shape[1], src.shape[2])
        let size = h * w * 3
        for i in 0..<n {
            let image = Array(src.bytes[(i * size)..<((i + 1) * size)])
            let mask = Array(masks.bytes[(i * h * w)..<((i + 1) * h * w)])
            let ours = TeleaInpainting.inpaint(image, mask: mask, height: h, width: w, channels: 3, radius: 3)
            let theirs = Array(reference.bytes[(i * size)..<((i + 1) * size)])
            let diffs = zip(ours, theirs).map { abs(Int($0) - Int($1)) }
            let close = diffs.filter { $0 <= 2 }.count
            print("telea case \(i): \(diffs.filter { $0 > 0 }.count) of \(size) values differ, largest \(diffs.max()!)")
            #expect(Double(close) / Double(size) >= 0.99, "case \(i): \(size - close) values differ by more than 2")
            #expect(diffs.max()! <= 8, "case \(i)")
            #expect(ours != image, "case \(i): something was filled")
        }
    }

    /// `BoxBlur.blur` equals cv2.blur exactly (integer sums, one rounding, BORDER_REFLECT_101).
    @Test(arguments: [(5, 5), (4, 3)])
    func blurMatchesOpenCV(_ kx: Int, _ ky: Int) throws {
        let images = try Self.array("images")   // (n, 16, 16, 3)
        let size = images.shape[1] * images.shape[2] * images.shape[3]
        let image = Array(images.bytes[size..<(2 * size)])
        let ours = BoxBlur.blur(image, height: images.shape[1], width: images.shape[2], channels: images.shape[3],
                                kernelWidth: kx, kernelHeight: ky)
        let theirs = try Self.array("blur_\(kx)x\(ky)").bytes
        let largest = zip(ours, theirs).map { abs(Int($0) - Int($1)) }.max() ?? 0
        print("blur(\(kx),\(ky)): largest difference from cv2.blur \(largest)")
        #expect(ours == theirs, "blur(\(kx),\(ky)): largest difference \(largest)")
    }
}
