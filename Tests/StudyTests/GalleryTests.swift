import Foundation
import Testing
@testable import Plot
import Study
#if canImport(FoundationXML)
import FoundationXML
#endif

/// The study's gallery of figures (synthetic data) and its class colours.
@Suite struct GalleryTests {
    @Test func bloodCellPaletteUsesStudyColoursAndAStableFallback() {
        // The eight classes take color_map2, whatever their case; unknown names take tab10 in order of first use.
        var p = ClassPalette.bloodCells
        #expect(p.color(for: "neutrophil").hexString == "#e63946")
        #expect(p.color(for: "Lymphocyte").hexString == "#f77f00")
        #expect(p.color(for: "ig").hexString == "#457b9d")
        #expect(p.color(for: "mystery") == Palette.tab10[0])
        #expect(p.color(for: "other") == Palette.tab10[1])
        #expect(p.color(for: "mystery") == Palette.tab10[0])
        #expect(ClassPalette.bloodCells.colors(for: ["x", "basophil", "y"]).map(\.hexString) == ["#1f77b4", "#264653", "#ff7f0e"])
    }

    @Test func svgIsWellFormedXML() throws {
        // Every gallery figure's SVG parses as XML with an <svg> root of the figure's size.
        for (name, figure) in Gallery.figures(small: true) {
            let svg = figure.renderSVG()
            let parser = XMLParser(data: svg)
            final class Root: NSObject, XMLParserDelegate {
                var name: String?; var attributes: [String: String] = [:]
                func parser(_ parser: XMLParser, didStartElement elementName: String, namespaceURI: String?,
                            qualifiedName: String?, attributes: [String: String]) {
                    if name == nil { name = elementName; self.attributes = attributes }
                }
            }
            let root = Root()
            parser.delegate = root
            #expect(parser.parse(), "\(name): \(parser.parserError.map { "\($0)" } ?? "")")
            #expect(root.name == "svg", "\(name)")
            #expect(root.attributes["width"]?.hasPrefix(String(Int(figure.width))) == true, "\(name) width \(root.attributes)")
        }
    }

    @Test func sameInputGivesIdenticalBytes() {
        let a = Gallery.figures(seed: 7, small: true)[2].figure.render()
        let b = Gallery.figures(seed: 7, small: true)[2].figure.render()
        #expect(a.png == b.png && a.png2x == b.png2x && a.svg == b.svg)
        #expect(a.layers.map(\.png) == b.layers.map(\.png))
    }

    @Test func edgeCasesAreDrawnAndExplained() throws {
        // Non-finite values are counted in a note; a long name is cut with an ellipsis; a 1,000-class
        // legend ends with "+N more"; empty, one-point and constant series still give finite axes.
        let f = Gallery.edgeCases(small: true)
        let texts = f.drawnTexts().map(\.text)
        #expect(texts.contains("2 non-finite values skipped"))
        #expect(texts.contains("no data"))
        #expect(texts.contains { $0.hasPrefix("a-very-long-class-name") && $0.hasSuffix("…") })
        #expect(texts.contains("+995 more"))
        for l in f.layout(TextMeasurer()).axes {
            #expect(l.x.upper > l.x.lower && l.y.upper > l.y.lower)
            #expect([l.x.lower, l.x.upper, l.y.lower, l.y.upper].allSatisfy { $0.isFinite })
        }
        // A long category name on an axis is shortened too.
        let g = Figure(width: 300, height: 200)
        g.addAxes().groupedBars(categories: [String(repeating: "x", count: 30), "short"], series: [("s", [1, 2], .black)])
        #expect(g.drawnTexts().map(\.text).contains(String(repeating: "x", count: 23) + "…"))
        let png = try PixelBuffer(png: f.render().png)
        #expect(png.width == Int(f.width.rounded(.up)))
    }
}
