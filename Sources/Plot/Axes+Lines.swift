extension Axes {
    /// A line through `(xs[i], ys[i])`; NaN/infinite points break the line and are counted.
    ///
    /// - Parameters: `width` in points (default 1.5), `dash` (default solid), `marker` (default none)
    ///   of diameter `markerSize` (default 4), `label` for the legend.
    public func line(_ xs: [Double], _ ys: [Double], color: Color, width: Double = 1.5, dash: Dash = .solid,
                     marker: Marker = .none, markerSize: Double = 4, label: String? = nil) {
        precondition(xs.count == ys.count, "line needs as many x as y values, got \(xs.count) and \(ys.count)")
        skippedNonFinite += zip(xs, ys).filter { !$0.isFinite || !$1.isFinite }.count
        add(.line(LineSeries(xs: xs, ys: ys, color: color, width: width, dash: dash, marker: marker,
                             markerSize: markerSize, label: label)))
    }

    /// A line at y = `ys[i]` over x = 1, 2, … (matplotlib's `plot(y)` but counting epochs from 1).
    public func line(_ ys: [Double], color: Color, width: Double = 1.5, dash: Dash = .solid,
                     marker: Marker = .none, markerSize: Double = 4, label: String? = nil) {
        line(ys.indices.map { Double($0 + 1) }, ys, color: color, width: width, dash: dash, marker: marker,
             markerSize: markerSize, label: label)
    }

    /// A horizontal or vertical line across the axes at `value`, with an optional label.
    public func referenceLine(_ orientation: Orientation, at value: Double, color: Color, width: Double = 1.5,
                              dash: Dash = .dashed, label: String? = nil) {
        guard value.isFinite else { skippedNonFinite += 1; return }
        add(.reference(ReferenceLine(orientation: orientation, value: value, color: color, width: width,
                                     dash: dash, label: label)))
    }

    /// Text at data point `(x, y)`, moved by `offset` points, with an arrow back to the point and a box.
    public func annotate(_ text: String, x: Double, y: Double, offset: (dx: Double, dy: Double) = (0, 0),
                         arrow: Bool = true, boxed: Bool = true, color: Color = .text, size: Double = 8) {
        guard x.isFinite, y.isFinite else { skippedNonFinite += 1; return }
        add(.annotation(Annotation(text: text, x: x, y: y, offset: offset, arrow: arrow, boxed: boxed,
                                   color: color, size: size)))
    }
}
