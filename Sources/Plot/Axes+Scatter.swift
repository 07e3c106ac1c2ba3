extension Axes {
    /// Round markers at `(xs[i], ys[i])` (matplotlib `scatter`, Plotly `mode='markers'`).
    ///
    /// - Parameters:
    ///   - size: marker diameter in points (default 6).
    ///   - alpha: opacity of each marker (default 0.7, as the study's plots); overlapping markers darken.
    ///   - edgeColor, edgeWidth: outline (Plotly's `DarkSlateGrey` 0.7 in the study; default none).
    ///   - label: legend text.
    ///   - layer: also draw these points on their own transparent layer with this name.
    public func scatter(_ xs: [Double], _ ys: [Double], color: Color, size: Double = 6, alpha: Double = 0.7,
                        edgeColor: Color? = nil, edgeWidth: Double = 0, label: String? = nil, layer: String? = nil) {
        let (fx, fy, dropped) = finitePairs(xs, ys)
        skippedNonFinite += dropped
        add(.scatter(ScatterSeries(xs: fx, ys: fy, color: color, size: size, alpha: alpha, edgeColor: edgeColor,
                                   edgeWidth: edgeWidth, label: label, layer: layer)))
    }

    /// One scatter series per class: points whose `labels[i]` is a class take its palette colour,
    /// classes appear in the legend in order of `classes` (default: first appearance), and each class
    /// goes to its own layer named after it (unless `layers` is false).
    public func scatter(_ xs: [Double], _ ys: [Double], labels: [String], classes: [String]? = nil,
                        palette: ClassPalette, size: Double = 6, alpha: Double = 0.7,
                        edgeColor: Color? = nil, edgeWidth: Double = 0, showInLegend: Bool = true,
                        layers: Bool = true) {
        precondition(xs.count == labels.count && ys.count == labels.count,
                     "scatter needs one label per point: \(xs.count) x, \(ys.count) y, \(labels.count) labels")
        var order = classes ?? []
        var index: [String: Int] = Dictionary(uniqueKeysWithValues: order.enumerated().map { ($1, $0) })
        var groups = [[Int]](repeating: [], count: order.count)
        for (i, l) in labels.enumerated() {
            if let k = index[l] { groups[k].append(i) } else {
                index[l] = order.count; order.append(l); groups.append([i])
            }
        }
        let colors = palette.colors(for: order)
        for (k, name) in order.enumerated() {
            let members = groups[k]
            scatter(members.map { xs[$0] }, members.map { ys[$0] }, color: colors[k], size: size, alpha: alpha,
                    edgeColor: edgeColor, edgeWidth: edgeWidth, label: showInLegend ? name : nil, layer: layers ? name : nil)
        }
    }
}
