import Foundation

/// One confidence bin of a reliability diagram: its range, how many images fell in it, and their
/// mean confidence and accuracy (NaN when empty).
public struct ReliabilityBin: Sendable {
    public var lower: Double, upper: Double
    public var count: Int
    public var meanConfidence: Double, accuracy: Double
    public init(lower: Double, upper: Double, count: Int, meanConfidence: Double, accuracy: Double) {
        self.lower = lower; self.upper = upper; self.count = count
        self.meanConfidence = meanConfidence; self.accuracy = accuracy
    }
}

extension Charts {
    /// A reliability diagram (Guo et al., 2017): on the left, each confidence bin's accuracy as a bar
    /// with its mean confidence as a red mark and the diagonal a perfectly calibrated model would
    /// follow; on the right, how many test images fall in each bin. Empty bins draw nothing.
    public static func reliability(_ bins: [ReliabilityBin], expectedError: Double, title: String,
                                   width: Double = 980, height: Double = 430) -> Figure {
        let figure = Figure(width: width, height: height, title: title)
        let (diagram, counts) = figure.subplots(rows: 1, columns: 2).pair
        let filled = bins.filter { $0.count > 0 }
        let centres = filled.map { ($0.lower + $0.upper) / 2 }
        let binWidth = bins.first.map { $0.upper - $0.lower } ?? 1
        let accuracyColor = Color(hex: "#4B0082")!, gapColor = Color(hex: "#FF6347")!
        diagram.line([0, 1], [0, 1], color: .black, width: 1.2, dash: .dashed, label: "Perfect calibration")
        diagram.bars(centres, filled.map(\.accuracy), width: binWidth * 0.92, color: accuracyColor, alpha: 0.8,
                     edgeColor: .white, label: "Accuracy in the bin")
        diagram.scatter(centres, filled.map(\.meanConfidence), color: gapColor, size: 7, alpha: 1)
        for (x, bin) in zip(centres, filled) {
            diagram.line([x, x], [bin.accuracy, bin.meanConfidence], color: gapColor, width: 2)
        }
        diagram.line([], [], color: gapColor, width: 2, marker: .circle, label: "Mean confidence (gap in red)")
        diagram.xLimits = 0...1; diagram.yLimits = 0...1.02
        diagram.xLabel = "Confidence (largest class probability)"; diagram.yLabel = "Accuracy"
        diagram.title = expectedError.isFinite ? "Reliability (ECE \(String(format: "%.4f", expectedError)))" : "Reliability"
        diagram.legend = .upperLeft
        counts.bars(bins.map { ($0.lower + $0.upper) / 2 }, bins.map { Double($0.count) }, width: binWidth * 0.92,
                    color: Color(hex: "#9E9E9E")!)
        counts.xLimits = 0...1
        counts.xLabel = "Confidence (largest class probability)"; counts.yLabel = "Test images"
        counts.title = "Images per confidence bin"
        return figure
    }

    /// Vertical error bars from `low[i]` to `high[i]` at `xs[i]`, with caps `capWidth` data units
    /// wide; pairs that are not finite are skipped.
    public static func errorBars(on axes: Axes, xs: [Double], low: [Double], high: [Double], capWidth: Double = 0.08,
                                 color: Color = .black, width: Double = 1.4) {
        for (x, (l, h)) in zip(xs, zip(low, high)) where x.isFinite && l.isFinite && h.isFinite {
            axes.line([x, x], [l, h], color: color, width: width)
            axes.line([x - capWidth / 2, x + capWidth / 2], [l, l], color: color, width: width)
            axes.line([x - capWidth / 2, x + capWidth / 2], [h, h], color: color, width: width)
        }
    }
}
