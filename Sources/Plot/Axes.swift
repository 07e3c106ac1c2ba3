/// Which sides of the plot area get a spine (axis line).
public struct Spines: Sendable, Equatable {
    public var left = true, bottom = true, top = false, right = false
    public init(left: Bool = true, bottom: Bool = true, top: Bool = false, right: Bool = false) {
        self.left = left; self.bottom = bottom; self.top = top; self.right = right
    }
    public static let all = Spines(left: true, bottom: true, top: true, right: true)
    public static let none = Spines(left: false, bottom: false, top: false, right: false)
}

/// Where a legend goes.
public enum LegendPlacement: Sendable, Equatable {
    /// Inside the plot, in the corner or edge covering the fewest data points (matplotlib's "best").
    case best
    case upperRight, upperLeft, lowerLeft, lowerRight
    /// To the right of the plot area, outside it.
    case outsideRight
}

/// A colour scale beside a plot, for heat maps.
public struct ColorBar: Sendable {
    public var colormap: Colormap
    public var minimum: Double
    public var maximum: Double
    public var label: String?
    public var format: TickFormat
    public init(colormap: Colormap, minimum: Double, maximum: Double, label: String? = nil, format: TickFormat = .automatic) {
        self.colormap = colormap; self.minimum = minimum; self.maximum = maximum; self.label = label; self.format = format
    }
}

/// A text box over the top-left corner of the plot area (the study's `plt.text(..., bbox=...)`
/// captions on images).
public struct Caption: Sendable {
    public var text: String
    public var color: Color
    public var size: Double
    public init(_ text: String, color: Color = Color(hex: "#1f3fbf")!, size: Double = 8) {
        self.text = text; self.color = color; self.size = size
    }
}

/// One plot area with its axes, like a matplotlib `Axes` or a Plotly subplot.
///
/// Add data with the chart methods (`scatter`, `line`, `bars`, `groupedBars`, `histogram`,
/// `heatmap`, `image`, `referenceLine`, `annotate`); the axes scale to the data unless `xLimits` /
/// `yLimits` are set. NaN and infinite values are skipped and counted in a note on the figure.
public final class Axes {
    public var title: String?
    public var xLabel: String?
    public var yLabel: String?
    /// Fixed ranges; nil scales to the data with a 5% margin.
    public var xLimits: ClosedRange<Double>?
    public var yLimits: ClosedRange<Double>?
    public var xTickFormat: TickFormat = .automatic
    public var yTickFormat: TickFormat = .automatic
    /// Categorical ticks: label `i` at x = i.
    public var xCategories: [String]?
    /// Categorical ticks: label `i` at y = i.
    public var yCategories: [String]?
    public var grid = true
    public var gridDash: Dash = .solid
    public var spines = Spines()
    /// False hides ticks, spines and grid (images).
    public var showAxis = true
    /// One data unit is as long on x as on y (images, heat maps, ROC).
    public var equalAspect = false
    /// y grows downwards (images, heat maps).
    public var yInverted = false
    public var legend: LegendPlacement?
    public var legendTitle: String?
    /// Most legend rows shown; the rest are summarised as "+N more".
    public var legendLimit = 30
    public var colorBar: ColorBar?
    public var caption: Caption?
    /// Background of the plot area.
    public var background: Color = .white

    var artists: [Artist] = []
    /// Values dropped because they were NaN or infinite.
    public internal(set) var skippedNonFinite = 0

    public init() {}

    /// Adds a raw artist (used by the chart methods).
    func add(_ artist: Artist) { artists.append(artist) }
}
