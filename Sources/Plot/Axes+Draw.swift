import CCairo
import Foundation

/// What one rendering pass draws.
enum RenderPass: Equatable {
    /// The whole figure.
    case full
    /// Everything except the points that belong to a layer (the background the site stacks layers on).
    case base
    /// Only the points of the layer with this name, on a transparent background.
    case layer(String)

    func draws(_ artist: Artist) -> Bool {
        switch self {
        case .full: return true
        case .base: return artist.layer == nil
        case .layer(let name): return artist.layer == name
        }
    }
    var decorations: Bool { if case .layer = self { return false } else { return true } }
}

extension Axes {
    /// Draws this axes laid out as `l`; returns the legend rows that toggle layers.
    func draw(_ c: Canvas, _ l: AxesLayout, pass: RenderPass) -> [(layer: String, rect: Rect)] {
        let plot = l.plot
        if pass.decorations {
            if background.alpha > 0 { c.fill(plot, background) }
            if grid && showAxis { drawGrid(c, l) }
        }
        c.save()
        c.clip(plot)
        // Big scatters go into SVG as one embedded 2x image (matplotlib's `rasterized=True`):
        // tens of thousands of vector circles would make a file of many megabytes.
        let scatterPoints = artists.reduce(0) { n, a in if case .scatter(let s) = a, pass.draws(a) { return n + s.xs.count }; return n }
        let rasterize = c.isVector && scatterPoints > Axes.vectorScatterLimit
        if rasterize { drawRasterizedScatters(c, l, pass: pass) }
        for a in artists where pass.draws(a) {
            if rasterize, case .scatter = a { continue }
            draw(a, c, l)
        }
        c.restore()
        guard pass.decorations else { return [] }
        if showAxis { drawAxis(c, l) }
        drawLabels(c, l)
        if let bar = colorBar, let rect = l.colorBar { drawColorBar(c, bar, rect, ticks: l.colorBarTicks) }
        if let caption { drawCaption(c, caption, plot) }
        if let legend = l.legend, let origin = l.legendOrigin {
            return legend.draw(c, at: origin, framed: self.legend != .outsideRight)
        }
        return []
    }

    /// Scatters with more points than this are embedded in SVG as an image.
    static let vectorScatterLimit = 3000

    private func drawRasterizedScatters(_ c: Canvas, _ l: AxesLayout, pass: RenderPass) {
        let scale = 2.0
        let w = Int32((l.plot.width * scale).rounded(.up)), h = Int32((l.plot.height * scale).rounded(.up))
        let surface = cairo_image_surface_create(CAIRO_FORMAT_ARGB32, w, h)!
        defer { cairo_surface_destroy(surface) }
        let origin = Point(x: l.plot.x, y: l.plot.y)
        for a in artists where pass.draws(a) {
            guard case .scatter(let s) = a else { continue }
            let points = s.xs.indices.map { Point(x: l.x(s.xs[$0]), y: l.y(s.ys[$0])) }
            MarkerStamp(diameter: s.size, fill: s.color, edge: s.edgeWidth > 0 ? s.edgeColor : nil, edgeWidth: s.edgeWidth,
                        alpha: s.alpha, scale: scale).stamp(points, on: surface, origin: origin, clip: l.plot)
        }
        c.paint(surface, at: origin, scale: scale)
    }

    private func drawGrid(_ c: Canvas, _ l: AxesLayout) {
        let color = Color.grid
        for t in l.xTicks where xCategories == nil {
            let x = l.x(t.value)
            c.line(Point(x: x, y: l.plot.y), Point(x: x, y: l.plot.maxY), color: color, width: 0.6, dash: gridDash, snap: true)
        }
        for t in l.yTicks where yCategories == nil {
            let y = l.y(t.value)
            c.line(Point(x: l.plot.x, y: y), Point(x: l.plot.maxX, y: y), color: color, width: 0.6, dash: gridDash, snap: true)
        }
    }

