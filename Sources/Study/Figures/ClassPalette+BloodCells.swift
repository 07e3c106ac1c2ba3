import Plot

extension ClassPalette {
    /// The study's `color_map2` for the eight PBC classes, tab10 for anything else: the colours of
    /// every class in the report's figures (Plot itself knows no classes).
    public static let bloodCells = ClassPalette(fixed: [
        "neutrophil": Color(hex: "#E63946")!, "eosinophil": Color(hex: "#2A9D8F")!,
        "ig": Color(hex: "#457B9D")!, "platelet": Color(hex: "#6A4C93")!,
        "erythroblast": Color(hex: "#F4A261")!, "monocyte": Color(hex: "#E9C46A")!,
        "basophil": Color(hex: "#264653")!, "lymphocyte": Color(hex: "#F77F00")!,
    ])
}

// The study's figures colour classes with `bloodCells` unless a caller passes a palette: these
// forward Plot's class-coloured charts, whose `palette` has no default there.

extension Axes {
    /// `scatter(_:_:labels:classes:palette:...)` in the study's class colours.
    public func scatter(_ xs: [Double], _ ys: [Double], labels: [String], classes: [String]? = nil,
                        size: Double = 6, alpha: Double = 0.7, edgeColor: Color? = nil, edgeWidth: Double = 0,
                        showInLegend: Bool = true, layers: Bool = true) {
        scatter(xs, ys, labels: labels, classes: classes, palette: .bloodCells, size: size, alpha: alpha,
                edgeColor: edgeColor, edgeWidth: edgeWidth, showInLegend: showInLegend, layers: layers)
    }
}

extension Charts {
    /// `embedding(pca:tsne:labels:classes:featureName:palette:...)` in the study's class colours.
    public static func embedding(pca: (x: [Double], y: [Double]), tsne: (x: [Double], y: [Double]), labels: [String],
                                 classes: [String]? = nil, featureName: String = "Features",
                                 width: Double = 1000, height: Double = 480, markerSize: Double = 5) -> Figure {
        embedding(pca: pca, tsne: tsne, labels: labels, classes: classes, featureName: featureName, palette: .bloodCells,
                  width: width, height: height, markerSize: markerSize)
    }
}
