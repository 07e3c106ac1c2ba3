import Foundation
import Tensor
import Testing
@testable import Plot
#if canImport(FoundationXML)
import FoundationXML
#endif

/// Checks of what figures show: colours where the data are, numbers in cells, axis ranges, text.
@Suite struct FigureContentTests {
    /// Distance between two colours, largest channel.
    func distance(_ a: Color, _ b: Color) -> Double {
        max(abs(a.red - b.red), abs(a.green - b.green), abs(a.blue - b.blue))
    }

    /// The pixel at data point (x, y) of `axes` in `figure`, 1x.
    func pixel(_ figure: Figure, _ pixels: PixelBuffer, axes index: Int, x: Double, y: Double) -> Color {
        let layout = figure.layout(TextMeasurer()).axes[index]
        return pixels.color(x: Int(layout.x(x)), y: Int(layout.y(y)))
    }

    func twoClassScatter() -> Figure {
        let f = Figure(width: 300, height: 200)
        let a = f.addAxes()
        // Class "neutrophil" in a tight clump at (1, 1), "eosinophil" at (9, 9).
        let xs = [1.0, 1.01, 0.99, 9, 9.01, 8.99], ys = [1.0, 0.99, 1.01, 9, 8.99, 9.01]
        let palette = ClassPalette(fixed: ["neutrophil": Color(hex: "#E63946")!, "eosinophil": Color(hex: "#2A9D8F")!])
        a.scatter(xs, ys, labels: ["neutrophil", "neutrophil", "neutrophil", "eosinophil", "eosinophil", "eosinophil"],
                  palette: palette, size: 10, alpha: 1)
        a.legend = .outsideRight
        return f
    }

    @Test func scatterClassColoursAppearWhereTheirPointsAre() throws {
        // The pixel under each clump has that class's colour; an empty spot between them is white.
        let f = twoClassScatter()
        let pixels = f.renderPixels()
        let red = Color(hex: "#E63946")!, teal = Color(hex: "#2A9D8F")!
        #expect(distance(pixel(f, pixels, axes: 0, x: 1, y: 1), red) < 0.02)
        #expect(distance(pixel(f, pixels, axes: 0, x: 9, y: 9), teal) < 0.02)
        #expect(distance(pixel(f, pixels, axes: 0, x: 4.3, y: 2.7), .white) < 0.02)
    }

    @Test func eachLayerHoldsOnlyItsClass() throws {
        // The neutrophil layer is opaque at the neutrophil clump and transparent at the eosinophil one;
        // the base shows neither clump but keeps the axes.
        let f = twoClassScatter()
        let r = f.render()
        #expect(r.layers.map(\.name) == ["neutrophil", "eosinophil"])
        let layout = f.layout(TextMeasurer()).axes[0]
        let at = { (x: Double, y: Double) in (Int(layout.x(x)), Int(layout.y(y))) }
        let neutrophil = try PixelBuffer(png: r.layers[0].png)
        let (ax, ay) = at(1, 1), (bx, by) = at(9, 9)
        #expect(distance(neutrophil.color(x: ax, y: ay), Color(hex: "#E63946")!) < 0.02)
        #expect(neutrophil.color(x: ax, y: ay).alpha > 0.99)
        #expect(neutrophil.color(x: bx, y: by).alpha == 0)
        let base = try PixelBuffer(png: r.base!.png)
        #expect(distance(base.color(x: ax, y: ay), .white) < 0.02)
        let layer2x = try PixelBuffer(png: r.layers[1].png2x)
        #expect(layer2x.width == 600 && layer2x.height == 400)
        #expect(r.hotspots.map(\.layer) == ["neutrophil", "eosinophil"])
    }

    @Test func confusionMatrixCellsHoldTheirNumberAndColour() throws {
        // A cell's colour is the colormap's colour for its value, and its count is written at its centre.
        let f = Figure(width: 320, height: 300)
        let a = f.addAxes()
        let m: [[Double]] = [[50, 3], [7, 40]]
        a.heatmap(m, rowLabels: ["cat", "dog"], columnLabels: ["cat", "dog"], colormap: .rdPu)
        let pixels = f.renderPixels()
        let layout = f.layout(TextMeasurer()).axes[0]
        for r in 0..<2 {
            for k in 0..<2 {
                // Sample a quarter-cell away from the centre, clear of the digits.
                let px = Int(layout.x(Double(k) - 0.3)), py = Int(layout.y(Double(r) - 0.3))
                let expected = Colormap.rdPu.color(m[r][k], minimum: 3, maximum: 50)
                #expect(distance(pixels.color(x: px, y: py), expected) < 2.0 / 255, "cell \(r),\(k)")
                let label = f.drawnTexts().first { $0.text == String(Int(m[r][k])) }
                #expect(label != nil, "no text \(Int(m[r][k]))")
                if let label {
                    #expect(abs(label.x - layout.x(Double(k))) < 0.5 && abs(label.y - layout.y(Double(r))) < 0.5)
                }
            }
        }
        // Dark cells get white text, light cells dark text.
        let texts = f.drawnTexts()
        #expect(texts.first { $0.text == "50" }?.color == .white)
        #expect(texts.first { $0.text == "3" }?.color == Color.text)
    }

