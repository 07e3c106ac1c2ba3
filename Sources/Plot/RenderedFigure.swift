import CCairo
import Foundation
import Tensor

/// One transparent PNG layer of a figure (the points of one class), aligned with the figure.
public struct FigureLayer: Sendable {
    public var name: String
    public var png: Data
    public var png2x: Data
}

/// A legend row that toggles a layer, in figure points (for the site's clickable legend).
public struct LegendHotspot: Sendable, Equatable {
    public var layer: String
    public var x, y, width, height: Double
}

/// A figure drawn to every output the report needs.
public struct RenderedFigure: Sendable {
    /// PNG at 1 pixel per point.
    public var png: Data
    /// PNG at 2 pixels per point, for sharp screens.
    public var png2x: Data
    /// SVG (text as glyph outlines, so it looks the same everywhere).
    public var svg: Data
    /// Size in points.
    public var width: Double
    public var height: Double
    /// Transparent per-class layers, in legend order; empty when the figure has none.
    public var layers: [FigureLayer]
    /// The figure without its layered points (stack `layers` on this); nil when there are no layers.
    public var base: FigureLayer?
    /// Every text the figure drew, in drawing order.
    public var texts: [DrawnText]
    /// Legend rows that toggle layers.
    public var hotspots: [LegendHotspot]
}

/// Cairo could not produce an output.
public struct RenderError: Error, CustomStringConvertible {
    public var description: String
}

extension Figure {
    /// Names of the layers, in the order their points are drawn.
    public var layerNames: [String] {
        var seen = Set<String>(), out: [String] = []
        for s in slots { for a in s.axes.artists { if let n = a.layer, seen.insert(n).inserted { out.append(n) } } }
        return out
    }

    /// Draws the figure to PNG (1x and 2x), SVG and per-layer PNGs, in parallel over the cores.
    /// The same figure always gives byte-identical output.
    public func render() -> RenderedFigure {
        let names = layerNames
        // Jobs: 0 = png, 1 = png2x, 2 = svg, then base 1x/2x and each layer 1x/2x.
        enum Job { case png(Double, RenderPass), svg }
        var jobs: [Job] = [.png(1, .full), .png(2, .full), .svg]
        if !names.isEmpty {
            jobs += [.png(1, .base), .png(2, .base)]
            for n in names { jobs += [.png(1, .layer(n)), .png(2, .layer(n))] }
        }
        let outputs = Parallel.map(jobs.count) { i -> (Data, [DrawnText], [(layer: String, rect: Rect)]) in
            switch jobs[i] {
            case .png(let s, let pass): return drawPNG(scale: s, pass: pass)
            case .svg: return drawSVG()
            }
        }
        var layers: [FigureLayer] = []
        for (k, n) in names.enumerated() {
            layers.append(FigureLayer(name: n, png: outputs[5 + 2 * k].0, png2x: outputs[6 + 2 * k].0))
        }
        let base = names.isEmpty ? nil : FigureLayer(name: "base", png: outputs[3].0, png2x: outputs[4].0)
        return RenderedFigure(png: outputs[0].0, png2x: outputs[1].0, svg: outputs[2].0, width: width, height: height,
                              layers: layers, base: base, texts: outputs[0].1,
                              hotspots: outputs[0].2.map { LegendHotspot(layer: $0.layer, x: $0.rect.x, y: $0.rect.y,
                                                                          width: $0.rect.width, height: $0.rect.height) })
    }

    /// Only the 1x PNG (what the benchmark times).
    public func renderPNG(scale: Double = 1) -> Data { drawPNG(scale: scale, pass: .full).0 }

    /// Only the SVG.
    public func renderSVG() -> Data { drawSVG().0 }

    /// Every text the figure draws.
    public func drawnTexts() -> [DrawnText] { drawPNG(scale: 1, pass: .full).1 }

    /// Decoded premultiplied ARGB pixels of the 1x (or `scale`x) PNG, for checks on what was drawn.
    public func renderPixels(scale: Double = 1) -> PixelBuffer {
        let (surface, _, _) = drawSurface(scale: scale, pass: .full)
        defer { cairo_surface_destroy(surface) }
        return PixelBuffer(surface)
    }

