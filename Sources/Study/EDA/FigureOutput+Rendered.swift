import Plot
import Report

extension FigureOutput {
    /// Report's figure from Plot's rendering: the PNGs, SVG and size, and the per-class layers
    /// (with their legend colours from `palette`) when the figure has them.
    init(rendered: RenderedFigure, caption: String, alt: String, palette: ClassPalette = .bloodCells) {
        let colors = palette.colors(for: rendered.layers.map(\.name))
        let layers = zip(rendered.layers, colors).map { layer, color in
            FigureOutputLayer(name: layer.name, png: layer.png, png2x: layer.png2x, color: color.hexString)
        }
        self.init(png: rendered.png, png2x: rendered.png2x, svg: rendered.svg, width: rendered.width, height: rendered.height,
                  layers: layers, basePNG: rendered.base?.png, basePNG2x: rendered.base?.png2x,
                  caption: caption, altText: alt)
    }
}
