extension Charts {
    /// "Label Counts and Proportions Across Splits": grouped bars of counts (left) and of each
    /// split's proportions (right, percent axis), one colour per class, one shared legend.
    ///
    /// - Parameters:
    ///   - splits: e.g. ["Train", "Validation", "Test"].
    ///   - classes: class names, in legend order.
    ///   - counts: `counts[s][k]` = images of class `k` in split `s`.
    ///   - colors: bar colours per class (default the study's `color_map` sequence).
    public static func splitBars(splits: [String], classes: [String], counts: [[Double]],
                                 colors: [Color] = Palette.splits, width: Double = 1000, height: Double = 460) -> Figure {
        precondition(counts.count == splits.count, "counts needs one row per split")
        let figure = Figure(width: width, height: height, title: "Label Counts and Proportions Across Splits")
        let (left, right) = figure.subplots(rows: 1, columns: 2).pair
        let proportions = counts.map { row -> [Double] in
            let total = row.reduce(0, +)
            return row.map { total > 0 ? $0 / total : 0 }
        }
        func series(_ table: [[Double]]) -> [(name: String, values: [Double], color: Color)] {
            classes.enumerated().map { k, name in (name, table.map { $0[k] }, colors[k % colors.count]) }
        }
        left.groupedBars(categories: splits, series: series(counts))
        left.title = "Label Counts Across Splits"; left.xLabel = "Dataset Split"; left.yLabel = "Count"
        left.yTickFormat = .integer
        right.groupedBars(categories: splits, series: series(proportions))
        right.title = "Label Proportions Across Splits"; right.xLabel = "Dataset Split"; right.yLabel = "Proportion"
        right.yTickFormat = .percent(decimals: 0)
        figure.legend = FigureLegend(entries: left.legendEntries, title: "label")
        return figure
    }
}
