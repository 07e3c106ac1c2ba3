import Foundation

/// A linear map from data values to figure points.
struct Scale {
    var lower, upper: Double
    var start, end: Double
    @inline(__always) func callAsFunction(_ v: Double) -> Double {
        start + (v - lower) / (upper - lower) * (end - start)
    }
}

/// Text sizes shared by every figure (points).
enum TextSize {
    static let tick = 9.0
    static let label = 10.0
    static let title = 11.5
    static let note = 7.5
    static let tickLength = 3.5
}

/// Where everything of one axes goes, for one figure size.
struct AxesLayout {
    var plot: Rect
    var x: Scale
    var y: Scale
    var xTicks: [(value: Double, label: String)]
    var yTicks: [(value: Double, label: String)]
    var rotateXLabels: Bool
    var yTickBlockWidth: Double
    var note: String?
    var colorBar: Rect?
    var colorBarTicks: [(value: Double, label: String)]
    var legend: Legend?
    var legendOrigin: Point?
}

extension Axes {
    /// The data rectangle to show: `xLimits`/`yLimits`, else the data's range with a 5% margin
    /// (bars keep their zero baseline, as matplotlib's sticky edges do).
    func ranges() -> (x: ClosedRange<Double>, y: ClosedRange<Double>) {
        var xlo = Double.infinity, xhi = -Double.infinity, ylo = Double.infinity, yhi = -Double.infinity
        var barBaseline = false
        func takeX(_ v: Double) { if v.isFinite { xlo = min(xlo, v); xhi = max(xhi, v) } }
        func takeY(_ v: Double) { if v.isFinite { ylo = min(ylo, v); yhi = max(yhi, v) } }
        for a in artists {
            switch a {
            case .scatter(let s): s.xs.forEach(takeX); s.ys.forEach(takeY)
            case .line(let l): l.xs.forEach(takeX); l.ys.forEach(takeY)
            case .bars(let b):
                for i in b.xs.indices {
                    takeX(b.xs[i] - b.width / 2); takeX(b.xs[i] + b.width / 2)
                    takeY(b.bottoms[i]); takeY(b.bottoms[i] + b.heights[i])
                }
                barBaseline = true
            case .reference(let r): if r.orientation == .horizontal { takeY(r.value) } else { takeX(r.value) }
            case .annotation(let a): takeX(a.x); takeY(a.y)
            case .heatmap(let h):
                takeX(-0.5); takeX(Double(h.values.first?.count ?? 0) - 0.5)
                takeY(-0.5); takeY(Double(h.values.count) - 0.5)
            case .image(let i): takeX(i.x0); takeX(i.x1); takeY(i.y0); takeY(i.y1)
            }
        }
        if let c = xCategories, !c.isEmpty { takeX(-0.5); takeX(Double(c.count) - 0.5) }
        if let c = yCategories, !c.isEmpty { takeY(-0.5); takeY(Double(c.count) - 0.5) }
        let categoricalX = xCategories != nil, categoricalY = yCategories != nil
        let xr = xLimits ?? padded(xlo, xhi, margin: categoricalX ? 0 : 0.05, sticky: false)
        let yr = yLimits ?? padded(ylo, yhi, margin: categoricalY ? 0 : 0.05, sticky: barBaseline && ylo == 0)
        return (xr, yr)
    }

    private func padded(_ lo: Double, _ hi: Double, margin: Double, sticky: Bool) -> ClosedRange<Double> {
        guard lo.isFinite, hi.isFinite else { return 0...1 }   // no data
        if lo == hi {
            // One value (or all equal): centre it in a small range rather than collapsing the axis.
            let d = lo == 0 ? 0.5 : abs(lo) * 0.1
            return (lo - d)...(hi + d)
        }
        let m = (hi - lo) * margin
        return (sticky ? lo : lo - m)...(hi + m)
    }

    func ticks(_ range: ClosedRange<Double>, categories: [String]?, format: TickFormat, target: Int)
        -> [(value: Double, label: String)] {
        if let categories {
            return categories.enumerated().compactMap { i, name in
                range.contains(Double(i)) ? (Double(i), Axes.categoryLabel(name)) : nil
            }
        }
        let values = Ticks.nice(range.lowerBound, range.upperBound, target: target)
        return Array(zip(values, Ticks.labels(values, format: format))).map { ($0.0, $0.1) }
    }

    /// True when some series has a point, bar, cell or image to show.
    var hasData: Bool {
        artists.contains { a in
            switch a {
            case .scatter(let s): return !s.xs.isEmpty
            case .line(let l): return zip(l.xs, l.ys).contains { $0.isFinite && $1.isFinite }
            case .bars(let b): return !b.xs.isEmpty
            case .heatmap(let h): return !h.values.isEmpty
            case .image, .reference, .annotation: return true
            }
        }
    }

    /// Category names longer than 24 characters are cut with an ellipsis so one long class name
    /// cannot squeeze the plot away.
    static func categoryLabel(_ name: String) -> String {
        name.count > 24 ? String(name.prefix(23)) + "…" : name
    }

