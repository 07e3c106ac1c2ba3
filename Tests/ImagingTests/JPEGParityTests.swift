import Foundation
import Imaging
import Tensor
import Testing
import _TestSupport

/// Decoding and the study's two pipelines on real dataset images, against checksums and crops
/// of cv2.imread / PIL outputs stored by Tests/Fixtures/tools/imaging_parity.py (the images
/// themselves are never committed).
@Suite("JPEG decode and study pipelines on real images")
struct JPEGParityTests {
    struct Entry: Decodable {
        let path: String, width: Int, height: Int
        let decode_sha256_cv: String, decode_sha256_pil: String, decode_crop: [Int]
        let grey360_sha256: String, grey360_crop: [Int]
        let pil224_sha256: String, pil224_crop: [Int]
    }
    struct Fixture: Decodable { let opencv: String; let pillow: String; let images: [Entry] }

    static func fixture() throws -> Fixture {
        try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: TestPaths.fixture("imaging/real.json")))
    }

    static func centreCrop(_ image: Image) -> [Int] {
        let y0 = image.height / 2 - 8, x0 = image.width / 2 - 8
        var out: [Int] = []
        for y in y0..<(y0 + 16) { for x in x0..<(x0 + 16) { for c in 0..<image.channels { out.append(Int(image[y, x, c])) } } }
        return out
    }

    static func maxDiff(_ a: [Int], _ b: [Int]) -> Int { zip(a, b).map { abs($0 - $1) }.max() ?? 0 }

    @Test("Decoded pixels, the HOG input and the 224x224 network input equal OpenCV's and Pillow's",
          .enabled(if: TestPaths.sharedDataset != nil, "needs the PBC dataset at ../shared/data/pbc"))
    func realImages() throws {
        let root = TestPaths.sharedDataset!
        for entry in try Self.fixture().images {
            let url = root.appendingPathComponent(entry.path)
            let image = try ImageDecoder.decode(contentsOf: url)
            #expect(image.width == entry.width && image.height == entry.height)
            // cv2.imread and PIL decode these files identically; so must we.
            #expect(SHA256.hex(Data(image.pixels)) == entry.decode_sha256_cv, "\(entry.path) decode")
            #expect(entry.decode_sha256_cv == entry.decode_sha256_pil)
            #expect(Self.maxDiff(Self.centreCrop(image), entry.decode_crop) == 0)

            let grey = try StudyPreprocessing.grey360(contentsOf: url)
            let greyDiff = Self.maxDiff(Self.centreCrop(grey), entry.grey360_crop)
            #expect(SHA256.hex(Data(grey.pixels)) == entry.grey360_sha256, "\(entry.path) grey360, crop max diff \(greyDiff)")

            let rgb = try StudyPreprocessing.rgb(contentsOf: url)
            let rgbDiff = Self.maxDiff(Self.centreCrop(rgb), entry.pil224_crop)
            #expect(SHA256.hex(Data(rgb.pixels)) == entry.pil224_sha256, "\(entry.path) pil224, crop max diff \(rgbDiff)")
            print("\(entry.path): decode, grey360 and pil224 identical to reference (crop diffs \(greyDiff), \(rgbDiff))")
        }
    }
}