    private func drawAxis(_ c: Canvas, _ l: AxesLayout) {
        let p = l.plot, w = 0.8
        if spines.left { c.line(Point(x: p.x, y: p.y), Point(x: p.x, y: p.maxY), color: .spine, width: w, snap: true) }
        if spines.right { c.line(Point(x: p.maxX, y: p.y), Point(x: p.maxX, y: p.maxY), color: .spine, width: w, snap: true) }
        if spines.bottom { c.line(Point(x: p.x, y: p.maxY), Point(x: p.maxX, y: p.maxY), color: .spine, width: w, snap: true) }
        if spines.top { c.line(Point(x: p.x, y: p.y), Point(x: p.maxX, y: p.y), color: .spine, width: w, snap: true) }
        let tl = TextSize.tickLength
        for t in l.xTicks where !t.label.isEmpty {
            let x = l.x(t.value)
            c.line(Point(x: x, y: p.maxY), Point(x: x, y: p.maxY + tl), color: .spine, width: w, snap: true)
            if l.rotateXLabels {
                c.text(t.label, x: x + 2, y: p.maxY + tl + 3, size: TextSize.tick, color: .tickText, h: .right, v: .top, angle: .pi / 4)
            } else {
                c.text(t.label, x: x, y: p.maxY + tl + 3, size: TextSize.tick, color: .tickText, h: .center, v: .top)
            }
        }
        for t in l.yTicks where !t.label.isEmpty {
            let y = l.y(t.value)
            c.line(Point(x: p.x - tl, y: y), Point(x: p.x, y: y), color: .spine, width: w, snap: true)
            c.text(t.label, x: p.x - tl - 3, y: y, size: TextSize.tick, color: .tickText, h: .right, v: .center)
        }
    }

    private func drawLabels(_ c: Canvas, _ l: AxesLayout) {
        let p = l.plot
        var top = p.y - 5
        if let note = l.note {
            c.text(note, x: p.maxX, y: top, size: TextSize.note, color: .note, h: .right, v: .bottom)
            top -= TextSize.note * 1.4
        }
        if let title { c.text(title, x: p.midX, y: top, size: TextSize.title, weight: .bold, color: .text, h: .center, v: .bottom) }
        if let xLabel {
            var y = p.maxY + 4
            if showAxis {
                let widest = l.xTicks.map { c.measurer.width($0.label, size: TextSize.tick) }.max() ?? 0
                y += TextSize.tickLength + 3 + (l.rotateXLabels ? (widest + TextSize.tick) * 0.7071 : TextSize.tick * 1.2)
            }
            c.text(xLabel, x: p.midX, y: y, size: TextSize.label, color: .text, h: .center, v: .top)
        }
        if let yLabel {
            let x = p.x - (showAxis ? l.yTickBlockWidth : 0) - 3
            c.text(yLabel, x: x, y: p.midY, size: TextSize.label, color: .text, h: .center, v: .bottom, angle: .pi / 2)
        }
    }

    private func drawColorBar(_ c: Canvas, _ bar: ColorBar, _ rect: Rect, ticks: [(value: Double, label: String)]) {
        let steps = 256
        var values = [Double](repeating: 0, count: steps)
        for k in 0..<steps { values[k] = Double(steps - 1 - k) / Double(steps - 1) }
        let raster = Raster.mapping(values, width: 1, height: steps, colormap: bar.colormap, minimum: 0, maximum: 1)
        c.fill(rect, .white)
        c.image(raster, in: rect, smooth: false)
        c.stroke(rect, Color.spine.withAlpha(0.6), width: 0.5)
        let scale = Scale(lower: bar.minimum, upper: bar.maximum, start: rect.maxY, end: rect.y)
        var widest = 0.0
        for t in ticks where bar.maximum > bar.minimum {
            let y = scale(t.value)
            c.line(Point(x: rect.maxX, y: y), Point(x: rect.maxX + TextSize.tickLength, y: y), color: .spine, width: 0.8, snap: true)
            c.text(t.label, x: rect.maxX + TextSize.tickLength + 3, y: y, size: TextSize.tick, color: .tickText, v: .center)
            widest = max(widest, c.measurer.width(t.label, size: TextSize.tick))
        }
        if let label = bar.label {
            c.text(label, x: rect.maxX + TextSize.tickLength + 6 + widest, y: rect.midY, size: TextSize.label,
                   color: .text, h: .center, v: .top, angle: .pi / 2)
        }
    }

