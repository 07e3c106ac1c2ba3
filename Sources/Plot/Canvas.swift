import CCairo
import Foundation

/// A point in figure coordinates (points, origin top-left, y down).
struct Point: Sendable { var x, y: Double }

/// A rectangle in figure coordinates.
struct Rect: Sendable, Equatable {
    var x, y, width, height: Double
    var maxX: Double { x + width }
    var maxY: Double { y + height }
    var midX: Double { x + width / 2 }
    var midY: Double { y + height / 2 }
    func inset(_ d: Double) -> Rect { Rect(x: x + d, y: y + d, width: width - 2 * d, height: height - 2 * d) }
    func intersects(_ o: Rect) -> Bool { x < o.maxX && o.x < maxX && y < o.maxY && o.y < maxY }
}

/// Font weight of drawn text.
public enum FontWeight: Sendable { case normal, bold }

/// Horizontal and vertical text anchors.
enum HAnchor { case left, center, right }
enum VAnchor { case top, center, baseline, bottom }

/// Line dash patterns, in multiples of the line width (matplotlib's proportions).
public enum Dash: Sendable, Equatable {
    case solid, dashed, dotted, dashDot
    func pattern(width: Double) -> [Double] {
        let w = max(width, 1)
        switch self {
        case .solid: return []
        case .dashed: return [3.7 * w, 1.6 * w]
        case .dotted: return [1 * w, 1.65 * w]
        case .dashDot: return [6.4 * w, 1.6 * w, 1 * w, 1.6 * w]
        }
    }
}

/// A piece of text the figure drew: what a test or a screen reader can check.
public struct DrawnText: Sendable, Equatable {
    public var text: String
    /// Anchor point in figure points.
    public var x: Double
    public var y: Double
    public var size: Double
    public var color: Color
}

/// The font every figure uses.
let fontFamily = "DejaVu Sans"

/// Text measurement without a target surface, so layout is the same for PNG 1x, 2x and SVG.
final class TextMeasurer {
    private let surface: OpaquePointer
    let cr: OpaquePointer

    init() {
        surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, 1, 1)
        cr = cairo_create(surface)
        configureFonts(cr)
    }

    deinit { cairo_destroy(cr); cairo_surface_destroy(surface) }

    /// Advance width of `text` at `size` points.
    func width(_ text: String, size: Double, weight: FontWeight = .normal) -> Double {
        selectFont(cr, size: size, weight: weight)
        var extents = cairo_text_extents_t()
        cairo_text_extents(cr, text, &extents)
        return extents.x_advance
    }

    /// Height of a line of text: ascent + descent of the font at `size`.
    func lineHeight(size: Double) -> Double { size * 1.17 }

    /// `text` shortened with an ellipsis so it fits `maxWidth`.
    func truncate(_ text: String, size: Double, weight: FontWeight = .normal, maxWidth: Double) -> String {
        if width(text, size: size, weight: weight) <= maxWidth { return text }
        var chars = Array(text)
        while !chars.isEmpty {
            chars.removeLast()
            let candidate = String(chars) + "…"
            if width(candidate, size: size, weight: weight) <= maxWidth { return candidate }
        }
        return "…"
    }
}

func configureFonts(_ cr: OpaquePointer) {
    // Unhinted metrics: glyph advances then scale exactly, so 1x, 2x and SVG share one layout.
    let options = cairo_font_options_create()
    cairo_font_options_set_hint_metrics(options, CAIRO_HINT_METRICS_OFF)
    cairo_font_options_set_hint_style(options, CAIRO_HINT_STYLE_NONE)
    cairo_font_options_set_antialias(options, CAIRO_ANTIALIAS_GRAY)
    cairo_set_font_options(cr, options)
    cairo_font_options_destroy(options)
}

func selectFont(_ cr: OpaquePointer, size: Double, weight: FontWeight) {
    cairo_select_font_face(cr, fontFamily, CAIRO_FONT_SLANT_NORMAL,
                           weight == .bold ? CAIRO_FONT_WEIGHT_BOLD : CAIRO_FONT_WEIGHT_NORMAL)
    cairo_set_font_size(cr, size)
}

/// Drawing on one Cairo surface in figure points, recording the text it draws.
final class Canvas {
    let cr: OpaquePointer
    /// Device pixels per point (1 or 2 for PNG; 1 for SVG).
    let scale: Double
    /// True for SVG: markers are drawn as vector shapes rather than stamped pixels.
    let isVector: Bool
    /// The image surface when raster, for fast marker stamping.
    let imageSurface: OpaquePointer?
    let measurer: TextMeasurer
    private(set) var texts: [DrawnText] = []

    init(cr: OpaquePointer, scale: Double, isVector: Bool, imageSurface: OpaquePointer?, measurer: TextMeasurer) {
        self.cr = cr; self.scale = scale; self.isVector = isVector
        self.imageSurface = imageSurface; self.measurer = measurer
        configureFonts(cr)
        cairo_scale(cr, scale, scale)
    }

