/// What a legend row shows before its text.
public enum LegendSwatch: Sendable, Equatable {
    case marker(diameter: Double)
    case line(width: Double, dash: Dash, marker: Marker)
    case patch
}

/// One legend row.
public struct LegendEntry: Sendable, Equatable {
    public var label: String
    public var color: Color
    public var swatch: LegendSwatch
    /// The figure layer this entry toggles, when there is one.
    public var layer: String?
    public init(label: String, color: Color, swatch: LegendSwatch, layer: String? = nil) {
        self.label = label; self.color = color; self.swatch = swatch; self.layer = layer
    }
}

/// A legend box: a title and rows of swatch + label. Labels longer than `maxLabelWidth` are cut
/// with an ellipsis; beyond `limit` rows the rest collapse into one "+N more" row.
struct Legend {
    var entries: [LegendEntry]
    var title: String?
    var limit: Int = 30
    var fontSize: Double = 9
    var maxLabelWidth: Double = 170

    static let padding = 6.0
    static let swatchWidth = 20.0
    static let swatchGap = 6.0
    var rowHeight: Double { fontSize * 1.55 }

    /// The rows actually drawn (labels already shortened).
    func rows(_ m: TextMeasurer) -> [LegendEntry] {
        var shown = entries.count > limit ? Array(entries.prefix(max(limit - 1, 0))) : entries
        for i in shown.indices {
            shown[i].label = m.truncate(shown[i].label, size: fontSize, maxWidth: maxLabelWidth)
        }
        if entries.count > limit {
            shown.append(LegendEntry(label: "+\(entries.count - shown.count) more", color: .clear, swatch: .patch))
        }
        return shown
    }

    func size(_ m: TextMeasurer) -> (width: Double, height: Double) {
        let shown = rows(m)
        guard !shown.isEmpty else { return (0, 0) }
        var width = shown.map { Legend.swatchWidth + Legend.swatchGap + m.width($0.label, size: fontSize) }.max() ?? 0
        var height = Double(shown.count) * rowHeight
        if let title {
            width = max(width, m.width(title, size: fontSize, weight: .bold))
            height += rowHeight
        }
        return (width + 2 * Legend.padding, height + 2 * Legend.padding - (rowHeight - fontSize * 1.2))
    }

    /// Draws the legend with its top-left corner at `origin`; returns the rectangle of each row
    /// that names a layer (for the site's legend toggles).
    @discardableResult
    func draw(_ c: Canvas, at origin: Point, framed: Bool) -> [(layer: String, rect: Rect)] {
        let shown = rows(c.measurer)
        guard !shown.isEmpty else { return [] }
        let (w, h) = size(c.measurer)
        let box = Rect(x: origin.x, y: origin.y, width: w, height: h)
        if framed {
            c.roundedRect(box, radius: 3)
            c.fillAndStrokePath(fill: Color.white.withAlpha(0.85), stroke: Color(hex: "#cccccc")!, width: 0.8)
        }
        var y = origin.y + Legend.padding + fontSize * 0.6
        if let title {
            c.text(title, x: origin.x + Legend.padding, y: y, size: fontSize, weight: .bold, color: .text, v: .center)
            y += rowHeight
        }
        var hits: [(String, Rect)] = []
        for e in shown {
            let sx = origin.x + Legend.padding
            switch e.swatch {
            case .marker(let d):
                c.circle(Point(x: sx + Legend.swatchWidth / 2, y: y), radius: min(d, 9) / 2 + 0.5, fill: e.color)
            case .line(let width, let dash, let marker):
                c.line(Point(x: sx, y: y), Point(x: sx + Legend.swatchWidth, y: y), color: e.color, width: width, dash: dash)
                if marker == .circle { c.circle(Point(x: sx + Legend.swatchWidth / 2, y: y), radius: 2.5, fill: e.color) }
            case .patch:
                if e.color.alpha > 0 {
                    c.fill(Rect(x: sx + 3, y: y - fontSize * 0.45, width: Legend.swatchWidth - 6, height: fontSize * 0.9), e.color)
                }
            }
            c.text(e.label, x: sx + Legend.swatchWidth + Legend.swatchGap, y: y, size: fontSize,
                   color: e.color.alpha > 0 ? .text : .tickText, v: .center)
            if let layer = e.layer {
                hits.append((layer, Rect(x: origin.x, y: y - rowHeight / 2, width: w, height: rowHeight)))
            }
            y += rowHeight
        }
        return hits
    }
}

extension Color {
    public static let clear = Color(red: 0, green: 0, blue: 0, alpha: 0)
}

