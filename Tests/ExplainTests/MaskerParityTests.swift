import Explain
import Testing
import _TestSupport

/// The image masker's fills (Telea inpainting and the box blur themselves are tested in Imaging).
@Suite struct MaskerParityTests {
    /// `blur(kx,ky)` equals cv2.blur exactly (integer sums, one rounding).
    @Test(arguments: [(5, 5), (4, 3)])
    func blurMatchesOpenCV(_ kx: Int, _ ky: Int) throws {
        let image = try ExplainFixture.image(1)
        let masker = try #require(shap.ImageMasker("blur(\(kx),\(ky))", height: 16, width: 16))
        let blurred = masker.prepare(image).masked(keep: [Bool](repeating: false, count: 768))
        #expect(blurred == (try ExplainFixture.array("blur_\(kx)x\(ky)").bytes), "blur(\(kx),\(ky))")
    }

    @Test func parsesShapMaskValues() {
        #expect(shap.ImageMasker("blur(128,128)", height: 4, width: 4)?.fill == .blur(128, 128))
        #expect(shap.ImageMasker("inpaint_telea", height: 4, width: 4)?.fill == .inpaintTelea)
        #expect(shap.ImageMasker("inpaint_ns", height: 4, width: 4) == nil)
    }
}
