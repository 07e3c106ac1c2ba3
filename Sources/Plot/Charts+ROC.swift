import Foundation

/// One class's ROC curve: false and true positive rates at each decision threshold.
public struct ROCCurve: Sendable {
    public var name: String
    public var fpr: [Double]
    public var tpr: [Double]
    public var thresholds: [Double]
    public var auc: Double
    public init(name: String, fpr: [Double], tpr: [Double], thresholds: [Double], auc: Double) {
        self.name = name; self.fpr = fpr; self.tpr = tpr; self.thresholds = thresholds; self.auc = auc
    }
}

extension Charts {
    /// "Model Performance Analysis": ROC curves per class with the dashed diagonal and a dotted
    /// micro-average (AUC in the legend) on the left; TPR (solid) and FPR (dashed) against the
    /// decision threshold on the right. Both axes span [0, 1].
    public static func roc(_ curves: [ROCCurve], micro: ROCCurve?, title: String = "Model Performance Analysis",
                           colors: [Color] = Palette.plotly, width: Double = 1100, height: Double = 500) -> Figure {
        let figure = Figure(width: width, height: height, title: title)
        let (left, right) = figure.subplots(rows: 1, columns: 2).pair
        left.line([0, 1], [0, 1], color: .black, width: 1.5, dash: .dashed)
        for (i, c) in curves.enumerated() {
            let color = colors[i % colors.count]
            if c.auc.isFinite {
                left.line(c.fpr, c.tpr, color: color, width: 1.5, label: "\(c.name) (AUC=\(String(format: "%.3f", c.auc)))")
            } else {
                left.line([], [], color: color, label: "\(c.name) (not plotted)")
            }
            right.line(c.thresholds, c.tpr, color: color, width: 1.5)
            right.line(c.thresholds, c.fpr, color: color, width: 1.5, dash: .dashed)
        }
        if let micro {
            left.line(micro.fpr, micro.tpr, color: Color(hex: "#FF6347")!, width: 2, dash: .dotted,
                      label: "Micro-Average (AUC=\(String(format: "%.3f", micro.auc)))")
        }
        left.title = "ROC Curve"
        left.xLabel = "False Positive Rate (FPR)"; left.yLabel = "True Positive Rate (TPR)"
        left.xLimits = -0.02...1.0; left.yLimits = 0...1.05
        left.equalAspect = true
        right.title = "TPR and FPR at every threshold"
        right.xLabel = "Decision Threshold"; right.yLabel = "Rate (TPR / FPR)"
        right.xLimits = -0.02...1.02; right.yLimits = 0...1.05
        var entries = left.legendEntries
        entries.append(LegendEntry(label: "Chance (diagonal)", color: .black, swatch: .line(width: 1.5, dash: .dashed, marker: .none)))
        entries.append(LegendEntry(label: "Right: TPR solid, FPR dashed", color: .clear, swatch: .patch))
        figure.legend = FigureLegend(entries: entries)
        return figure
    }
}
