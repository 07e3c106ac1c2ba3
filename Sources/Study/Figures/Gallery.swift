import DiskIO
import Foundation
import Plot
import Tensor

/// Every figure kind the study draws with Plot, from synthetic data, for people to look at
/// (`bloodstudy gallery`) and for the golden-image tests.
public enum Gallery {
    /// The gallery's figures by file name. `small` keeps the figure sizes but uses fewer points and
    /// smaller images, for fast golden-image tests.
    public static func figures(seed: UInt64 = 42, small: Bool = false) -> [(name: String, figure: Figure)] {
        var g = SeededGenerator(seed: seed)
        let classes = SyntheticData.classes
        var out: [(String, Figure)] = []
        let shrink = 1.0

        // Grouped bars: label counts and proportions across splits.
        // The documented split's counts per class (In [191]).
        let documented = classes.map { DocumentedResults.splitPerClass[$0]! }
        let splitCounts: [[Double]] = [documented.map { Double($0.train) }, documented.map { Double($0.validation) },
                                       documented.map { Double($0.test) }]
        out.append(("split-bars", Charts.splitBars(splits: ["Train", "Validation", "Test"], classes: classes,
                                                    counts: splitCounts, width: 1000 * shrink, height: 440 * shrink)))

        // Explained variance with thresholds.
        let n = small ? 40 : 120
        var ratios = (0..<n).map { k in exp(-Double(k) / Double(n) * 9) }
        let total = ratios.reduce(0, +)
        ratios = ratios.map { $0 / total }
        out.append(("explained-variance", Charts.explainedVariance(ratios, featureName: "HOG Features",
                                                                    width: 1000 * shrink, height: 460 * shrink).figure))

        // Two-panel scatter by class with layers.
        let count = small ? 800 : DocumentedResults.int("dataset.valid_images")!
        let pca = SyntheticData.clusters(count: count, spread: 1.6, using: &g)
        let tsne = SyntheticData.clusters(count: count, spread: 0.7, using: &g)
        out.append(("embedding-scatter", Charts.embedding(pca: (pca.x, pca.y), tsne: (tsne.x, tsne.y), labels: pca.labels,
                                                          classes: classes, featureName: "Deep Features",
                                                          width: 1000 * shrink, height: 480 * shrink,
                                                          markerSize: small ? 3 : 5)))

        // ROC per class, micro-average, TPR/FPR against threshold.
        let curves = classes.enumerated().map { SyntheticData.rocCurve(name: $1, quality: 3 + Double($0) * 2.5) }
        out.append(("roc", Charts.roc(curves, micro: SyntheticData.rocCurve(name: "micro", quality: 9),
                                      width: 1100 * shrink, height: 500 * shrink)))

        // Reliability diagram of an overconfident model (fixed bins: draws nothing from the generator).
        let reliabilityBins = (0..<15).map { b -> ReliabilityBin in
            let lower = Double(b) / 15, upper = Double(b + 1) / 15, centre = (lower + upper) / 2
            return b < 3 ? ReliabilityBin(lower: lower, upper: upper, count: 0, meanConfidence: .nan, accuracy: .nan)
                : ReliabilityBin(lower: lower, upper: upper, count: 5 * b, meanConfidence: centre, accuracy: centre * centre)
        }
        out.append(("reliability", Charts.reliability(reliabilityBins, expectedError: 0.083, title: "Reliability diagram",
                                                      width: 980 * shrink, height: 430 * shrink)))

        // Training curves + confusion matrix + details box.
        let history = SyntheticData.history(epochs: 20, using: &g)
        out.append(("training-report", Charts.trainingReport(
            history, confusion: SyntheticData.confusion(classes: classes.count, using: &g), classNames: classes,
            details: [("Model Name:", "SimpleNN"), ("Loss Function:", "CrossEntropyLoss"), ("Optimizer:", "Adam"),
                      ("Accuracy Metric:", "accuracy"), ("Learning Rate:", "0.001"), ("Epochs:", "20")],
            width: 1000 * shrink, height: 780 * shrink)))

        // Histogram.
        let h = Figure(width: 560 * shrink, height: 360 * shrink, title: nil)
        let ha = h.addAxes()
        ha.histogram((0..<2000).map { _ in g.nextGaussian() * 12 + 60 }, bins: 30, color: Palette.tab10[0], alpha: 0.85)
        ha.title = "Image Brightness"; ha.xLabel = "Mean intensity"; ha.yLabel = "Images"
        out.append(("histogram", h))

        // Continuous heat map (viridis) with a colour bar, e.g. a correlation or feature map.
        let hm = Figure(width: 520, height: 420)
        let ha2 = hm.addAxes()
        let grid = 24
        var field = [[Double]](repeating: [Double](repeating: 0, count: grid), count: grid)
        for r in 0..<grid {
            for k in 0..<grid {
                let wave: Double = sin(Double(k) / 4) * cos(Double(r) / 5)
                field[r][k] = wave + Double(r + k) / Double(2 * grid)
            }
        }
        ha2.heatmap(field, rowLabels: (0..<grid).map { $0 % 4 == 0 ? "r\($0)" : "" },
                    columnLabels: (0..<grid).map { $0 % 4 == 0 ? "c\($0)" : "" }, colormap: .viridis, annotation: nil, gap: 0)
        ha2.colorBar?.label = "value"
        ha2.title = "Feature Map (viridis)"
        out.append(("heatmap-viridis", hm))

        // Image grids: samples per class, query + neighbours, image/grey/HOG triples.
        let side = small ? 32 : 72
        let images = (0..<8).map { _ in SyntheticData.cellImage(size: side, using: &g) }
        out.append(("samples-grid", ImageGrid.figure(
            images.enumerated().map { ImageCell(image: $1, title: classes[$0], rowLabel: $0 % 4 == 0 ? ($0 == 0 ? "Train" : "Test") : nil) },
            columns: 4, cellSize: small ? 60 : 120, title: "Samples per Class")))
        var neighbours: [ImageCell] = []
        for q in 0..<2 {
            neighbours.append(ImageCell(image: images[q], caption: Caption("Query: \(classes[q])", color: .black)))
            for j in 1...4 { neighbours.append(ImageCell(image: images[(q + j) % 8], caption: Caption("Neighbor \(j)\n\(classes[(q + j) % 8])"))) }
        }
        out.append(("nearest-neighbours", ImageGrid.figure(neighbours, columns: 5, cellSize: small ? 60 : 120,
                                                           title: "Nearest Neighbors in Deep Feature Space (Cosine Similarity)")))
        var triples: [ImageCell] = []
        for i in 0..<2 {
            triples.append(ImageCell(image: images[i], caption: Caption("Original Image\nLabel: \(classes[i])")))
            triples.append(ImageCell(image: images[i].grey, caption: Caption("Grayscale Image")))
            triples.append(ImageCell(image: gradientMagnitude(images[i].grey), caption: Caption("HOG Visualization")))
        }
        out.append(("image-grey-hog", ImageGrid.figure(triples, columns: 3, cellSize: small ? 70 : 160)))

        // SHAP image plot.
        let shapClasses = Array(classes.prefix(small ? 3 : 8))
        let shapImages = Array(images.prefix(small ? 2 : 3))
        let values = shapImages.enumerated().map { i, image in
            shapClasses.indices.map { k in SyntheticData.shapMap(for: image, positive: k == i, strength: 0.02, using: &g) }
        }
        out.append(("shap-image-plot", ShapImagePlot.figure(images: shapImages, values: values, classNames: shapClasses,
                                                            trueLabels: shapImages.indices.map { classes[$0] },
                                                            cellSize: small ? 56 : 96)))

        out.append(("edge-cases", edgeCases(small: small)))
        return out
    }

