import Explain
import XCTest

final class CellRegionTests: XCTestCase {
    /// Otsu's threshold of a two-level histogram falls between the levels (at the lower one, as
    /// the first maximum of the between-class variance), and the nucleus mask is the dark part.
    func testOtsuSeparatesTwoLevels() {
        let values = [UInt8](repeating: 60, count: 30) + [UInt8](repeating: 200, count: 70)
        let t = CellRegion.otsuThreshold(values)
        XCTAssertGreaterThanOrEqual(t, 60); XCTAssertLessThan(t, 200)
        // A 10x10 RGB image whose left 3 columns are a purple nucleus (low green).
        var rgb = [UInt8](repeating: 0, count: 300)
        for y in 0..<10 { for x in 0..<10 {
            let purple = x < 3
            rgb[(y * 10 + x) * 3] = purple ? 110 : 225
            rgb[(y * 10 + x) * 3 + 1] = purple ? 60 : 195
            rgb[(y * 10 + x) * 3 + 2] = purple ? 150 : 200
        } }
        let mask = CellRegion.nucleusMask(rgb: rgb, height: 10, width: 10)
        XCTAssertEqual(mask.filter { $0 }.count, 30)
        XCTAssertTrue(mask[0] && !mask[5])
    }

    /// Only positive values count; the area share is the region's fraction of the pixels.
    func testPositiveShare() {
        let share = CellRegion.positiveShare([3, -5, 1, 0], in: [true, true, false, false])
        XCTAssertEqual(share.inside!, 0.75, accuracy: 1e-12)
        XCTAssertEqual(share.area, 0.5, accuracy: 1e-12)
        XCTAssertNil(CellRegion.positiveShare([-1, 0], in: [true, false]).inside)
    }
}