    func drawSurface(scale: Double, pass: RenderPass) -> (OpaquePointer, [DrawnText], [(layer: String, rect: Rect)]) {
        let w = Int32((width * scale).rounded(.up)), h = Int32((height * scale).rounded(.up))
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h)!
        let cr = cairo_create(surface)!
        let measurer = TextMeasurer()
        let canvas = Canvas(cr: cr, scale: scale, isVector: false, imageSurface: surface, measurer: measurer)
        let hits = draw(canvas, pass: pass)
        cairo_destroy(cr)
        cairo_surface_flush(surface)
        return (surface, canvas.texts, hits)
    }

    func drawPNG(scale: Double, pass: RenderPass) -> (Data, [DrawnText], [(layer: String, rect: Rect)]) {
        let (surface, texts, hits) = drawSurface(scale: scale, pass: pass)
        defer { cairo_surface_destroy(surface) }
        let sink = DataSink()
        let status = cairo_surface_write_to_png_stream(surface, { closure, bytes, length in
            let sink = Unmanaged<DataSink>.fromOpaque(closure!).takeUnretainedValue()
            sink.data.append(bytes!, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque())
        precondition(status == CAIRO_STATUS_SUCCESS, "cairo could not encode a PNG: \(String(cString: cairo_status_to_string(status)))")
        return (sink.data, texts, hits)
    }

    func drawSVG() -> (Data, [DrawnText], [(layer: String, rect: Rect)]) {
        let sink = DataSink()
        let surface = cairo_svg_surface_create_for_stream({ closure, bytes, length in
            let sink = Unmanaged<DataSink>.fromOpaque(closure!).takeUnretainedValue()
            sink.data.append(bytes!, count: Int(length))
            return CAIRO_STATUS_SUCCESS
        }, Unmanaged.passUnretained(sink).toOpaque(), width, height)!
        cairo_svg_surface_restrict_to_version(surface, CAIRO_SVG_VERSION_1_1)
        let cr = cairo_create(surface)!
        let canvas = Canvas(cr: cr, scale: 1, isVector: true, imageSurface: nil, measurer: TextMeasurer())
        let hits = draw(canvas, pass: .full)
        cairo_destroy(cr)
        cairo_surface_finish(surface)
        cairo_surface_destroy(surface)
        return (renumberSurfaceIDs(sink.data), canvas.texts, hits)
    }
}

/// Cairo names SVG groups and embedded images after process-wide counters (`id="surface97"`,
/// `id="image156"`), so the same figure drawn twice would differ; renumber each kind 1, 2, … in
/// order of first appearance. Images are matched only as an id or a reference to one, so that
/// base64 image data is never touched.
func renumberSurfaceIDs(_ svg: Data) -> Data {
    var text = String(decoding: svg, as: UTF8.self)
    text = renumber(["surface"], in: text)
    text = renumber(["id=\"image", "#image"], in: text)
    return Data(text.utf8)
}

/// `text` with the digits right after any of `patterns` renumbered in order of first appearance
/// (one numbering for all the patterns).
private func renumber(_ patterns: [String], in text: String) -> String {
    var out = ""
    out.reserveCapacity(text.utf8.count)
    var numbers: [Substring: Int] = [:]
    var rest = text[...]
    while let r = patterns.compactMap({ rest.range(of: $0) }).min(by: { $0.lowerBound < $1.lowerBound }) {
        out += rest[..<r.upperBound]
        rest = rest[r.upperBound...]
        let digits = rest.prefix { $0.isASCII && $0.isNumber }
        if !digits.isEmpty {
            let n = numbers[digits] ?? (numbers.count + 1)
            numbers[digits] = n
            out += String(n)
            rest = rest[digits.endIndex...]
        }
    }
    out += rest
    return out
}

/// Collects bytes from Cairo's stream callbacks.
private final class DataSink { var data = Data() }

/// Pixels of a rendered figure (premultiplied ARGB, as Cairo stores them), for tests and tools.
public struct PixelBuffer: Sendable {
    public var width: Int
    public var height: Int
    /// Row-major `0xAARRGGBB` values.
    public var argb: [UInt32]

    init(_ surface: OpaquePointer) {
        width = Int(cairo_image_surface_get_width(surface)); height = Int(cairo_image_surface_get_height(surface))
        let stride = Int(cairo_image_surface_get_stride(surface))
        let data = cairo_image_surface_get_data(surface)!
        // RGB24 surfaces (opaque PNGs) leave the top byte undefined: make it opaque.
        let opaque: UInt32 = cairo_image_surface_get_format(surface) == CAIRO_FORMAT_RGB24 ? 0xFF00_0000 : 0
        var out = [UInt32](repeating: 0, count: width * height)
        for y in 0..<height {
            let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
            for x in 0..<width { out[y * width + x] = row[x] | opaque }
        }
        argb = out
    }

    /// The straight-alpha colour at pixel `(x, y)`.
    public func color(x: Int, y: Int) -> Color {
        let v = argb[y * width + x]
        let a = Double(v >> 24) / 255
        guard a > 0 else { return .clear }
        return Color(red: Double((v >> 16) & 0xFF) / 255 / a, green: Double((v >> 8) & 0xFF) / 255 / a,
                     blue: Double(v & 0xFF) / 255 / a, alpha: a)
    }
}
