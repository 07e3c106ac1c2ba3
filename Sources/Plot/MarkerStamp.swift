import CCairo
import Foundation

/// Draws many identical round markers on a raster surface by stamping pre-rendered sprites.
///
/// A marker is rendered once by Cairo at 4×4 sub-pixel offsets; each point then copies the sprite
/// nearest its sub-pixel position with premultiplied "over" blending. This is what makes a
/// 17,092-point scatter cheap, and it composites overlapping translucent markers the way
/// matplotlib's Agg does (each marker over the previous ones). Vector output (SVG) draws circles instead.
struct MarkerStamp {
    var diameter: Double
    var fill: Color
    var edge: Color?
    var edgeWidth: Double
    /// Opacity of the whole marker (fill and edge together, as Plotly's `opacity`).
    var alpha: Double
    /// Device pixels per point.
    var scale: Double

    static let subpixels = 4

    /// Sprite side in pixels and the pixel the marker centre sits on at offset (0, 0).
    private var geometry: (side: Int, centre: Int) {
        let r = (diameter / 2 + (edge != nil ? edgeWidth / 2 : 0)) * scale
        let centre = Int(ceil(r)) + 1
        return (2 * centre + 1, centre)
    }

    /// Premultiplied ARGB32 pixels of the 16 sprites, each `side * side`.
    private func sprites() -> [[UInt32]] {
        let (side, centre) = geometry
        var out: [[UInt32]] = []
        for sy in 0..<Self.subpixels {
            for sx in 0..<Self.subpixels {
                let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, Int32(side), Int32(side))!
                let cr = cairo_create(surface)!
                let cx = Double(centre) + Double(sx) / Double(Self.subpixels)
                let cy = Double(centre) + Double(sy) / Double(Self.subpixels)
                cairo_push_group(cr)
                cairo_arc(cr, cx, cy, diameter / 2 * scale, 0, 2 * .pi)
                cairo_set_source_rgba(cr, fill.red, fill.green, fill.blue, fill.alpha)
                if let edge {
                    cairo_fill_preserve(cr)
                    cairo_set_source_rgba(cr, edge.red, edge.green, edge.blue, edge.alpha)
                    cairo_set_line_width(cr, edgeWidth * scale)
                    cairo_stroke(cr)
                } else {
                    cairo_fill(cr)
                }
                cairo_pop_group_to_source(cr)
                cairo_paint_with_alpha(cr, alpha)
                cairo_destroy(cr)
                cairo_surface_flush(surface)
                let stride = Int(cairo_image_surface_get_stride(surface))
                let data = cairo_image_surface_get_data(surface)!
                var pixels = [UInt32](repeating: 0, count: side * side)
                for y in 0..<side {
                    let row = UnsafeRawPointer(data + y * stride).assumingMemoryBound(to: UInt32.self)
                    for x in 0..<side { pixels[y * side + x] = row[x] }
                }
                cairo_surface_destroy(surface)
                out.append(pixels)
            }
        }
        return out
    }

    /// Stamps a marker at every point (figure points) of `c`'s image surface, inside `clip`.
    func stamp(_ points: [Point], on c: Canvas, clip: Rect) {
        guard let surface = c.imageSurface else { return }
        stamp(points, on: surface, origin: Point(x: 0, y: 0), clip: clip)
    }

    /// Stamps on `surface`, whose pixel (0, 0) is figure point `origin`.
    func stamp(_ points: [Point], on surface: OpaquePointer, origin: Point, clip: Rect) {
        guard !points.isEmpty else { return }
        let (side, centre) = geometry
        let sprites = self.sprites()
        cairo_surface_flush(surface)
        let stride = Int(cairo_image_surface_get_stride(surface)) / 4
        let width = Int(cairo_image_surface_get_width(surface)), height = Int(cairo_image_surface_get_height(surface))
        let data = UnsafeMutableRawPointer(cairo_image_surface_get_data(surface)!).assumingMemoryBound(to: UInt32.self)
        // The clip in whole device pixels.
        let cx0 = max(0, Int(((clip.x - origin.x) * scale).rounded())), cy0 = max(0, Int(((clip.y - origin.y) * scale).rounded()))
        let cx1 = min(width, Int(((clip.maxX - origin.x) * scale).rounded()))
        let cy1 = min(height, Int(((clip.maxY - origin.y) * scale).rounded()))
        let n = Double(Self.subpixels)
        for p in points {
            let dx = (p.x - origin.x) * scale, dy = (p.y - origin.y) * scale
            guard dx.isFinite, dy.isFinite, abs(dx) < 1e7, abs(dy) < 1e7 else { continue }
            // Integer pixel plus the nearest quarter-pixel offset.
            let qx = Int((dx * n).rounded()), qy = Int((dy * n).rounded())
            let ix = qx >> 2, iy = qy >> 2
            let sprite = sprites[(qy & 3) * Self.subpixels + (qx & 3)]
            let left = ix - centre, top = iy - centre
            let x0 = max(left, cx0), x1 = min(left + side, cx1)
            let y0 = max(top, cy0), y1 = min(top + side, cy1)
            guard x0 < x1, y0 < y1 else { continue }
            sprite.withUnsafeBufferPointer { s in
                for y in y0..<y1 {
                    let srow = (y - top) * side - left
                    let drow = y * stride
                    for x in x0..<x1 {
                        let src = s[srow + x]
                        let a = src >> 24
                        if a == 0 { continue }
                        if a == 255 { data[drow + x] = src; continue }
                        data[drow + x] = over(src, data[drow + x], 255 - a)
                    }
                }
            }
        }
        cairo_surface_mark_dirty(surface)
    }
}

/// Premultiplied `src over dst`, where `inverse` is 255 − source alpha.
@inline(__always) private func over(_ src: UInt32, _ dst: UInt32, _ inverse: UInt32) -> UInt32 {
    // Two channels at a time in 16-bit lanes: (dst * inverse) / 255 with rounding.
    var rb = (dst & 0x00FF00FF) &* inverse &+ 0x00800080
    rb = ((rb &+ ((rb >> 8) & 0x00FF00FF)) >> 8) & 0x00FF00FF
    var ag = ((dst >> 8) & 0x00FF00FF) &* inverse &+ 0x00800080
    ag = (ag &+ ((ag >> 8) & 0x00FF00FF)) & 0xFF00FF00
    return src &+ (rb | ag)
}
