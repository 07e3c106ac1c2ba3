import Foundation
import Imaging
import Testing
import _TestSupport

/// Resize and grey conversion against OpenCV 4.14 and Pillow 13 outputs made by
/// Tests/Fixtures/tools/imaging_parity.py from a seeded synthetic image. Tolerance: the brief
/// allows one grey level; these ports aim for zero and the tests print the largest difference.
@Suite("Resize and grayscale parity with OpenCV and Pillow")
struct ResizeParityTests {
    static let sizes = [(97, 130), (40, 30), (120, 120), (121, 119), (60, 61)]

    static func load(_ name: String) throws -> NPYArray {
        try NPYArray(contentsOf: TestPaths.fixture("imaging/\(name).npy"))
    }

    static func image(_ array: NPYArray) -> Image {
        let channels = array.shape.count == 3 ? array.shape[2] : 1
        return Image(width: array.shape[1], height: array.shape[0], channels: channels, pixels: array.bytes)
    }

    static func maxDifference(_ a: Image, _ b: Image) -> Int {
        precondition(a.pixels.count == b.pixels.count)
        return zip(a.pixels, b.pixels).map { abs(Int($0) - Int($1)) }.max() ?? 0
    }

    @Test("BGR2GRAY equals cv2.cvtColor exactly")
    func grayscale() throws {
        let rgb = Self.image(try Self.load("synthetic_rgb"))
        let expected = Self.image(try Self.load("synthetic_gray_cv"))
        let diff = Self.maxDifference(rgb.grayscaleOpenCV(), expected)
        print("grayscaleOpenCV max |diff| vs cv2.cvtColor: \(diff)")
        #expect(diff == 0)
    }

    @Test("INTER_LINEAR resize equals cv2.resize (grey and RGB, up and down)")
    func openCVResize() throws {
        let rgb = Self.image(try Self.load("synthetic_rgb"))
        let grey = Self.image(try Self.load("synthetic_gray_cv"))
        var worst = 0
        for (w, h) in Self.sizes + [(360, 360)] {
            let g = Self.maxDifference(grey.resizedOpenCVLinear(width: w, height: h),
                                       Self.image(try Self.load("synthetic_cv_\(w)x\(h)_g")))
            #expect(g == 0, "grey \(w)x\(h): max diff \(g)")
            worst = max(worst, g)
            if (w, h) != (360, 360) {
                let c = Self.maxDifference(rgb.resizedOpenCVLinear(width: w, height: h),
                                           Self.image(try Self.load("synthetic_cv_\(w)x\(h)_rgb")))
                #expect(c == 0, "rgb \(w)x\(h): max diff \(c)")
                worst = max(worst, c)
            }
        }
        print("resizedOpenCVLinear max |diff| vs cv2.resize over all sizes: \(worst)")
    }

    @Test("Antialiased bilinear resize equals PIL Image.resize(BILINEAR)")
    func pillowResize() throws {
        let rgb = Self.image(try Self.load("synthetic_rgb"))
        let grey = Self.image(try Self.load("synthetic_gray_cv"))
        var worst = 0
        for (w, h) in Self.sizes + [(360, 360)] {
            let g = Self.maxDifference(grey.resizedPillowBilinear(width: w, height: h),
                                       Self.image(try Self.load("synthetic_pil_\(w)x\(h)_g")))
            #expect(g == 0, "grey \(w)x\(h): max diff \(g)")
            worst = max(worst, g)
            if (w, h) != (360, 360) {
                let c = Self.maxDifference(rgb.resizedPillowBilinear(width: w, height: h),
                                           Self.image(try Self.load("synthetic_pil_\(w)x\(h)_rgb")))
                #expect(c == 0, "rgb \(w)x\(h): max diff \(c)")
                worst = max(worst, c)
            }
        }
        print("resizedPillowBilinear max |diff| vs PIL over all sizes: \(worst)")
    }
}
