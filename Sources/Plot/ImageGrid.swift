/// One image of an image grid with its words.
public struct ImageCell: Sendable {
    public var image: Raster
    /// Above the image (matplotlib `set_title`).
    public var title: String?
    /// In a translucent box over the top-left corner (the study's `plt.text(..., bbox=...)`).
    public var caption: Caption?
    /// Rotated, left of the image (a row name such as "Train").
    public var rowLabel: String?
    public init(image: Raster, title: String? = nil, caption: Caption? = nil, rowLabel: String? = nil) {
        self.image = image; self.title = title; self.caption = caption; self.rowLabel = rowLabel
    }
}

/// Figures made of images: samples per class, a query with its nearest neighbours, image / grey / HOG triples.
public enum ImageGrid {
    /// Images row by row in `columns` columns, each cell `cellSize` points wide (height follows the
    /// first image's aspect ratio plus room for titles).
    public static func figure(_ cells: [ImageCell], columns: Int, cellSize: Double = 120, title: String? = nil) -> Figure {
        precondition(columns > 0, "an image grid needs at least one column")
        let rows = max(1, (cells.count + columns - 1) / columns)
        let aspect = cells.first.map { Double($0.image.height) / Double(max($0.image.width, 1)) } ?? 1
        let hasTitles = cells.contains { $0.title != nil }
        let hasRowLabels = cells.contains { $0.rowLabel != nil }
        let titleRoom = hasTitles ? TextSize.title * 1.25 * Double(cells.map { ($0.title ?? "").split(separator: "\n").count }.max() ?? 1) + 8 : 6
        let cellH = cellSize * aspect + titleRoom
        let figure = Figure(width: Double(columns) * cellSize + (hasRowLabels ? 18 : 0) + 16 + Double(columns - 1) * 8,
                            height: Double(rows) * cellH + Double(rows - 1) * 6 + 16 + (title != nil ? 28 : 0), title: title)
        figure.horizontalSpacing = 8
        figure.verticalSpacing = 6
        figure.titleSize = 13
        for (i, cell) in cells.enumerated() {
            let a = figure.addAxes(row: i / columns, column: i % columns)
            a.image(cell.image)
            a.title = cell.title
            a.caption = cell.caption
            a.yLabel = cell.rowLabel
        }
        if cells.isEmpty { figure.addAxes().showAxis = false }
        return figure
    }
}
