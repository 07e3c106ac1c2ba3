import Foundation
import Testing
@testable import Plot

/// Image grids and SHAP image plots put each picture and heat map where it belongs.
@Suite struct ImageFigureTests {
    func solid(_ r: UInt8, _ g: UInt8, _ b: UInt8, size: Int = 8) -> Raster {
        Raster(width: size, height: size, channels: 3, pixels: [UInt8]((0..<(size * size)).flatMap { _ in [r, g, b] }))
    }

    func distance(_ a: Color, _ b: Color) -> Double {
        max(abs(a.red - b.red), abs(a.green - b.green), abs(a.blue - b.blue))
    }

    @Test func gridCellsShowTheirImagesAndCaptions() {
        // A red, a green and a blue image in a 3-column grid: the middle of each cell has its colour,
        // and each title and caption is drawn.
        let cells = [solid(255, 0, 0), solid(0, 255, 0), solid(0, 0, 255)].enumerated().map { i, image in
            ImageCell(image: image, title: "cell \(i)", caption: i == 1 ? Caption("Neighbor 1\nig") : nil)
        }
        let f = ImageGrid.figure(cells, columns: 3, cellSize: 80)
        let pixels = f.renderPixels()
        let layouts = f.layout(TextMeasurer()).axes
        let expected = [Color(red: 1, green: 0, blue: 0), Color(red: 0, green: 1, blue: 0), Color(red: 0, green: 0, blue: 1)]
        for (l, color) in zip(layouts, expected) {
            // Bottom-right quarter: clear of the caption box at the top left.
            let c = pixels.color(x: Int(l.plot.x + l.plot.width * 0.75), y: Int(l.plot.y + l.plot.height * 0.75))
            #expect(distance(c, color) < 0.01)
        }
        let texts = f.drawnTexts().map(\.text)
        #expect(texts.contains("cell 0") && texts.contains("cell 2") && texts.contains("Neighbor 1") && texts.contains("ig"))
        // Every image keeps the same size.
        #expect(Set(layouts.map { Int($0.plot.width * 100) }).count == 1)
    }

    @Test func shapHeatMapsUseOneSymmetricScale() {
        // Image 0 has a strong positive value in its top-left pixel for class "a" and a negative one for
        // class "b": the first shows SHAP red there, the second SHAP blue, both over one ±bound scale.
        let image = solid(200, 200, 200, size: 4)
        var a = [Double](repeating: 0, count: 16), b = a
        a[0] = 2; b[0] = -2
        let f = ShapImagePlot.figure(images: [image], values: [[a, b]], classNames: ["a", "b"], trueLabels: ["truth"])
        #expect(f.colorBar?.minimum == -f.colorBar!.maximum)
        let pixels = f.renderPixels(scale: 2)
        let layouts = f.layout(TextMeasurer()).axes
        func topLeftPixel(_ l: AxesLayout) -> Color {
            pixels.color(x: Int((l.plot.x + l.plot.width / 8) * 2), y: Int((l.plot.y + l.plot.height / 8) * 2))
        }
        #expect(distance(topLeftPixel(layouts[1]), Color(hex: "#ff0051")!) < 0.02)
        #expect(distance(topLeftPixel(layouts[2]), Color(hex: "#008bfb")!) < 0.02)
        let texts = f.drawnTexts().map(\.text)
        #expect(texts.contains("truth") && texts.contains("a") && texts.contains("b") && texts.contains("SHAP value"))
    }

    @Test func symmetricBoundIsThe999thPercentileOfMagnitudes() {
        // numpy: np.nanpercentile(np.abs(v), 99.9) for v = 0, 1, ..., 1000 is 999.0.
        #expect(abs(ShapImagePlot.symmetricBound((0...1000).map(Double.init)) - 999) < 1e-9)
        #expect(ShapImagePlot.symmetricBound([0, 0]) == 1)
        #expect(ShapImagePlot.symmetricBound([.nan, -3]) == 3)
    }

    @Test func bestLegendAvoidsTheData() {
        // All points sit in the upper-right corner, so "best" puts the legend somewhere else and no
        // point falls inside it.
        let f = Figure(width: 400, height: 300)
        let ax = f.addAxes()
        let xs = (0..<200).map { 8 + Double($0 % 20) / 10 }, ys = (0..<200).map { 8 + Double($0 / 20) / 5 }
        ax.scatter(xs + [0], ys + [0], color: .black, label: "points")
        ax.legend = .best
        let l = f.layout(TextMeasurer()).axes[0]
        let size = l.legend!.size(TextMeasurer())
        let box = Rect(x: l.legendOrigin!.x, y: l.legendOrigin!.y, width: size.width, height: size.height)
        let covered = zip(xs, ys).filter { x, y in
            let px = l.x(x), py = l.y(y)
            return px >= box.x && px <= box.maxX && py >= box.y && py <= box.maxY
        }
        #expect(covered.isEmpty)
    }
}
