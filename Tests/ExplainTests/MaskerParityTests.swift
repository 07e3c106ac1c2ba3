import Explain
import XCTest
import _TestSupport

final class MaskerParityTests: XCTestCase {
    /// `inpaint_telea` equals cv2.inpaint(src, mask, 3, INPAINT_TELEA) within 2 grey levels on at
    /// least 99% of pixels (the bar; the port follows OpenCV 4.x's float arithmetic, and
    /// on these fixtures, masks touching every border included, it agrees exactly), with no pixel
    /// off by more than 8.
    func testTeleaMatchesOpenCV() throws {
        let src = try ExplainFixture.array("telea_src"), masks = try ExplainFixture.array("telea_mask")
        let reference = try ExplainFixture.array("telea_out")
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
            XCTAssertGreaterThanOrEqual(Double(close) / Double(size), 0.99, "case \(i): \(size - close) values differ by more than 2")
            XCTAssertLessThanOrEqual(diffs.max()!, 8, "case \(i)")
            XCTAssertNotEqual(ours, image, "case \(i): something was filled")
        }
    }

    /// `blur(kx,ky)` equals cv2.blur exactly (integer sums, one rounding).
    func testBlurMatchesOpenCV() throws {
        let image = try ExplainFixture.image(1)
        for (kx, ky) in [(5, 5), (4, 3)] {
            let masker = try XCTUnwrap(shap.ImageMasker("blur(\(kx),\(ky))", height: 16, width: 16))
            let blurred = masker.prepare(image).masked(keep: [Bool](repeating: false, count: 768))
            XCTAssertEqual(blurred, try ExplainFixture.array("blur_\(kx)x\(ky)").bytes, "blur(\(kx),\(ky))")
        }
    }

    func testParsesShapMaskValues() {
        XCTAssertEqual(shap.ImageMasker("blur(128,128)", height: 4, width: 4)?.fill, .blur(128, 128))
        XCTAssertEqual(shap.ImageMasker("inpaint_telea", height: 4, width: 4)?.fill, .inpaintTelea)
        XCTAssertNil(shap.ImageMasker("inpaint_ns", height: 4, width: 4))
    }
}
