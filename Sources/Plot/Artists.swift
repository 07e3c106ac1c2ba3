/// Marker shapes for lines and scatters.
public enum Marker: Sendable, Equatable { case none, circle }

/// Points drawn as round markers (one class of a scatter plot).
public struct ScatterSeries: Sendable {
    public var xs: [Double]
    public var ys: [Double]
    public var color: Color
    /// Marker diameter in points.
    public var size: Double
    public var alpha: Double
    public var edgeColor: Color?
    public var edgeWidth: Double
    public var label: String?
    /// Name of the transparent layer these points also go to (for toggling on the site).
    public var layer: String?
}

/// A polyline through `(xs[i], ys[i])`, optionally with a marker at every point.
public struct LineSeries: Sendable {
    public var xs: [Double]
    public var ys: [Double]
    public var color: Color
    public var width: Double
    public var dash: Dash
    public var marker: Marker
    public var markerSize: Double
    public var label: String?
}

/// Vertical bars centred at `xs` with the given `heights`, starting at `bottoms` (0 by default).
public struct BarSeries: Sendable {
    public var xs: [Double]
    public var heights: [Double]
    public var bottoms: [Double]
    public var width: Double
    public var color: Color
    public var alpha: Double
    public var edgeColor: Color?
    public var label: String?
}

/// Orientation of a reference line.
public enum Orientation: Sendable { case horizontal, vertical }

/// A line across the whole axes at a data value (matplotlib `axhline`/`axvline`, Plotly `add_hline`).
public struct ReferenceLine: Sendable {
    public var orientation: Orientation
    public var value: Double
    public var color: Color
    public var width: Double
    public var dash: Dash
    /// Drawn at the right end of a horizontal line (below it) or the top of a vertical one.
    public var label: String?
}

/// Text at a data point, optionally offset with an arrow and drawn in a box.
public struct Annotation: Sendable {
    public var text: String
    public var x: Double
    public var y: Double
    /// Offset of the text from the point, in points (y down).
    public var offset: (dx: Double, dy: Double)
    public var arrow: Bool
    public var boxed: Bool
    public var color: Color
    public var size: Double
}

/// A matrix of coloured cells, row 0 at the top, cells centred on integer coordinates.
public struct HeatmapSeries: Sendable {
    /// `rows × columns` values.
    public var values: [[Double]]
    public var colormap: Colormap
    public var minimum: Double
    public var maximum: Double
    /// Write each value in its cell (`"%d"`-style formats via `format`), or nil.
    public var annotation: NumberFormat?
    /// White gap between cells, in points (seaborn's `linewidth`).
    public var gap: Double
}

/// How numbers in cells or labels are written.
public enum NumberFormat: Sendable, Equatable {
    case integer
    case decimals(Int)
    case percent(Int)

    public func string(_ v: Double) -> String {
        guard v.isFinite else { return v.isNaN ? "nan" : (v > 0 ? "inf" : "−inf") }
        switch self {
        case .integer: return String(Int(v.rounded()))
        case .decimals(let d): return String(format: "%.\(d)f", v)
        case .percent(let d): return String(format: "%.\(d)f%%", v * 100)
        }
    }
}

/// A raster drawn over a data rectangle.
public struct ImageSeries: Sendable {
    public var raster: Raster
    /// Data rectangle: x from `x0` to `x1`, y from `y0` (top) to `y1` (bottom) on an inverted axis.
    public var x0, x1, y0, y1: Double
    public var alpha: Double
    /// Bilinear (photos) or nearest (heat maps, pixel-exact inspection).
    public var smooth: Bool
}

/// Everything an axes can hold.
enum Artist: Sendable {
    case scatter(ScatterSeries)
    case line(LineSeries)
    case bars(BarSeries)
    case reference(ReferenceLine)
    case annotation(Annotation)
    case heatmap(HeatmapSeries)
    case image(ImageSeries)

    var layer: String? {
        if case .scatter(let s) = self { return s.layer }
        return nil
    }
}

/// Pairs of finite coordinates, and how many pairs were dropped because a coordinate was NaN or infinite.
func finitePairs(_ xs: [Double], _ ys: [Double]) -> (xs: [Double], ys: [Double], dropped: Int) {
    precondition(xs.count == ys.count, "x and y need the same length, got \(xs.count) and \(ys.count)")
    if xs.allSatisfy(\.isFinite) && ys.allSatisfy(\.isFinite) { return (xs, ys, 0) }
    var fx: [Double] = [], fy: [Double] = []
    fx.reserveCapacity(xs.count); fy.reserveCapacity(ys.count)
    for i in xs.indices where xs[i].isFinite && ys[i].isFinite { fx.append(xs[i]); fy.append(ys[i]) }
    return (fx, fy, xs.count - fx.count)
}
