extension Axes {
    /// Vertical bars centred at `xs` (matplotlib `bar`). Non-finite heights are skipped.
    ///
    /// - Parameters: `width` in data units (default 0.8), `alpha` (default 1), `edgeColor`, `label`.
    public func bars(_ xs: [Double], _ heights: [Double], width: Double = 0.8, color: Color, alpha: Double = 1,
                     edgeColor: Color? = nil, label: String? = nil) {
        let (fx, fh, dropped) = finitePairs(xs, heights)
        skippedNonFinite += dropped
        add(.bars(BarSeries(xs: fx, heights: fh, bottoms: [Double](repeating: 0, count: fx.count), width: width,
                            color: color, alpha: alpha, edgeColor: edgeColor, label: label)))
    }

    /// Grouped bars (Plotly `barmode='group'`): one bar per series inside each category.
    ///
    /// - Parameters:
    ///   - categories: the groups along x (e.g. Train, Validation, Test).
    ///   - series: one entry per bar colour (e.g. per class): its name, value per category and colour.
    ///   - groupWidth: share of a category slot the group fills (default 0.8).
    public func groupedBars(categories: [String], series: [(name: String, values: [Double], color: Color)],
                            groupWidth: Double = 0.8, alpha: Double = 0.9) {
        xCategories = categories
        let n = Double(max(series.count, 1))
        let w = groupWidth / n
        for (k, s) in series.enumerated() {
            precondition(s.values.count == categories.count,
                         "series '\(s.name)' has \(s.values.count) values for \(categories.count) categories")
            let offset = -groupWidth / 2 + w * (Double(k) + 0.5)
            bars(categories.indices.map { Double($0) + offset }, s.values, width: w, color: s.color, alpha: alpha,
                 label: s.name)
        }
    }
}