    /// A smooth ROC curve, tpr = fpr^(1/q), whose AUC is q / (q + 1).
    func rocCurve(name: String, quality: Double, points: Int = 60) -> ROCCurve {
        let t = (0..<points).map { Double($0) / Double(points - 1) }
        let fpr = t.map { $0 * $0 }
        return ROCCurve(name: name, fpr: fpr, tpr: fpr.map { pow($0, 1 / quality) }, thresholds: t.map { 1 - pow($0, 3 / quality) },
                        auc: quality / (quality + 1))
    }

    @Test func rocAxesSpanZeroToOne() {
        // Both ROC panels show 0 and 1 on both axes; the legend names every AUC and the micro-average.
        let curves = [rocCurve(name: "a", quality: 3), rocCurve(name: "b", quality: 6)]
        let f = Charts.roc(curves, micro: rocCurve(name: "micro", quality: 4), width: 700, height: 340)
        let layouts = f.layout(TextMeasurer()).axes
        for l in layouts {
            #expect(l.x.lower <= 0 && l.x.upper >= 1 && l.y.lower <= 0 && l.y.upper >= 1)
            #expect(l.x.upper <= 1.05 && l.y.upper <= 1.05)
            #expect(l.xTicks.first?.value == 0 && l.xTicks.last?.value == 1)
            #expect(l.yTicks.first?.value == 0 && l.yTicks.last?.value == 1)
        }
        let texts = f.drawnTexts().map(\.text)
        #expect(texts.contains("a (AUC=0.750)") && texts.contains("b (AUC=0.857)"))
        #expect(texts.contains("Micro-Average (AUC=0.800)"))
        // The ROC panel is square: one unit of FPR is as long as one unit of TPR.
        let roc = layouts[0]
        #expect(abs((roc.x(1) - roc.x(0)) - (roc.y(0) - roc.y(1))) < 0.01)
    }

    @Test("figures with embedded images (an image grid, a heat map's colour bar) give the same SVG when drawn again")
    func embeddedImagesGiveIdenticalSVG() {
        func draw() -> [Data] {
            let raster = Raster(width: 4, height: 4, channels: 3, pixels: (0..<48).map { UInt8($0 * 5) })
            let grid = ImageGrid.figure([ImageCell(image: raster, title: "a"), ImageCell(image: raster, title: "b")], columns: 2)
            let heat = Figure(width: 300, height: 200)
            heat.addAxes().heatmap([[1, 2], [3, 4]], rowLabels: ["x", "y"], columnLabels: ["0", "1"])
            return [grid.render().svg, heat.render().svg]
        }
        let a = draw(), b = draw()
        #expect(a == b)
        // Cairo's process-wide counters are renumbered from 1.
        #expect(a.allSatisfy { String(decoding: $0, as: UTF8.self).contains("id=\"image1\"") })
    }

    @Test func percentAxisAndGroupedBars() {
        // The proportions panel writes percent ticks, and each class's bar is drawn in its colour.
        let f = Charts.splitBars(splits: ["Train", "Test"], classes: ["a", "b"], counts: [[30, 70], [10, 30]],
                                 width: 500, height: 260)
        let texts = f.drawnTexts().map(\.text)
        #expect(texts.contains("0%") && texts.contains("60%"))
        #expect(texts.contains("Train") && texts.contains("Test"))
        let pixels = f.renderPixels()
        let l = f.layout(TextMeasurer()).axes[0]
        // Bar "b" of "Train" (height 70) sits right of the category centre.
        let c = pixels.color(x: Int(l.x(0.2)), y: Int(l.y(35)))
        let expected = Palette.splits[1].withAlpha(0.9)
        let blended = Color(red: expected.red * 0.9 + 0.1, green: expected.green * 0.9 + 0.1, blue: expected.blue * 0.9 + 0.1)
        #expect(distance(c, blended) < 2.0 / 255)
    }

    @Test func explainedVarianceFindsThresholdCrossings() {
        // With ratios 0.5, 0.3, 0.15, 0.04, 0.01 the cumulative sum reaches 95% at 3 and 99% at 4.
        let (f, crossings) = Charts.explainedVariance([0.5, 0.3, 0.15, 0.04, 0.01])
        #expect(crossings == [3, 4])
        let texts = f.drawnTexts().map(\.text)
        #expect(texts.contains("3 comps (95%)") && texts.contains("4 comps (99%)"))
        #expect(texts.contains("95% Threshold") && texts.contains("99% Threshold"))
    }

    @Test func bigScattersAreEmbeddedAsAnImageInSVG() {
        // Up to 3,000 points stay vector circles; beyond that the points become one embedded image,
        // so the 17,092-point figure's SVG stays small.
        var g = SeededGenerator(seed: 1)
        for (count, embedded) in [(50, false), (5000, true)] {
            let xs = (0..<count).map { _ in g.nextGaussian() }, ys = (0..<count).map { _ in g.nextGaussian() }
            let labels = (0..<count).map { "class \($0 % 8)" }
            let f = Figure(width: 300, height: 200)
            f.addAxes().scatter(xs, ys, labels: labels, palette: ClassPalette(fixed: [:]))
            let svg = String(decoding: f.renderSVG(), as: UTF8.self)
            #expect(svg.contains("<image") == embedded, "\(count) points")
            #expect(svg.utf8.count < 1_000_000)
        }
    }
}