    /// At most this many tick intervals: matplotlib's `MaxNLocator(nbins="auto")` rule, one per
    /// three (x) or two (y) label heights of axis length, capped at 9.
    func xTickTarget(_ length: Double) -> Int { max(2, min(9, Int(length / (TextSize.tick * 3)))) }
    func yTickTarget(_ length: Double) -> Int { max(2, min(9, Int(length / (TextSize.tick * 2)))) }

    /// Legend rows for the labelled series of this axes.
    public var legendEntries: [LegendEntry] {
        var out: [LegendEntry] = []
        var seen = Set<String>()
        for a in artists {
            let entry: LegendEntry?
            switch a {
            case .scatter(let s): entry = s.label.map { LegendEntry(label: $0, color: s.color, swatch: .marker(diameter: max(s.size, 7)), layer: s.layer) }
            case .line(let l): entry = l.label.map { LegendEntry(label: $0, color: l.color, swatch: .line(width: l.width, dash: l.dash, marker: l.marker)) }
            case .bars(let b): entry = b.label.map { LegendEntry(label: $0, color: b.color.withAlpha(b.color.alpha * b.alpha), swatch: .patch) }
            default: entry = nil
            }
            if let entry, seen.insert(entry.label).inserted { out.append(entry) }
        }
        return out
    }

    /// Places the plot area, ticks, colour bar and legend inside `cell`.
    func layout(in cell: Rect, measurer m: TextMeasurer) -> AxesLayout {
        let (xr, yr) = ranges()
        var note = skippedNonFinite > 0
            ? "\(skippedNonFinite) non-finite value\(skippedNonFinite == 1 ? "" : "s") skipped" : nil
        if !artists.isEmpty && !hasData { note = note.map { "no data; " + $0 } ?? "no data" }
        let legendBox: Legend? = legend.flatMap { _ in
            let e = legendEntries
            return e.isEmpty ? nil : Legend(entries: e, title: legendTitle, limit: legendLimit)
        }
        let lineH = 1.25
        var top = title != nil ? TextSize.title * lineH + 6 : 6
        if note != nil { top += TextSize.note * 1.4 }

        let yTicksGuess = ticks(yr, categories: yCategories, format: yTickFormat,
                                target: yTickTarget(cell.height))
        let yTickWidth = showAxis ? (yTicksGuess.map { m.width($0.label, size: TextSize.tick) }.max() ?? 0) : 0
        var left = showAxis ? yTickWidth + TextSize.tickLength + 4 : 0
        // Images leave their row label to the figure's left gutter, so every image keeps one size.
        if yLabel != nil && showAxis { left += TextSize.label * lineH + 2 }
        left = max(left, showAxis ? 6 : 2)

        var right = showAxis ? 8.0 : 2
        var colorBarTicks: [(Double, String)] = []
        if let bar = colorBar {
            let values = Ticks.nice(bar.minimum, bar.maximum, target: 6)
            colorBarTicks = Array(zip(values, Ticks.labels(values, format: bar.format))).map { ($0.0, $0.1) }
            right += 8 + 12 + TextSize.tickLength + 3 + (colorBarTicks.map { m.width($0.1, size: TextSize.tick) }.max() ?? 0)
            if bar.label != nil { right += TextSize.label * lineH }
        }
        var legendSize: (width: Double, height: Double) = (0, 0)
        if let legendBox { legendSize = legendBox.size(m) }
        if legend == .outsideRight, legendBox != nil { right += 10 + legendSize.width }

        // x tick labels: rotate categorical labels that would overlap.
        let plotWidth0 = max(10, cell.width - left - right)
        var xTicks = ticks(xr, categories: xCategories, format: xTickFormat,
                           target: xTickTarget(plotWidth0))
        let xWidths = xTicks.map { m.width($0.label, size: TextSize.tick) }
        let slot = plotWidth0 / Double(max(xTicks.filter { !$0.label.isEmpty }.count, 1))
        let rotate = xCategories != nil && (xWidths.max() ?? 0) + 4 > slot
        var bottom = 4.0
        if showAxis {
            bottom = TextSize.tickLength + 3 + (rotate ? ((xWidths.max() ?? 0) + TextSize.tick) * 0.7071 : TextSize.tick * 1.2) + 4
        }
        if xLabel != nil { bottom += TextSize.label * lineH + 2 }

        var plot = Rect(x: cell.x + left, y: cell.y + top, width: max(10, cell.width - left - right),
                        height: max(10, cell.height - top - bottom))
        if equalAspect {
            let dx = xr.upperBound - xr.lowerBound, dy = yr.upperBound - yr.lowerBound
            let s = min(plot.width / dx, plot.height / dy)
            let w = dx * s, h = dy * s
            // Centre horizontally in the room left for plot + right decorations, and vertically.
            plot = Rect(x: plot.x + (plot.width - w) / 2, y: plot.y + (plot.height - h) / 2, width: w, height: h)
        }
        if xCategories == nil {
            xTicks = ticks(xr, categories: nil, format: xTickFormat, target: xTickTarget(plot.width))
        }
        let yTicks = ticks(yr, categories: yCategories, format: yTickFormat, target: yTickTarget(plot.height))
        let xs = Scale(lower: xr.lowerBound, upper: xr.upperBound, start: plot.x, end: plot.maxX)
        let ys = yInverted ? Scale(lower: yr.lowerBound, upper: yr.upperBound, start: plot.y, end: plot.maxY)
                           : Scale(lower: yr.lowerBound, upper: yr.upperBound, start: plot.maxY, end: plot.y)

        var barRect: Rect?
        if colorBar != nil { barRect = Rect(x: plot.maxX + 8, y: plot.y, width: 12, height: plot.height) }
        var legendOrigin: Point?
        if legendBox != nil, let placement = legend {
            let (w, h) = legendSize
            let inset = 6.0
            switch placement {
            case .outsideRight:
                legendOrigin = Point(x: (barRect?.maxX ?? plot.maxX) + (barRect == nil ? 10 : 50), y: plot.y)
            case .upperRight: legendOrigin = Point(x: plot.maxX - w - inset, y: plot.y + inset)
            case .upperLeft: legendOrigin = Point(x: plot.x + inset, y: plot.y + inset)
            case .lowerLeft: legendOrigin = Point(x: plot.x + inset, y: plot.maxY - h - inset)
            case .lowerRight: legendOrigin = Point(x: plot.maxX - w - inset, y: plot.maxY - h - inset)
            case .best: legendOrigin = bestLegendOrigin(plot: plot, size: (w, h), x: xs, y: ys)
            }
        }
        return AxesLayout(plot: plot, x: xs, y: ys, xTicks: xTicks, yTicks: yTicks, rotateXLabels: rotate,
                          yTickBlockWidth: yTickWidth + TextSize.tickLength + 4, note: note, colorBar: barRect,
                          colorBarTicks: colorBarTicks, legend: legendBox, legendOrigin: legendOrigin)
    }

