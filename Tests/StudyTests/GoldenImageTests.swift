import Foundation
import Testing
import _TestSupport
@testable import Plot
import Study

/// Each gallery figure (fewer points, real layout) rendered at half a pixel per point, against a
/// committed golden PNG.
///
/// Tolerance: a pixel "differs" when a channel is off by more than 24/255; a figure passes when at
/// most 0.5% of its pixels differ. That absorbs anti-aliasing and glyph rasterisation differences
/// between Cairo/FreeType builds, but not a moved bar, a missing label or a changed colour.
/// Refresh after an intended change:
///   BLOODSTUDY_UPDATE_GOLDEN=1 swift test --filter StudyTests.GoldenImageTests
@Suite struct GoldenImageTests {
    static let folder = TestPaths.fixture("plot/golden")
    static let update = ProcessInfo.processInfo.environment["BLOODSTUDY_UPDATE_GOLDEN"] == "1"

    @Test(arguments: Gallery.figures(small: true).map(\.name))
    func matchesGolden(_ name: String) throws {
        let figure = Gallery.figures(small: true).first { $0.name == name }!.figure
        // Half a pixel per point keeps the goldens small while the layout is the real one.
        let png = figure.renderPNG(scale: 0.5)
        let url = Self.folder.appendingPathComponent("\(name).png")
        if Self.update {
            try FileManager.default.createDirectory(at: Self.folder, withIntermediateDirectories: true)
            try png.write(to: url)
            return
        }
        guard let golden = try? Data(contentsOf: url) else {
            Issue.record("no golden image \(url.path); make it with BLOODSTUDY_UPDATE_GOLDEN=1 swift test --filter StudyTests.GoldenImageTests")
            return
        }
        let expected = try PixelBuffer(png: golden), actual = try PixelBuffer(png: png)
        #expect(expected.width == actual.width && expected.height == actual.height, "\(name): size changed")
        guard expected.width == actual.width && expected.height == actual.height else { return }
        let (differing, largest) = Self.compare(expected, actual)
        let share = Double(differing) / Double(expected.argb.count)
        print("\(name): \(differing) pixels differ by more than 24/255 (\(String(format: "%.3f", share * 100))%), largest difference \(largest)/255")
        #expect(share <= 0.005, "\(name): \(differing) pixels differ; look at the figure, then refresh the golden if intended")
    }

    /// Pixels whose largest channel difference exceeds 24/255, and the largest difference.
    static func compare(_ expected: PixelBuffer, _ actual: PixelBuffer) -> (differing: Int, largest: UInt32) {
        var differing = 0, largest: UInt32 = 0
        for i in expected.argb.indices {
            let a = expected.argb[i], b = actual.argb[i]
            var worst: UInt32 = 0
            for shift in stride(from: 0, to: 32, by: 8) {
                let ca = (a >> UInt32(shift)) & 0xFF, cb = (b >> UInt32(shift)) & 0xFF
                worst = max(worst, ca > cb ? ca - cb : cb - ca)
            }
            largest = max(largest, worst)
            if worst > 24 { differing += 1 }
        }
        return (differing, largest)
    }

    @Test func theToleranceCatchesAVisibleChange() throws {
        // Recolouring the bars of one class, or dropping a legend, is more than the tolerance allows.
        let counts: [[Double]] = [[853, 2182, 1086], [183, 467, 232]]
        let a = Charts.splitBars(splits: ["Train", "Test"], classes: ["x", "y", "z"], counts: counts, width: 400, height: 220)
        let b = Charts.splitBars(splits: ["Train", "Test"], classes: ["x", "y", "z"], counts: counts,
                                 colors: [Palette.splits[0], Palette.tab10[2], Palette.splits[2]], width: 400, height: 220)
        let c = Charts.splitBars(splits: ["Train", "Test"], classes: ["x", "y", "z"], counts: counts, width: 400, height: 220)
        c.legend = nil
        let pa = a.renderPixels()
        for other in [b, c] {
            let (differing, _) = Self.compare(pa, other.renderPixels())
            #expect(Double(differing) / Double(pa.argb.count) > 0.005)
        }
        #expect(Self.compare(pa, a.renderPixels()).differing == 0)
    }

    @Test func goldensExistOnePerFigureAndAreSmall() throws {
        // The folder must be there (a missing folder is a failure, not an empty pass), hold exactly one
        // golden per gallery figure (none missing, none stale), and each under 120 kB.
        let urls = try FileManager.default.contentsOfDirectory(at: Self.folder, includingPropertiesForKeys: [.fileSizeKey])
            .filter { $0.pathExtension == "png" }
        let names = Set(urls.map { $0.deletingPathExtension().lastPathComponent })
        let figures = Set(Gallery.figures(small: true).map(\.name))
        #expect(!figures.isEmpty)
        #expect(names == figures, "missing goldens: \(figures.subtracting(names).sorted()); stale: \(names.subtracting(figures).sorted())")
        for url in urls {
            let size = try url.resourceValues(forKeys: [.fileSizeKey]).fileSize ?? 0
            #expect(size < 120_000, "\(url.lastPathComponent) is \(size) bytes")
        }
    }
}
