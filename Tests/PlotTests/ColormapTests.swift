import Foundation
import Testing
import _TestSupport
@testable import Plot

@Suite struct ColormapTests {
    struct Tables: Decodable { var viridis: [[Double]]; var RdPu: [[Double]]; var tab10: [String] }

    @Test func mapsMatchMatplotlibWithin3Over255() throws {
        let data = try Data(contentsOf: TestPaths.fixture("plot/colormaps.json"))
        let tables = try JSONDecoder().decode(Tables.self, from: data)
        for (map, table) in [(Colormap.viridis, tables.viridis), (Colormap.rdPu, tables.RdPu)] {
            var largest = 0.0
            for (i, rgb) in table.enumerated() {
                let c = map.color(at: Double(i) / 255)
                largest = max(largest, abs(c.red - rgb[0]), abs(c.green - rgb[1]), abs(c.blue - rgb[2]))
            }
            print("\(map.name): largest channel difference from matplotlib \(largest * 255)/255")
            #expect(largest <= 3.0 / 255, "\(map.name) differs by \(largest * 255)/255")
        }
        #expect(Palette.tab10.map(\.hexString) == tables.tab10)
    }

    @Test func divergingMapIsWhiteAndTransparentAtZero() {
        // Zero is white on the opaque map and fully transparent on SHAP's overlay map; the ends are opaque.
        let mid = Colormap.redWhiteBlue.color(0, minimum: -2, maximum: 2)
        #expect(mid.hexString == "#ffffff")
        #expect(Colormap.redTransparentBlue.color(0, minimum: -2, maximum: 2).alpha < 0.02)
        #expect(Colormap.redTransparentBlue.color(2, minimum: -2, maximum: 2) == Color(hex: "#ff0051")!)
        #expect(Colormap.redTransparentBlue.color(-2, minimum: -2, maximum: 2) == Color(hex: "#008bfb")!)
    }
}
