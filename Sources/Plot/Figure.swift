/// A figure: a grid of axes with an optional suptitle, text box, shared legend and shared colour bar.
///
/// Sizes are in points; PNG output draws 1 pixel per point (`png`) and 2 (`png2x`).
///
/// ```swift
/// let figure = Figure(width: 900, height: 420, title: "Dimensionality Reduction")
/// let (pca, tsne) = figure.subplots(rows: 1, columns: 2).pair
/// pca.scatter(x, y, labels: names)
/// figure.legend = FigureLegend(entries: pca.legendEntries, title: "Label")
/// let rendered = figure.render()
/// ```
public final class Figure {
    public var width: Double
    public var height: Double
    /// The suptitle, centred at the top.
    public var title: String?
    public var titleSize = 15.0
    /// A framed text block at the top left (model details).
    public var textBox: TextBox?
    /// One legend for the whole figure, at the right (Plotly's layout legend).
    public var legend: FigureLegend?
    /// One colour bar for the whole figure, centred below the axes (SHAP plots).
    public var colorBar: ColorBar?
    public var background: Color = .white
    /// Space between grid cells, in points.
    public var horizontalSpacing = 22.0
    public var verticalSpacing = 16.0
    /// Space around the figure, in points.
    public var margin = 8.0

    public private(set) var rows = 1
    public private(set) var columns = 1
    struct Slot { var axes: Axes; var row, column, rowSpan, columnSpan: Int }
    var slots: [Slot] = []

    public init(width: Double, height: Double, title: String? = nil) {
        precondition(width > 0 && height > 0, "a figure needs a positive size, got \(width)x\(height)")
        self.width = width; self.height = height; self.title = title
    }

    /// A `rows × columns` grid of new axes, row by row (matplotlib `plt.subplots`).
    @discardableResult
    public func subplots(rows: Int, columns: Int) -> [Axes] {
        precondition(rows > 0 && columns > 0, "subplots needs at least one row and column")
        self.rows = rows; self.columns = columns
        slots = []
        var out: [Axes] = []
        for r in 0..<rows { for c in 0..<columns { out.append(addAxes(row: r, column: c)) } }
        return out
    }

    /// One axes covering grid cells from `(row, column)` over `rowSpan × columnSpan`; grows the grid if needed.
    @discardableResult
    public func addAxes(row: Int = 0, column: Int = 0, rowSpan: Int = 1, columnSpan: Int = 1) -> Axes {
        let a = Axes()
        rows = max(rows, row + rowSpan); columns = max(columns, column + columnSpan)
        slots.append(Slot(axes: a, row: row, column: column, rowSpan: rowSpan, columnSpan: columnSpan))
        return a
    }

    /// The axes, in the order they were added.
    public var axes: [Axes] { slots.map(\.axes) }
}

/// A legend shared by the whole figure.
public struct FigureLegend: Sendable {
    public var entries: [LegendEntry]
    public var title: String?
    /// Most rows shown; the rest collapse into "+N more".
    public var limit: Int
    public init(entries: [LegendEntry], title: String? = nil, limit: Int = 30) {
        self.entries = entries; self.title = title; self.limit = limit
    }
}

extension Array {
    /// The first two elements, for `let (a, b) = figure.subplots(rows: 1, columns: 2).pair`.
    public var pair: (Element, Element) { (self[0], self[1]) }
}
