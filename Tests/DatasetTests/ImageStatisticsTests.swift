import Foundation
import Imaging
import Testing
import _TestSupport
@testable import Dataset

/// The audit's per-image measurements against NumPy / OpenCV / SciPy on a committed synthetic image
/// (Tests/Fixtures/tools/dataset_stats.py). Tolerance 1e-9 relative: both sides sum integers
/// exactly and differ only in the last floating-point steps.
@Suite("Image statistics parity")
struct ImageStatisticsTests {
    struct Reference: Decodable { let mean_rgb: [Double]; let sharpness: Double; let noise_rgb: [Double] }

    @Test("Mean, Laplacian variance and Immerkaer noise equal the reference tools'")
    func parity() throws {
        let array = try NPYArray(contentsOf: TestPaths.fixture("imaging/synthetic_rgb.npy"))
        let image = Image(width: array.shape[1], height: array.shape[0], channels: 3, pixels: array.bytes)
        let ref = try JSONDecoder().decode(Reference.self, from: Data(contentsOf: TestPaths.fixture("dataset/stats.json")))
        let stats = ImageStatistics(image)
        let worst = max(maxRelativeDifference(stats.meanRGB, ref.mean_rgb),
                        maxRelativeDifference([stats.sharpness], [ref.sharpness]),
                        maxRelativeDifference(stats.noiseRGB, ref.noise_rgb))
        print("ImageStatistics max relative difference vs numpy/cv2/scipy: \(worst)")
        #expect(worst < 1e-9)
    }

    @Test("Equal pixels give equal hashes; one changed byte changes the hash")
    func hash() {
        var a = Image(width: 5, height: 3, channels: 3, filledWith: 7)
        let b = a
        #expect(ImageStatistics.hash(a) == ImageStatistics.hash(b))
        a.pixels[44] = 8
        #expect(ImageStatistics.hash(a) != ImageStatistics.hash(b))
        // Same bytes, other shape.
        let c = Image(width: 3, height: 5, channels: 3, filledWith: 7)
        #expect(ImageStatistics.hash(c) != ImageStatistics.hash(b))
    }

    @Test("Tukey summary uses NumPy's linear quantiles")
    func summary() {
        let s = DatasetAudit.summary([1, 2, 3, 4, 100])
        #expect(s.q1 == 2 && s.median == 3 && s.q3 == 4)
        #expect(s.lowerFence == -1 && s.upperFence == 7)
        #expect(s.mean == 22)
    }
}
