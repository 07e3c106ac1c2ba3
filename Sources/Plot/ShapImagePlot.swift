import Foundation

/// SHAP's `image_plot`: one row per explained image — the image, then one heat map per class drawn
/// over a faded grey copy, all on one symmetric colour scale shown by a shared colour bar.
///
/// Port of the layout of shap/plots/_image.py (`image_plot`): grey copy at alpha 0.15 under the
/// values, `red_transparent_blue` between ±(99.9th percentile of |value|), class names as column
/// titles, the true label at the left of each row.
public enum ShapImagePlot {
    /// - Parameters:
    ///   - images: the explained images (RGB or grey), all the same size.
    ///   - values: `values[i][k]` is the SHAP map of image `i` for class `k`, `height * width` values
    ///     (summed over colour channels as SHAP does before plotting).
    ///   - classNames: one per class, shown on top.
    ///   - trueLabels: one per image, shown at the left (optional).
    ///   - cellSize: width of each small image in points (default 96).
    public static func figure(images: [Raster], values: [[[Double]]], classNames: [String], trueLabels: [String]? = nil,
                              cellSize: Double = 96, title: String? = nil) -> Figure {
        precondition(values.count == images.count, "need SHAP values for each of the \(images.count) images, got \(values.count)")
        let classes = classNames.count
        let columns = classes + 1
        let rows = max(images.count, 1)
        let aspect = images.first.map { Double($0.height) / Double(max($0.width, 1)) } ?? 1
        let bound = symmetricBound(values.flatMap { $0.flatMap { $0 } })
        let figure = Figure(width: Double(columns) * cellSize + Double(columns - 1) * 6 + 40,
                            height: Double(rows) * (cellSize * aspect + 24) + 70 + (title != nil ? 28 : 0), title: title)
        figure.horizontalSpacing = 6
        figure.verticalSpacing = 4
        figure.titleSize = 13
        for (i, image) in images.enumerated() {
            precondition(values[i].count == classes, "image \(i) has \(values[i].count) SHAP maps for \(classes) classes")
            let a = figure.addAxes(row: i, column: 0)
            a.image(image)
            a.yLabel = trueLabels?[i]
            if i == 0 { a.title = "Image" }
            let faded = image.grey
            for k in 0..<classes {
                let h = figure.addAxes(row: i, column: k + 1)
                h.image(faded, alpha: 0.15)
                h.valueMap(values[i][k], width: image.width, height: image.height, colormap: .redTransparentBlue,
                           minimum: -bound, maximum: bound)
                if i == 0 { h.title = classNames[k] }
                h.background = .white
            }
        }
        figure.colorBar = ColorBar(colormap: .redTransparentBlue, minimum: -bound, maximum: bound, label: "SHAP value")
        return figure
    }

    /// The colour scale's half-width: the 99.9th percentile of |value| (SHAP's choice, so a few
    /// extreme pixels do not wash out the rest); 1 when every value is zero or non-finite.
    public static func symmetricBound(_ values: [Double]) -> Double {
        let magnitudes = values.filter(\.isFinite).map(abs).sorted()
        guard !magnitudes.isEmpty else { return 1 }
        // numpy's default linear-interpolated percentile.
        let position = 0.999 * Double(magnitudes.count - 1)
        let lo = Int(position.rounded(.down)), hi = min(lo + 1, magnitudes.count - 1)
        let v = magnitudes[lo] + (magnitudes[hi] - magnitudes[lo]) * (position - Double(lo))
        return v > 0 ? v : (magnitudes.last! > 0 ? magnitudes.last! : 1)
    }
}
