import Foundation

extension Axes {
    /// A histogram of `values` in `bins` equal bins between the smallest and largest finite value
    /// (numpy's `histogram` edges: the last bin includes its right edge). Non-finite values are
    /// skipped and counted. Returns the bin edges and counts.
    @discardableResult
    public func histogram(_ values: [Double], bins: Int = 10, color: Color = Palette.tab10[0], alpha: Double = 1,
                          label: String? = nil) -> (edges: [Double], counts: [Double]) {
        precondition(bins > 0, "histogram needs at least one bin")
        let finite = values.filter(\.isFinite)
        skippedNonFinite += values.count - finite.count
        guard var lo = finite.min(), var hi = finite.max() else { return ([], []) }
        if lo == hi { lo -= 0.5; hi += 0.5 }   // numpy does the same for a constant sample
        let step = (hi - lo) / Double(bins)
        let edges = (0...bins).map { lo + step * Double($0) }
        var counts = [Double](repeating: 0, count: bins)
        for v in finite { counts[min(bins - 1, Int((v - lo) / step))] += 1 }
        add(.bars(BarSeries(xs: (0..<bins).map { lo + step * (Double($0) + 0.5) }, heights: counts,
                            bottoms: [Double](repeating: 0, count: bins), width: step, color: color, alpha: alpha,
                            edgeColor: .white, label: label)))
        return (edges, counts)
    }
}
