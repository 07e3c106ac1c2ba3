import Foundation

/// A figure as the report shows it: the rendered bytes from Plot plus a caption and alt text.
///
/// The byte fields mirror Plot's `RenderedFigure`: `png` at 1x, `png2x` at 2x (for sharp
/// screens, and what click-to-zoom opens), `svg`, and the size in points.
///
/// Scatter plots with one layer per class carry `layers` so that the page can toggle classes from
/// the legend. Contract: each layer is a transparent image of the same pixel size as `png`, holding
/// only that class's marks; `basePNG`/`basePNG2x` hold the figure without any layered marks. With
/// both present the page stacks base + layers and shows toggle buttons; otherwise it shows `png`.
/// `png`/`png2x`/`svg` always hold the complete figure (every class shown), which the notebook uses.
public struct FigureOutput: Codable, Sendable, Equatable {
    public var png: Data
    public var png2x: Data
    public var svg: Data
    /// Width and height in points (CSS pixels).
    public var width: Double
    public var height: Double
    public var layers: [FigureOutputLayer]
    public var basePNG: Data?
    public var basePNG2x: Data?
    /// One or two sentences under the figure, written from this run's numbers.
    public var caption: String
    /// What the figure shows, for readers who cannot see it.
    public var altText: String

    public init(png: Data, png2x: Data, svg: Data, width: Double, height: Double,
                layers: [FigureOutputLayer] = [], basePNG: Data? = nil, basePNG2x: Data? = nil,
                caption: String, altText: String) {
        self.png = png; self.png2x = png2x; self.svg = svg
        self.width = width; self.height = height
        self.layers = layers; self.basePNG = basePNG; self.basePNG2x = basePNG2x
        self.caption = caption; self.altText = altText
    }

    /// Whether the page can toggle layers (both the layers and the base image are present).
    public var isToggleable: Bool { !layers.isEmpty && basePNG != nil }
}

/// One toggleable layer of a figure (for a scatter plot, one class's points).
/// (Named apart from Plot's `FigureLayer` so that modules importing both need no qualification.)
public struct FigureOutputLayer: Codable, Sendable, Equatable {
    /// The legend label (a class name); shown escaped.
    public var name: String
    public var png: Data
    public var png2x: Data
    /// The layer's colour as CSS hex (`#1f77b4`) for the legend button's swatch; nil for none.
    public var color: String?

    public init(name: String, png: Data, png2x: Data, color: String? = nil) {
        self.name = name; self.png = png; self.png2x = png2x; self.color = color
    }
}