    private func drawCaption(_ c: Canvas, _ caption: Caption, _ plot: Rect) {
        let lines = caption.text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        let lh = caption.size * 1.25
        let w = (lines.map { c.measurer.width($0, size: caption.size) }.max() ?? 0) + 8
        let box = Rect(x: plot.x + 4, y: plot.y + 4, width: min(w, plot.width - 8), height: lh * Double(lines.count) + 5)
        c.roundedRect(box, radius: 3)
        c.fillAndStrokePath(fill: Color.white.withAlpha(0.6), stroke: nil, width: 0)
        c.save()
        c.clip(box)
        for (i, line) in lines.enumerated() {
            c.text(line, x: box.x + 4, y: box.y + 2.5 + lh * Double(i), size: caption.size, color: caption.color, v: .top)
        }
        c.restore()
    }

    private func draw(_ artist: Artist, _ c: Canvas, _ l: AxesLayout) {
        switch artist {
        case .scatter(let s):
            let points = s.xs.indices.map { Point(x: l.x(s.xs[$0]), y: l.y(s.ys[$0])) }
            let edge = s.edgeWidth > 0 ? s.edgeColor : nil
            if c.isVector || c.imageSurface == nil {
                for p in points {
                    c.circle(p, radius: s.size / 2, fill: s.color.withAlpha(s.color.alpha * s.alpha),
                             edge: edge?.withAlpha((edge?.alpha ?? 1) * s.alpha), edgeWidth: s.edgeWidth)
                }
            } else {
                MarkerStamp(diameter: s.size, fill: s.color, edge: edge, edgeWidth: s.edgeWidth, alpha: s.alpha,
                            scale: c.scale).stamp(points, on: c, clip: l.plot)
            }
        case .line(let line):
            let points: [Point?] = line.xs.indices.map { i in
                line.xs[i].isFinite && line.ys[i].isFinite ? Point(x: l.x(line.xs[i]), y: l.y(line.ys[i])) : nil
            }
            c.polyline(points, color: line.color, width: line.width, dash: line.dash)
            if line.marker == .circle {
                for p in points.compactMap({ $0 }) { c.circle(p, radius: line.markerSize / 2, fill: line.color) }
            }
        case .bars(let b):
            for i in b.xs.indices {
                let x0 = l.x(b.xs[i] - b.width / 2), x1 = l.x(b.xs[i] + b.width / 2)
                let y0 = l.y(b.bottoms[i]), y1 = l.y(b.bottoms[i] + b.heights[i])
                let r = Rect(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0))
                c.fill(r, b.color.withAlpha(b.color.alpha * b.alpha))
                if let e = b.edgeColor { c.stroke(r, e, width: 0.6) }
            }
        case .reference(let r):
            switch r.orientation {
            case .horizontal:
                let y = l.y(r.value)
                c.line(Point(x: l.plot.x, y: y), Point(x: l.plot.maxX, y: y), color: r.color, width: r.width, dash: r.dash)
                if let label = r.label {
                    c.text(label, x: l.plot.maxX - 4, y: y + 3, size: 8, color: r.color, h: .right, v: .top)
                }
            case .vertical:
                let x = l.x(r.value)
                c.line(Point(x: x, y: l.plot.y), Point(x: x, y: l.plot.maxY), color: r.color, width: r.width, dash: r.dash)
                if let label = r.label {
                    c.text(label, x: x + 3, y: l.plot.y + 3, size: 8, color: r.color, v: .top)
                }
            }
        case .annotation(let a): drawAnnotation(a, c, l)
        case .heatmap(let h): drawHeatmap(h, c, l)
        case .image(let i):
            let x0 = l.x(i.x0), x1 = l.x(i.x1), y0 = l.y(i.y0), y1 = l.y(i.y1)
            c.image(i.raster, in: Rect(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0)),
                    alpha: i.alpha, smooth: i.smooth)
        }
    }

    private func drawAnnotation(_ a: Annotation, _ c: Canvas, _ l: AxesLayout) {
        let p = Point(x: l.x(a.x), y: l.y(a.y))
        let q = Point(x: p.x + a.offset.dx, y: p.y + a.offset.dy)
        let w = c.measurer.width(a.text, size: a.size) + 8, h = a.size * 1.2 + 6
        let box = Rect(x: q.x - w / 2, y: q.y - h / 2, width: w, height: h)
        if a.arrow && (a.offset.dx != 0 || a.offset.dy != 0) {
            // Arrow from the text centre to the point; the box drawn next hides the part inside it.
            let dx = p.x - q.x, dy = p.y - q.y, len = (dx * dx + dy * dy).squareRoot()
            let ux = dx / len, uy = dy / len
            c.line(q, Point(x: p.x - ux * 3, y: p.y - uy * 3), color: a.color, width: 0.8)
            let head = 5.0
            cairo_move_to(c.cr, p.x, p.y)
            cairo_line_to(c.cr, p.x - ux * head - uy * head * 0.45, p.y - uy * head + ux * head * 0.45)
            cairo_line_to(c.cr, p.x - ux * head + uy * head * 0.45, p.y - uy * head - ux * head * 0.45)
            cairo_close_path(c.cr)
            c.fillAndStrokePath(fill: a.color, stroke: nil, width: 0)
        }
        if a.boxed {
            c.roundedRect(box, radius: 2)
            c.fillAndStrokePath(fill: Color.white.withAlpha(0.9), stroke: Color(hex: "#c7c7c7")!, width: 1)
        }
        c.text(a.text, x: q.x, y: q.y, size: a.size, color: a.color, h: .center, v: .center)
    }

    private func drawHeatmap(_ h: HeatmapSeries, _ c: Canvas, _ l: AxesLayout) {
        let rows = h.values.count, columns = h.values.first?.count ?? 0
        guard rows > 0, columns > 0 else { return }
        let cellH = abs(l.y(1) - l.y(0)), cellW = abs(l.x(1) - l.x(0))
        if h.gap <= 0 {
            // Touching cells as one nearest-neighbour image: separate rectangles would leave faint
            // anti-aliased seams between them.
            let raster = Raster.mapping(h.values.flatMap { $0 }, width: columns, height: rows, colormap: h.colormap,
                                        minimum: h.minimum, maximum: h.maximum)
            let x0 = l.x(-0.5), x1 = l.x(Double(columns) - 0.5), y0 = l.y(-0.5), y1 = l.y(Double(rows) - 0.5)
            c.image(raster, in: Rect(x: min(x0, x1), y: min(y0, y1), width: abs(x1 - x0), height: abs(y1 - y0)), smooth: false)
        }
        let fontSize = min(10, max(5, min(cellH * 0.38, cellW / 3.2)))
        for r in 0..<rows {
            for k in 0..<columns {
                let v = h.values[r][k]
                let x0 = l.x(Double(k) - 0.5), y0 = l.y(Double(r) - 0.5)
                let cell = Rect(x: x0 + h.gap / 2, y: min(y0, l.y(Double(r) + 0.5)) + h.gap / 2,
                                width: cellW - h.gap, height: cellH - h.gap)
                guard v.isFinite else { continue }
                let color = h.colormap.color(v, minimum: h.minimum, maximum: h.maximum)
                if h.gap > 0 { c.fill(cell, color) }
                if let format = h.annotation {
                    // Light text on dark cells, as seaborn picks by luminance.
                    let lum = 0.2126 * color.red + 0.7152 * color.green + 0.0722 * color.blue
                    c.text(format.string(v), x: cell.midX, y: cell.midY, size: fontSize,
                           color: lum < 0.408 ? .white : .text, h: .center, v: .center)
                }
            }
        }
    }
}
