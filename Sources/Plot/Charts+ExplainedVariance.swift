extension Charts {
    /// PCA explained variance: individual ratios as bars, the cumulative ratio as a line with
    /// markers, a dashed horizontal line per threshold and a vertical line at the first component
    /// count reaching it, labelled "N comps (95%)".
    ///
    /// - Parameters:
    ///   - ratios: explained variance ratio per component, in order.
    ///   - thresholds: default [0.95, 0.99].
    ///   - featureName: goes into the title.
    /// - Returns: the figure and, per threshold, the component count that reaches it (nil if never).
    public static func explainedVariance(_ ratios: [Double], thresholds: [Double] = [0.95, 0.99],
                                         featureName: String = "Features", width: Double = 1000, height: Double = 460)
        -> (figure: Figure, crossings: [Int?]) {
        let figure = Figure(width: width, height: height)
        let a = figure.addAxes()
        a.title = "Explained Variance by PCA Components (\(featureName))"
        a.xLabel = "Number of Principal Components"
        a.yLabel = "Explained Variance Ratio"
        let xs = ratios.indices.map { Double($0 + 1) }
        var cumulative: [Double] = []
        var sum = 0.0
        for r in ratios { if r.isFinite { sum += r }; cumulative.append(r.isFinite ? sum : .nan) }
        a.bars(xs, ratios, width: 0.8, color: Color(hex: "#add8e6")!, label: "Individual Variance")
        a.line(xs, cumulative, color: Color(hex: "#191970")!, width: 1, marker: .circle, markerSize: 3.5,
               label: "Cumulative Variance")
        let colors = ["#d62728", "#2ca02c", "#ff7f0e", "#9467bd"].map { Color(hex: $0)! }
        var crossings: [Int?] = []
        for (i, t) in thresholds.enumerated() {
            let color = colors[i % colors.count]
            a.referenceLine(.horizontal, at: t, color: color, width: 1.5, label: String(format: "%.0f%% Threshold", t * 100))
            let n = cumulative.firstIndex { $0 >= t }.map { $0 + 1 }
            crossings.append(n)
            if let n {
                a.referenceLine(.vertical, at: Double(n), color: color, width: 1.5)
                let dx: Double = Double(n) > Double(ratios.count) * 0.1 ? -40 : 40
                a.annotate("\(n) comps (\(String(format: "%.0f", t * 100))%)", x: Double(n), y: t,
                           offset: (dx, 30 + Double(i) * 16), color: color)
            }
        }
        a.yLimits = 0...1.05
        a.legend = .best
        return (figure, crossings)
    }
}

import Foundation