    func setColor(_ c: Color) { cairo_set_source_rgba(cr, c.red, c.green, c.blue, c.alpha) }

    func save() { cairo_save(cr) }
    func restore() { cairo_restore(cr) }

    func clip(_ r: Rect) {
        cairo_rectangle(cr, r.x, r.y, r.width, r.height)
        cairo_clip(cr)
    }

    func fill(_ r: Rect, _ color: Color) {
        setColor(color)
        cairo_rectangle(cr, r.x, r.y, r.width, r.height)
        cairo_fill(cr)
    }

    func stroke(_ r: Rect, _ color: Color, width: Double) {
        setColor(color)
        cairo_set_line_width(cr, width)
        cairo_set_dash(cr, nil, 0, 0)
        cairo_rectangle(cr, r.x, r.y, r.width, r.height)
        cairo_stroke(cr)
    }

    func roundedRect(_ r: Rect, radius: Double) {
        let rad = min(radius, r.width / 2, r.height / 2)
        cairo_new_sub_path(cr)
        cairo_arc(cr, r.maxX - rad, r.y + rad, rad, -.pi / 2, 0)
        cairo_arc(cr, r.maxX - rad, r.maxY - rad, rad, 0, .pi / 2)
        cairo_arc(cr, r.x + rad, r.maxY - rad, rad, .pi / 2, .pi)
        cairo_arc(cr, r.x + rad, r.y + rad, rad, .pi, 1.5 * .pi)
        cairo_close_path(cr)
    }

    /// Fills the current path, then strokes it (no stroke when `stroke` is nil).
    func fillAndStrokePath(fill: Color, stroke: Color?, width: Double) {
        setColor(fill)
        guard let stroke else { cairo_fill(cr); return }
        cairo_fill_preserve(cr)
        setColor(stroke)
        cairo_set_line_width(cr, width)
        cairo_set_dash(cr, nil, 0, 0)
        cairo_stroke(cr)
    }

    /// A line in points; `snap` aligns thin horizontal/vertical lines to the pixel grid so they stay crisp.
    func line(_ a: Point, _ b: Point, color: Color, width: Double, dash: Dash = .solid, snap: Bool = false) {
        setColor(color)
        cairo_set_line_width(cr, width)
        setDash(dash, width: width)
        var a = a, b = b
        if snap {
            if a.x == b.x { a.x = snapped(a.x, width); b.x = a.x }
            if a.y == b.y { a.y = snapped(a.y, width); b.y = a.y }
        }
        cairo_move_to(cr, a.x, a.y)
        cairo_line_to(cr, b.x, b.y)
        cairo_stroke(cr)
    }

    func setDash(_ dash: Dash, width: Double) {
        let pattern = dash.pattern(width: width)
        if pattern.isEmpty { cairo_set_dash(cr, nil, 0, 0) } else {
            pattern.withUnsafeBufferPointer { cairo_set_dash(cr, $0.baseAddress, Int32($0.count), 0) }
        }
    }

    /// A coordinate moved so a line of `width` points covers whole device pixels.
    func snapped(_ v: Double, _ width: Double) -> Double {
        guard !isVector else { return v }
        let w = max(1, (width * scale).rounded())
        let d = v * scale
        let s = w.truncatingRemainder(dividingBy: 2) == 1 ? d.rounded(.down) + 0.5 : d.rounded()
        return s / scale
    }

    /// A polyline through `points`; runs of points are broken where `points` has gaps (nil).
    func polyline(_ points: [Point?], color: Color, width: Double, dash: Dash) {
        setColor(color)
        cairo_set_line_width(cr, width)
        cairo_set_line_join(cr, CAIRO_LINE_JOIN_ROUND)
        cairo_set_line_cap(cr, dash == .solid ? CAIRO_LINE_CAP_ROUND : CAIRO_LINE_CAP_BUTT)
        setDash(dash, width: width)
        var pen = false
        for p in points {
            guard let p else { pen = false; continue }
            if pen { cairo_line_to(cr, p.x, p.y) } else { cairo_move_to(cr, p.x, p.y); pen = true }
        }
        cairo_stroke(cr)
        cairo_set_line_cap(cr, CAIRO_LINE_CAP_BUTT)
    }

    func circle(_ c: Point, radius: Double, fill: Color, edge: Color? = nil, edgeWidth: Double = 0) {
        cairo_new_path(cr)
        cairo_arc(cr, c.x, c.y, radius, 0, 2 * .pi)
        setColor(fill)
        if let edge, edgeWidth > 0 {
            cairo_fill_preserve(cr)
            setColor(edge)
            cairo_set_line_width(cr, edgeWidth)
            cairo_set_dash(cr, nil, 0, 0)
            cairo_stroke(cr)
        } else {
            cairo_fill(cr)
        }
    }

