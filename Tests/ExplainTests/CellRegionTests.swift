import Explain
import Testing

@Suite struct CellRegionTests {
    /// Otsu's threshold of a two-level histogram falls between the levels (at the lower one, as
    /// the first maximum of the between-class variance), and the nucleus mask is the dark part.
    @Test func otsuSeparatesTwoLevels() {
        let values = [UInt8](repeating: 60, count: 30) + [UInt8](repeating: 200, count: 70)
        let t = CellRegion.otsuThreshold(values)
        #expect(t >= 60 && t < 200)
        // A 10x10 RGB image whose left 3 columns are a purple nucleus (low green).
        var rgb = [UInt8](repeating: 0, count: 300)
        for y in 0..<10 { for x in 0..<10 {
            let purple = x < 3
            rgb[(y * 10 + x) * 3] = purple ? 110 : 225
            rgb[(y * 10 + x) * 3 + 1] = purple ? 60 : 195
            rgb[(y * 10 + x) * 3 + 2] = purple ? 150 : 200
        } }
        let mask = CellRegion.nucleusMask(rgb: rgb, height: 10, width: 10)
        #expect(mask.filter { $0 }.count == 30)
        #expect(mask[0] && !mask[5])
    }

    /// Only positive values count; the area share is the region's fraction of the pixels.
    @Test func positiveShare() throws {
        let share = CellRegion.positiveShare([3, -5, 1, 0], in: [true, true, false, false])
        #expect(abs(try #require(share.inside) - 0.75) <= 1e-12)
        #expect(abs(share.area - 0.5) <= 1e-12)
        #expect(CellRegion.positiveShare([-1, 0], in: [true, false]).inside == nil)
    }
}