    /// The inside position (corners first, then edge centres, as matplotlib's "best") whose box
    /// covers the fewest data points and bars.
    private func bestLegendOrigin(plot: Rect, size: (Double, Double), x: Scale, y: Scale) -> Point {
        let (w, h) = size, inset = 6.0
        let candidates = [
            Point(x: plot.maxX - w - inset, y: plot.y + inset), Point(x: plot.x + inset, y: plot.y + inset),
            Point(x: plot.x + inset, y: plot.maxY - h - inset), Point(x: plot.maxX - w - inset, y: plot.maxY - h - inset),
            Point(x: plot.maxX - w - inset, y: plot.midY - h / 2), Point(x: plot.x + inset, y: plot.midY - h / 2),
            Point(x: plot.midX - w / 2, y: plot.maxY - h - inset), Point(x: plot.midX - w / 2, y: plot.y + inset),
            Point(x: plot.midX - w / 2, y: plot.midY - h / 2),
        ]
        var best = candidates[0], bestCost = Int.max
        for c in candidates {
            let box = Rect(x: c.x, y: c.y, width: w, height: h)
            var cost = 0
            func point(_ px: Double, _ py: Double) {
                if px >= box.x && px <= box.maxX && py >= box.y && py <= box.maxY { cost += 1 }
            }
            for a in artists {
                switch a {
                case .scatter(let s): for i in s.xs.indices { point(x(s.xs[i]), y(s.ys[i])) }
                case .line(let l):
                    for i in l.xs.indices where l.xs[i].isFinite && l.ys[i].isFinite { point(x(l.xs[i]), y(l.ys[i])) }
                    // Segments crossing the box count too: sample each segment.
                    for i in l.xs.indices.dropFirst() where l.xs[i].isFinite && l.ys[i].isFinite && l.xs[i - 1].isFinite && l.ys[i - 1].isFinite {
                        for t in stride(from: 0.125, to: 1, by: 0.125) {
                            point(x(l.xs[i - 1] + (l.xs[i] - l.xs[i - 1]) * t), y(l.ys[i - 1] + (l.ys[i] - l.ys[i - 1]) * t))
                        }
                    }
                case .bars(let b):
                    for i in b.xs.indices {
                        let r = Rect(x: x(b.xs[i] - b.width / 2), y: min(y(b.bottoms[i]), y(b.bottoms[i] + b.heights[i])),
                                     width: abs(x(b.xs[i] + b.width / 2) - x(b.xs[i] - b.width / 2)),
                                     height: abs(y(b.bottoms[i] + b.heights[i]) - y(b.bottoms[i])))
                        if r.intersects(box) { cost += 50 }
                    }
                default: break
                }
            }
            if cost < bestCost { bestCost = cost; best = c }
        }
        return best
    }
}