    /// Empty series, one point, all-equal values, NaN/infinity, a very long class name and a
    /// 1,000-class legend, each in its own panel.
    public static func edgeCases(small: Bool = false) -> Figure {
        let s = 1.0
        let f = Figure(width: 1000 * s, height: 640 * s, title: "Edge cases")
        let a = f.subplots(rows: 2, columns: 3)
        a[0].title = "Empty series"
        a[0].line([], [], color: Palette.tab10[0], label: "nothing")
        a[1].title = "One point"
        a[1].scatter([3], [7], color: Palette.tab10[1], size: 8, label: "the point")
        a[1].legend = .best
        a[2].title = "All values equal"
        a[2].line([1, 2, 3, 4], [5, 5, 5, 5], color: Palette.tab10[2], marker: .circle)
        a[3].title = "NaN and infinity"
        a[3].line([1, 2, 3, 4, 5, 6], [1, .nan, 3, .infinity, 2, 4], color: Palette.tab10[3], marker: .circle)
        a[4].title = "Very long class name"
        a[4].scatter([1, 2], [1, 2], labels: ["a-very-long-class-name-that-would-never-fit-in-any-legend-box", "b"],
                     palette: ClassPalette(fixed: [:]), size: 8)
        a[4].legend = .lowerRight
        a[5].title = "1,000 classes"
        let names = (0..<1000).map { "class \($0)" }
        a[5].scatter((0..<1000).map { Double($0 % 40) }, (0..<1000).map { Double($0 / 40) }, labels: names,
                     palette: ClassPalette(fixed: [:]), size: 3, layers: false)
        a[5].legend = .outsideRight
        a[5].legendLimit = small ? 6 : 12
        return f
    }

    /// `name` with anything but letters, digits, '-' and '_' replaced by '-'.
    static func fileSafe(_ name: String) -> String {
        String(name.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "-" })
    }

    /// A crude HOG-like picture (gradient magnitude) so the triple figure has three distinct panels.
    static func gradientMagnitude(_ grey: Raster) -> Raster {
        let w = grey.width, h = grey.height
        var out = [UInt8](repeating: 0, count: w * h)
        for y in 1..<(h - 1) {
            for x in 1..<(w - 1) {
                let gx = Double(grey[y, x + 1, 0]) - Double(grey[y, x - 1, 0])
                let gy = Double(grey[y + 1, x, 0]) - Double(grey[y - 1, x, 0])
                out[y * w + x] = UInt8(min(255, (gx * gx + gy * gy).squareRoot() * 2))
            }
        }
        return Raster(width: w, height: h, channels: 1, pixels: out)
    }

    /// Renders every figure into `folder` as `<name>.png`, `<name>@2x.png`, `<name>.svg` and, for
    /// figures with layers, `<name>.base.png` and `<name>.layer-<class>.png`. Returns the files written.
    @discardableResult
    public static func write(to folder: URL, seed: UInt64 = 42) throws -> [URL] {
        try FileOps.createDirectory(folder)
        var written: [URL] = []
        for (name, figure) in figures(seed: seed) {
            let r = figure.render()
            var files: [(String, Data)] = [("\(name).png", r.png), ("\(name)@2x.png", r.png2x), ("\(name).svg", r.svg)]
            if let base = r.base { files.append(("\(name).base.png", base.png)) }
            for l in r.layers { files.append(("\(name).layer-\(fileSafe(l.name)).png", l.png)) }
            for (file, data) in files {
                let url = folder.appendingPathComponent(file)
                try FileOps.write(data, to: url)   // a failure names the file and the fix in plain words
                written.append(url)
            }
        }
        return written
    }
}