    /// Draws `text` anchored at `(x, y)`, rotated by `angle` radians (counter-clockwise positive,
    /// e.g. `.pi / 2` for a y-axis label), and records it.
    func text(_ text: String, x: Double, y: Double, size: Double, weight: FontWeight = .normal,
              color: Color = .black, h: HAnchor = .left, v: VAnchor = .baseline, angle: Double = 0) {
        guard !text.isEmpty else { return }
        texts.append(DrawnText(text: text, x: x, y: y, size: size, color: color))
        selectFont(cr, size: size, weight: weight)
        var fe = cairo_font_extents_t()
        cairo_font_extents(cr, &fe)
        let w = measurer.width(text, size: size, weight: weight)
        let dx: Double = h == .left ? 0 : (h == .center ? -w / 2 : -w)
        // DejaVu's ascent/descent: centre on the x-height band so digits look centred.
        let dy: Double
        switch v {
        case .baseline: dy = 0
        case .top: dy = size * 0.76
        case .center: dy = size * 0.36
        case .bottom: dy = -size * 0.24
        }
        cairo_save(cr)
        cairo_translate(cr, x, y)
        if angle != 0 { cairo_rotate(cr, -angle) }
        setColor(color)
        cairo_move_to(cr, dx, dy)
        cairo_show_text(cr, text)
        cairo_new_path(cr)
        cairo_restore(cr)
    }

    /// Paints an image surface whose pixel (0, 0) is at `origin` and which has `scale` pixels per point.
    func paint(_ surface: OpaquePointer, at origin: Point, scale: Double) {
        cairo_save(cr)
        cairo_translate(cr, origin.x, origin.y)
        cairo_scale(cr, 1 / scale, 1 / scale)
        cairo_set_source_surface(cr, surface, 0, 0)
        cairo_paint(cr)
        cairo_restore(cr)
    }

    /// Draws an RGBA/RGB/grey raster into `rect` (points). `smooth` picks bilinear over nearest.
    func image(_ raster: Raster, in rect: Rect, alpha: Double = 1, smooth: Bool = true) {
        guard raster.width > 0, raster.height > 0 else { return }
        let surface = makeSurface(raster)
        defer { cairo_surface_destroy(surface) }
        cairo_save(cr)
        cairo_rectangle(cr, rect.x, rect.y, rect.width, rect.height)
        cairo_clip(cr)
        cairo_translate(cr, rect.x, rect.y)
        cairo_scale(cr, rect.width / Double(raster.width), rect.height / Double(raster.height))
        cairo_set_source_surface(cr, surface, 0, 0)
        let pattern = cairo_get_source(cr)
        cairo_pattern_set_filter(pattern, smooth ? CAIRO_FILTER_GOOD : CAIRO_FILTER_NEAREST)
        cairo_pattern_set_extend(pattern, CAIRO_EXTEND_PAD)
        cairo_paint_with_alpha(cr, alpha)
        cairo_restore(cr)
    }
}

/// A Cairo ARGB32 (premultiplied) surface holding `raster`.
func makeSurface(_ raster: Raster) -> OpaquePointer {
    let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(raster.width), Int32(raster.height))!
    cairo_surface_flush(surface)
    let stride = Int(cairo_image_surface_get_stride(surface))
    let data = cairo_image_surface_get_data(surface)!
    raster.pixels.withUnsafeBufferPointer { src in
        for y in 0..<raster.height {
            let row = (data + y * stride).withMemoryRebound(to: UInt32.self, capacity: raster.width) { $0 }
            for x in 0..<raster.width {
                let i = (y * raster.width + x) * raster.channels
                var r: UInt32, g: UInt32, b: UInt32, a: UInt32 = 255
                switch raster.channels {
                case 1: r = UInt32(src[i]); g = r; b = r
                case 3: r = UInt32(src[i]); g = UInt32(src[i + 1]); b = UInt32(src[i + 2])
                default:
                    a = UInt32(src[i + 3])
                    r = (UInt32(src[i]) * a + 127) / 255; g = (UInt32(src[i + 1]) * a + 127) / 255
                    b = (UInt32(src[i + 2]) * a + 127) / 255
                }
                row[x] = (a << 24) | (r << 16) | (g << 8) | b
            }
        }
    }
    cairo_surface_mark_dirty(surface)
    return surface
}

extension Color {
    public static let black = Color(red: 0, green: 0, blue: 0)
    public static let white = Color(red: 1, green: 1, blue: 1)
    public static let text = Color(hex: "#262626")!
    static let tickText = Color(hex: "#444444")!
    static let spine = Color(hex: "#4d4d4d")!
    static let grid = Color(hex: "#d9d9d9")!
    static let note = Color(hex: "#8a6d3b")!
}
