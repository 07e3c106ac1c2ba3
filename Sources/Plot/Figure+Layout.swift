/// Where every part of a figure goes.
struct FigureLayout {
    var titleOrigin: Point?
    var textBoxOrigin: Point?
    var legend: Legend?
    var legendOrigin: Point?
    var colorBar: Rect?
    var axes: [AxesLayout]
}

extension Figure {
    func layout(_ m: TextMeasurer) -> FigureLayout {
        var top = margin, right = width - margin, bottom = height - margin
        var left = margin
        // Row labels of images (axes without ticks) go in a gutter at the figure's left.
        if slots.contains(where: { !$0.axes.showAxis && $0.axes.yLabel != nil }) { left += TextSize.label * 1.25 + 4 }
        var titleOrigin: Point?, boxOrigin: Point?
        var band = 0.0
        if let textBox {
            boxOrigin = Point(x: margin, y: margin)
            band = max(band, textBox.size(m).height + 8)
        }
        if let title {
            var x = width / 2
            let w = m.width(title, size: titleSize, weight: .bold)
            if let textBox, let o = boxOrigin {
                // Keep the title clear of the text box: move it right if the box reaches under it.
                let boxRight = o.x + textBox.size(m).width + 12
                if x - w / 2 < boxRight { x = min(boxRight + w / 2, width - margin - w / 2) }
            }
            titleOrigin = Point(x: x, y: margin + titleSize * 0.1)
            band = max(band, titleSize * 1.35 + 8)
        }
        top += band

        var legendBox: Legend?, legendOrigin: Point?
        if let legend, !legend.entries.isEmpty {
            let box = Legend(entries: legend.entries, title: legend.title, limit: legend.limit, fontSize: 9)
            let size = box.size(m)
            legendBox = box
            right -= size.width + 8
            legendOrigin = Point(x: right + 8, y: top + 18)
        }
        var barRect: Rect?
        if colorBar != nil {
            let w = min(360, (right - left) * 0.6)
            bottom -= 46
            barRect = Rect(x: left + (right - left - w) / 2, y: bottom + 14, width: w, height: 10)
        }

        let gridW = right - left, gridH = bottom - top
        let cellW = (gridW - horizontalSpacing * Double(columns - 1)) / Double(columns)
        let cellH = (gridH - verticalSpacing * Double(rows - 1)) / Double(rows)
        let layouts = slots.map { s -> AxesLayout in
            let cell = Rect(x: left + Double(s.column) * (cellW + horizontalSpacing),
                            y: top + Double(s.row) * (cellH + verticalSpacing),
                            width: cellW * Double(s.columnSpan) + horizontalSpacing * Double(s.columnSpan - 1),
                            height: cellH * Double(s.rowSpan) + verticalSpacing * Double(s.rowSpan - 1))
            return s.axes.layout(in: cell, measurer: m)
        }
        return FigureLayout(titleOrigin: titleOrigin, textBoxOrigin: boxOrigin, legend: legendBox,
                            legendOrigin: legendOrigin, colorBar: barRect, axes: layouts)
    }

    /// Draws the figure on `c` for `pass`; returns the legend rows that toggle layers.
    @discardableResult
    func draw(_ c: Canvas, pass: RenderPass) -> [(layer: String, rect: Rect)] {
        let l = layout(c.measurer)
        var hits: [(String, Rect)] = []
        if pass.decorations && background.alpha > 0 { c.fill(Rect(x: 0, y: 0, width: width, height: height), background) }
        for (slot, al) in zip(slots, l.axes) { hits += slot.axes.draw(c, al, pass: pass) }
        guard pass.decorations else { return [] }
        if let title, let o = l.titleOrigin {
            c.text(title, x: o.x, y: o.y, size: titleSize, weight: .bold, color: Color(hex: "#333333")!, h: .center, v: .top)
        }
        if let textBox, let o = l.textBoxOrigin { textBox.draw(c, at: o) }
        if let legend = l.legend, let o = l.legendOrigin { hits += legend.draw(c, at: o, framed: false) }
        if let bar = colorBar, let rect = l.colorBar { drawHorizontalColorBar(c, bar, rect) }
        return hits
    }

    private func drawHorizontalColorBar(_ c: Canvas, _ bar: ColorBar, _ rect: Rect) {
        let steps = 256
        let values = (0..<steps).map { Double($0) / Double(steps - 1) }
        let raster = Raster.mapping(values, width: steps, height: 1, colormap: bar.colormap, minimum: 0, maximum: 1)
        c.fill(rect, .white)
        c.image(raster, in: rect, smooth: false)
        c.stroke(rect, Color.spine.withAlpha(0.6), width: 0.5)
        let scale = Scale(lower: bar.minimum, upper: bar.maximum, start: rect.x, end: rect.maxX)
        let values2 = Ticks.nice(bar.minimum, bar.maximum, target: 5)
        for (v, label) in zip(values2, Ticks.labels(values2, format: bar.format)) where bar.maximum > bar.minimum {
            let x = scale(v)
            c.line(Point(x: x, y: rect.maxY), Point(x: x, y: rect.maxY + TextSize.tickLength), color: .spine, width: 0.8, snap: true)
            c.text(label, x: x, y: rect.maxY + TextSize.tickLength + 2, size: TextSize.tick, color: .tickText, h: .center, v: .top)
        }
        if let label = bar.label {
            c.text(label, x: rect.midX, y: rect.y - 3, size: TextSize.label, color: .text, h: .center, v: .bottom)
        }
    }
}
