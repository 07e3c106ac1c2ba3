import Foundation
import Imaging
import Testing
import _TestSupport

/// CMYK JPEGs as Pillow (and Photoshop) write them: an Adobe APP14 marker and inverted channels.
/// Expected pixels come from Tests/Fixtures/tools/imaging_cmyk.py (Pillow 13 and OpenCV 4.14).
@Suite("CMYK JPEGs")
struct CMYKJPEGTests {
    static func decoded() throws -> Image {
        try ImageDecoder.decode(contentsOf: TestPaths.fixture("imaging/cmyk_pillow.jpg"))
    }

    static func maxDifference(_ image: Image, _ expected: NPYArray) -> Int {
        zip(image.pixels, expected.bytes).map { abs(Int($0) - Int($1)) }.max() ?? .max
    }

    @Test("Pillow's inverted-Adobe CMYK JPEG decodes to OpenCV's RGB, pixel for pixel")
    func matchesOpenCV() throws {
        let image = try Self.decoded()
        let expected = try NPYArray(contentsOf: TestPaths.fixture("imaging/cmyk_pillow_cv.npy"))
        #expect(expected.shape == [image.height, image.width, 3])
        // Same libjpeg IDCT and OpenCV's own integer CMYK formula: exact.
        #expect(Self.maxDifference(image, expected) == 0)
    }

    @Test("... and to Pillow's RGB within 2 levels")
    func matchesPillow() throws {
        let image = try Self.decoded()
        let expected = try NPYArray(contentsOf: TestPaths.fixture("imaging/cmyk_pillow_pil.npy"))
        // Pillow divides by 255 where OpenCV shifts by 8 bits: they differ by at most 2 levels here.
        #expect(Self.maxDifference(image, expected) <= 2)
    }
}
