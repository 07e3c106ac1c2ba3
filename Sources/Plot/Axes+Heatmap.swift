extension Axes {
    /// An annotated heat map (seaborn `heatmap`): row 0 at the top, optional numbers in the cells,
    /// a colour bar at the right, `rowLabels` on y and `columnLabels` on x.
    ///
    /// - Parameters:
    ///   - minimum, maximum: colour range (default: the finite values' range).
    ///   - annotation: how to write each cell's value (default integers; nil for none).
    ///   - gap: white space between cells in points (default 0.3, the study's `linewidth`).
    public func heatmap(_ values: [[Double]], rowLabels: [String]? = nil, columnLabels: [String]? = nil,
                        colormap: Colormap = .rdPu, minimum: Double? = nil, maximum: Double? = nil,
                        annotation: NumberFormat? = .integer, gap: Double = 0.3, colorBar showBar: Bool = true) {
        let flat = values.flatMap { $0 }
        let finite = flat.filter(\.isFinite)
        skippedNonFinite += flat.count - finite.count
        let lo = minimum ?? finite.min() ?? 0, hi = maximum ?? finite.max() ?? 1
        let rows = values.count, columns = values.first?.count ?? 0
        precondition(values.allSatisfy { $0.count == columns }, "heatmap rows must all have \(columns) values")
        add(.heatmap(HeatmapSeries(values: values, colormap: colormap, minimum: lo, maximum: hi,
                                   annotation: annotation, gap: gap)))
        xCategories = columnLabels ?? (0..<columns).map(String.init)
        yCategories = rowLabels ?? (0..<rows).map(String.init)
        xLimits = -0.5...(Double(columns) - 0.5)
        yLimits = -0.5...(Double(rows) - 0.5)
        yInverted = true
        equalAspect = true
        grid = false
        spines = .none
        if showBar { colorBar = ColorBar(colormap: colormap, minimum: lo, maximum: hi) }
    }

    /// An image filling the axes (matplotlib `imshow` with the axis off): pixel (0, 0) at the top left.
    public func image(_ raster: Raster, alpha: Double = 1, smooth: Bool = true) {
        add(.image(ImageSeries(raster: raster, x0: 0, x1: Double(raster.width), y0: 0, y1: Double(raster.height),
                               alpha: alpha, smooth: smooth)))
        xLimits = 0...Double(max(raster.width, 1))
        yLimits = 0...Double(max(raster.height, 1))
        yInverted = true
        equalAspect = true
        showAxis = false
    }

    /// A signed value map over the same pixel grid as `image` (SHAP heat map), drawn with a
    /// colormap between `minimum` and `maximum`, nearest-neighbour so pixels stay visible.
    public func valueMap(_ values: [Double], width: Int, height: Int, colormap: Colormap,
                         minimum: Double, maximum: Double, alpha: Double = 1) {
        skippedNonFinite += values.filter { !$0.isFinite }.count
        let raster = Raster.mapping(values, width: width, height: height, colormap: colormap,
                                    minimum: minimum, maximum: maximum)
        add(.image(ImageSeries(raster: raster, x0: 0, x1: Double(width), y0: 0, y1: Double(height),
                               alpha: alpha, smooth: false)))
        if xLimits == nil { xLimits = 0...Double(max(width, 1)) }
        if yLimits == nil { yLimits = 0...Double(max(height, 1)) }
        yInverted = true
        equalAspect = true
        showAxis = false
    }
}
