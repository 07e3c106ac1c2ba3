import Foundation
import Report
@testable import Study
import Testing
import _TestSupport

/// Each data and EDA section's page rendered from a result built here (nothing computed, no file
/// read): the headlines, the key phrases, and that a result survives its trip through JSON (the
/// cache stores it as `computed.json`) giving the same page.
@Suite("Data and EDA pages rendered from stored results")
struct EDAPagesFromResultsTests {
    // MARK: Helpers

    func values(_ page: SectionResult) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: page.headlines.map { ($0.key, $0.value) })
    }

    func words(_ page: SectionResult) -> String {
        page.cells.map { cell -> String in
            switch cell {
            case let .markdown(text): return text
            case let .reference(text, source): return text + "\n" + source
            case let .code(source, outputs):
                return ([source] + outputs.map { output -> String in
                    switch output {
                    case let .text(t): return t
                    case let .table(t): return ([t.caption] + t.columns + t.rows.flatMap { $0 }).joined(separator: "\n")
                    case let .figure(f): return f.caption + "\n" + f.altText
                    default: return ""
                    }
                }).joined(separator: "\n")
            }
        }.joined(separator: "\n")
    }

    func figures(_ page: SectionResult) -> [FigureOutput] {
        page.cells.flatMap { cell -> [FigureOutput] in
            guard case let .code(_, outputs) = cell else { return [] }
            return outputs.compactMap { if case let .figure(f) = $0 { f } else { nil } }
        }
    }

    /// Where two renderings of one page differ: cell by cell, figures by their PNGs, SVG and words.
    func differences(_ a: SectionResult, _ b: SectionResult) -> [String] {
        guard a.cells.count == b.cells.count else { return ["\(a.cells.count) cells against \(b.cells.count)"] }
        return zip(a.cells, b.cells).enumerated().compactMap { i, pair in
            if pair.0 == pair.1 { return nil }
            if case let .code(s0, o0) = pair.0, case let .code(s1, o1) = pair.1, s0 == s1, o0.count == o1.count {
                let parts = zip(o0, o1).compactMap { x, y -> String? in
                    if case let .figure(f) = x, case let .figure(g) = y {
                        return f.png == g.png && f.png2x == g.png2x && f.svg == g.svg && f.caption == g.caption && f.altText == g.altText ? nil
                            : "figure png \(f.png == g.png) svg \(f.svg == g.svg)"
                    }
                    return x == y ? nil : "output"
                }
                return parts.isEmpty ? nil : "cell \(i): " + parts.joined(separator: ", ")
            }
            return "cell \(i)"
        }
    }

    /// The result after a trip through JSON, as the runner reads it back from the cache.
    func stored<R: Codable>(_ result: R) throws -> R {
        try JSONDecoder().decode(R.self, from: JSONEncoder().encode(result))
    }

    static let classes = ["basophil", "eosinophil", "erythroblast", "ig", "lymphocyte", "monocyte", "neutrophil", "platelet"]

    /// A `side` x `side` picture of one flat colour.
    static func picture(_ side: Int, channels: Int = 3, value: UInt8 = 128) -> StoredRaster {
        StoredRaster(width: side, height: side, channels: channels, pixels: [UInt8](repeating: value, count: side * side * channels))
    }

    static let deep = DeepFeaturesDescription(featureName: "EfficientNet-Lite0 (ImageNet-1k) features", backboneName: "EfficientNet-Lite0",
                                              backboneSentence: "These are EfficientNet-Lite0 features.")

    // MARK: Audit and split

    @Test("audit: counts beside the documented ones, sizes, duplicates, headlines")
    func audit() throws {
        let summary = #"{"count":2,"mean":1,"standardDeviation":0.5,"minimum":0.5,"q1":0.75,"median":1,"q3":1.25,"maximum":1.5,"lowerFence":0,"upperFence":2}"#
        let json = """
            {"report":{"root":"pbc","totalFiles":3,"validImages":2,"documentedTotal":17092,
             "classes":[{"name":"basophil","count":2,"share":1,"documented":1218,"meanRGB":[200,150,180]}],
             "rejected":[{"relativePath":"basophil/x.jpg","reason":"not an image","detail":"bad header"}],"emptyClasses":[],
             "sizeCensus":[{"width":360,"height":363,"count":1,"share":0.5},{"width":366,"height":369,"count":1,"share":0.5}],
             "standardWidth":360,"standardHeight":363,
             "sizeOutliers":[{"path":"basophil/b.jpg","className":"basophil","width":366,"height":369}],"sizeOutlierShare":0.5,
             "brightness":[\(summary),\(summary),\(summary)],"brightnessOutliers":[],"noise":[\(summary),\(summary),\(summary)],"noiseOutliers":[],
             "sharpness":[],"duplicates":[{"paths":["basophil/a.jpg","basophil/b.jpg"],"width":360,"height":363}],"images":[]},
             "folder":"PBC_dataset_normal_DIB"}
            """
        let result = try JSONDecoder().decode(AuditSection.Result.self, from: Data(json.utf8))
        let page = AuditSection().page(result)
        #expect(values(page) == ["dataset.valid_images": .int(2), "dataset.classes": .int(1), "audit.rejected_files": .int(1),
                                 "audit.size_outliers": .int(1), "audit.duplicate_groups": .int(1)])
        let text = words(page)
        #expect(text.contains("Of **3** files in the class folders, **2** decode as images and 1 does not."))
        #expect(text.contains("The most common size is **360x363** pixels"))
        #expect(text.contains("1 group of images have identical pixels (2 images in all)."))
        #expect(text.contains("DatasetAudit.run(root: \"PBC_dataset_normal_DIB\")"))
        #expect(text.contains("-1,216"))  // 2 against the documented 1,218
        #expect(differences(AuditSection().page(try stored(result)), page) == [])
    }

    static func splitResult() -> SplitSection.Result {
        let counts = [[5, 4], [1, 1], [1, 1]]
        func pictures(_ n: Int, side: Int, label: Int = 0) -> [SplitSection.Picture] {
            (0..<n).map { SplitSection.Picture(image: picture(side, value: UInt8(10 * $0)), label: ($0 + label) % 2) }
        }
        return SplitSection.Result(
            classes: ["basophil", "eosinophil"], counts: counts, imagesPerClass: 7, seed: 42, heldOut: 0.3, batchSize: 16, imageSize: 8,
            studyBatchSize: 4, studySide: 8, firstImages: [pictures(8, side: 6), pictures(2, side: 6), pictures(2, side: 6)],
            firstSamples: pictures(3, side: 8), trainBatch: pictures(4, side: 8),
            firstBatchLabels: [[1, 0, 1, 0], [0, 1], [1, 0]])
    }

    @Test("split: counts, proportions, one sample per part, batch counts, label tensors and the batch grid beside the study's")
    func split() throws {
        let result = Self.splitResult()
        let page = SplitSection().page(result)
        #expect(values(page) == ["split.train": .int(9), "split.val": .int(2), "split.test": .int(2)])
        let text = words(page)
        #expect(text.contains("Train set size: 9\nValidation set size: 2\nTest set size: 2"))
        #expect(text.contains("a seeded sample of 7 images per class (13 in all)"))
        // In [187]: shares of all images, this run's beside the documented 0.7000 / 0.3000 / 0.1500.
        #expect(text.contains("train_df: 0.6923\ntemp_df: 0.3077\nval_df: 0.1538\ntest_df: 0.1538"))
        #expect(text.contains("0.7000") && text.contains("0.1500"))
        // In [186]: ceil(9 / 4) = 3 and ceil(2 / 4) = 1 batches, beside the study's 374 / 81 / 81 of 32.
        #expect(text.contains("Length of train dataloader: 3 batches of 4\nLength of validation dataloader: 1 batches of 4"))
        #expect(text.contains("Length of train dataloader: 374 batches of 32"))
        // In [198]: the label tensors of this run and the study's.
        #expect(text.contains("Train DataLoader labels:\ntensor([1, 0, 1, 0])"))
        #expect(text.contains("tensor([0, 5, 7, 1, 1, 6, 7, 3, 3, 2, 3, 7, 6, 7, 7, 1, 0, 0, 3, 2, 3, 0, 6, 7, 2, 6, 7, 7, 2, 1, 2, 6])"))
        // In [197]: the title as the notebook formats it.
        #expect(text.contains("Sample Labels:\n 'basophil', 'eosinophil', 'basophil', 'eosinophil'"))
        #expect(text.contains("Train DataLoader shape: (9, 3, 8, 8)"))  // this profile's loaders: batches of 16
        #expect(text.contains("(this profile's networks read batches of 16: 1, 1, 1)"))
        #expect(text.contains("Train set size: 11964. Validation set size: 2564. Test set size: 2564."))
        // The counts bars, one sample per part, the first images of each part and the batch grid.
        let shown = figures(page)
        #expect(shown.count == 4)
        #expect(shown.contains { $0.altText.contains("12 blood-cell images in 3 rows") })
        #expect(shown.contains { $0.caption.contains("first image of the train, validation and test parts") })
        #expect(shown.contains { $0.caption.contains("first batch of the study's train loader on this run's split (4 images at 8x8") })
        #expect(differences(SplitSection().page(try stored(result)), page) == [])
    }

    @Test("make_grid's layout and the notebook's label title")
    func firstBatchGrid() {
        let images = (0..<10).map { Self.picture(3, value: UInt8(1 + $0)) }
        let grid = FirstBatchGrid.compose(images)
        // 8 a row, 2 rows; each 3-pixel image behind 2 pixels of padding, 2 more at the end.
        #expect(grid.width == 8 * 5 + 2 && grid.height == 2 * 5 + 2)
        func pixel(_ x: Int, _ y: Int) -> UInt8 { grid.pixels[(y * grid.width + x) * 3] }
        #expect(pixel(0, 0) == 0 && pixel(2, 2) == 1 && pixel(4, 4) == 1 && pixel(5, 2) == 0 && pixel(7, 2) == 2)
        #expect(pixel(2, 7) == 9 && pixel(7, 7) == 10 && pixel(12, 7) == 0)
        let names = (1...9).map { "c\($0)" }
        #expect(FirstBatchGrid.title(names) == "Sample Labels:\n 'c1', 'c2', 'c3', 'c4', 'c5', 'c6', 'c7', 'c8', \n, 'c9'")
        #expect(FirstBatchGrid.tensor([0, 5, 7]) == "tensor([0, 5, 7])")
    }

    @Test("the test features' t-SNE is named after plot_tsne's settings, not as a figure the study made (it never calls plot_tsne)")
    func plotTSNEWording() {
        let text = StudyPlotTSNE.narrative(images: 2564, seconds: 3)
        #expect(text.contains("2,564 test images") && text.contains("defines `plot_tsne` (In [203]) but never calls it"))
        #expect(!text.contains("The study's `plot_tsne`:"))
        #expect(StudyPlotTSNE.source.contains("never called there"))
    }

    // MARK: HOG

    @Test("HOG: the extraction's numbers and the gallery drawn from the stored pictures")
    func hog() throws {
        let settings = HOGConfig(imageSize: 360, orientations: 9, pixelsPerCell: 10, cellsPerBlock: 2, blockNorm: "L2-Hys", gallerySamples: 1)
        let row = HOGSection.GalleryRow(path: "ig/a.jpg", className: "ig", color: Self.picture(12), grey: Self.picture(12, channels: 1),
                                        hog: Self.picture(12, channels: 1, value: 0))
        let result = HOGSection.Result(images: 80, sampleDescription: "all 80 readable images", length: 44100, settings: settings,
                                       blockNormName: "l2Hys", seconds: 2, gallery: [row])
        let page = HOGSection().page(result)
        #expect(values(page) == ["hog.length": .int(44100)])
        let text = words(page)
        #expect(text.contains("HOG Features Extracted. Shape: (80, 44100)"))
        #expect(text.contains("HOG Features Extracted. Shape: (17092, 44100)"))  // the study's, from the documented table
        #expect(text.contains("36x36 cells give 35x35 overlapping blocks of 36 values, **44,100** numbers per image"))
        #expect(text.contains("blockNorm: .l2Hys") && text.contains("ig/a.jpg (ig)"))
        #expect(figures(page).count == 1)
        #expect(differences(HOGSection().page(try stored(result)), page) == [])
    }

    // MARK: PCA of deep features

    @Test("PCA of deep features: counts beside the study's ViT counts, from the documented table")
    func pcaDeep() throws {
        let ratios = [0.5, 0.3, 0.1, 0.06, 0.03, 0.01]
        let result = PCADeepSection.Result(
            features: Self.deep, images: 17092, thresholds: [0.95, 0.99], reductionThreshold: 0.95,
            summary: .init(counts: [4, 5], kept: 4, scores: 4, features: 1280, firstTwo: 0.8), ratios: ratios, seconds: 1)
        let page = PCADeepSection().page(result)
        #expect(values(page) == ["pca.vit.n95": .int(4), "pca.vit.n99": .int(5)])
        let text = words(page)
        #expect(text.contains("These counts are from all 17,092 images, as the study's."))
        #expect(text.contains("sufficient to use the 117 first principal components") && text.contains(", 343 principal components are needed"))
        #expect(text.contains("Share of 768 (ViT-B/16)") && text.contains("15.2%"))  // 117 / 768
        #expect(text.contains("These are EfficientNet-Lite0 features."))
        var sample = result
        sample.images = 80
        #expect(words(PCADeepSection().page(sample)).contains("comparable with the study's only on the full dataset"))
        #expect(differences(PCADeepSection().page(try stored(result)), page) == [])
        // No deep features: null headlines and the study's words.
        let skipped = PCADeepSection().page(.init(features: nil, images: 0, thresholds: [0.95, 0.99], reductionThreshold: 0.95,
                                                  summary: .init(counts: [], kept: 0, scores: 0, features: 0, firstTwo: 0), ratios: [], seconds: 0))
        #expect(values(skipped) == ["pca.vit.n95": .null, "pca.vit.n99": .null])
        #expect(words(skipped).contains("Skipped: no deep features were extracted"))
    }

    // MARK: t-SNE

    static func views(barnesHut: Double?) -> TwoDimensionalViews {
        TwoDimensionalViews(images: 4, features: 44100, kept: 3, scores: 3, inputDims: 3, inputDimsAsked: 50, firstTwo: 0.25,
                            perplexity: 30, learningRate: 200, maxIter: 1000, iterations: 1000, kl: 0.55, barnesHutKL: barnesHut,
                            seconds: 1, pcaX: [0, 1, 2, 3], pcaY: [1, 0, 1, 0], tsneX: [3, 2, 1, 0], tsneY: [0, 0, 1, 1],
                            labels: ["ig", "ig", "basophil", "platelet"], classes: Self.classes)
    }

    @Test("t-SNE of HOG: exact KL and the Barnes-Hut estimate, the study's lines from the documented table")
    func embeddingHOG() throws {
        let result = Self.views(barnesHut: -0.1)
        let page = EmbeddingHOGSection().page(result)
        #expect(values(page) == ["tsne.hog.kl": .double(0.55), "tsne.hog.kl_barnes_hut": .double(-0.1)])
        let text = words(page)
        #expect(text.contains("KL divergence after 1000 iterations: 0.550000 (exact); Barnes-Hut estimate, as scikit-learn's kl_divergence_: -0.100000"))
        #expect(text.contains("That is what happened in this run"))
        #expect(text.contains("Reduced dims: 7095. Output shape for viz: (17092, 7095)"))
        #expect(text.contains("max_tsne_dims=50"))
        #expect(figures(page).count == 1)
        // Only the exaggerated stage ran: no estimate, a null headline, the exact value still there.
        let early = EmbeddingHOGSection().page(Self.views(barnesHut: nil))
        #expect(values(early)["tsne.hog.kl_barnes_hut"] == .null && values(early)["tsne.hog.kl"] == .double(0.55))
        #expect(words(early).contains("not evaluated (only the exaggerated stage ran)"))
        #expect(differences(EmbeddingHOGSection().page(try stored(result)), page) == [])
    }

    @Test("t-SNE of deep features: the same shape as HOG's; the exact KL is reported even when no estimate exists")
    func embeddingDeep() throws {
        let result = EmbeddingDeepSection.Result(features: Self.deep, views: Self.views(barnesHut: nil))
        let page = EmbeddingDeepSection().page(result)
        #expect(values(page) == ["tsne.vit.kl": .double(0.55), "tsne.vit.kl_barnes_hut": .null])
        let text = words(page)
        #expect(text.contains("KL divergence after 1000 iterations: 0.550000 (exact); Barnes-Hut estimate, as scikit-learn's kl_divergence_: not evaluated"))
        #expect(text.contains("These are EfficientNet-Lite0 features. The left panel places each of the 4 images"))
        #expect(text.contains("The KL divergence given here is exact"))
        #expect(differences(EmbeddingDeepSection().page(try stored(result)), page) == [])
        let skipped = EmbeddingDeepSection().page(.init(features: nil, views: nil))
        #expect(values(skipped) == ["tsne.vit.kl": .null, "tsne.vit.kl_barnes_hut": .null])
    }

    // MARK: k-means

    static let clusters = ClustersAgainstClasses(
        clusters: 2, starts: 10, images: 6, components: 3, ari: 0.25, nmi: 0.5, inertia: 12.5, iterations: 4, purity: 5.0 / 6, seconds: 1,
        counts: [[3, 0], [1, 2]], classNames: ["basophil", "ig"], clusterNames: ["0", "1"], featureName: "HOG features")

    @Test("k-means of HOG: scores, the heat map from the stored counts, headlines")
    func kmeansHOG() throws {
        let result = KMeansHOGSection.Result(clusters: Self.clusters, kept: 7095, reductionThreshold: 0.95)
        let page = KMeansHOGSection().page(result)
        #expect(values(page) == ["kmeans.hog.ari": .double(0.25), "kmeans.hog.nmi": .double(0.5), "kmeans.hog.inertia": .double(12.5)])
        let text = words(page)
        #expect(text.contains("on the first 3 of the 7,095 PCA components that keep 95%"))
        #expect(text.contains("Adjusted Rand index: 0.2500") && text.contains("83.3% of the images"))
        #expect(figures(page).first?.altText == "Heat map with 2 class rows and 2 cluster columns, each cell the number of images.")
        #expect(differences(KMeansHOGSection().page(try stored(result)), page) == [])
    }

    @Test("k-means of deep features: scores and headlines, or nulls when no features were extracted")
    func kmeansDeep() throws {
        let result = KMeansDeepSection.Result(features: Self.deep, clusters: Self.clusters, reductionThreshold: 0.95)
        let page = KMeansDeepSection().page(result)
        #expect(values(page) == ["kmeans.vit.ari": .double(0.25), "kmeans.vit.nmi": .double(0.5)])
        #expect(words(page).contains("These are EfficientNet-Lite0 features. k-means with 2 clusters on the 3 PCA components"))
        #expect(differences(KMeansDeepSection().page(try stored(result)), page) == [])
        #expect(values(KMeansDeepSection().page(.init(features: nil, clusters: nil, reductionThreshold: 0.95))) == ["kmeans.vit.ari": .null])
    }

    // MARK: Neighbours

    static let neighbours = NeighbourQueries(
        space: "HOG", neighbours: 2, images: 80, asked: 1, queries: [7],
        lines: ["Query ig/a.jpg (ig): ig (0.100), basophil (0.200)"],
        pictures: [picture(10), picture(10, value: 20), picture(10, value: 30)], pictureClasses: ["ig", "ig", "basophil"],
        shown: 2, sameClass: 1)

    @Test("neighbours in HOG space: the printed lines, the share and the grid from the stored pictures")
    func neighboursHOG() throws {
        let page = NeighboursHOGSection().page(Self.neighbours)
        #expect(values(page) == ["neighbours.hog.same_class": .double(0.5)])
        let text = words(page)
        #expect(text.contains("Finding and Visualizing Nearest Neighbors in HOG Feature Space...\nQuery ig/a.jpg (ig): ig (0.100), basophil (0.200)"))
        #expect(text.contains("1 of the 2 neighbours shown (50%) have the query's class"))
        #expect(text.contains("(0..<80).shuffled(using: &generator).prefix(1)"))
        #expect(figures(page).first?.altText.contains("1 rows of 3 blood-cell images") == true)
        #expect(differences(NeighboursHOGSection().page(try stored(Self.neighbours)), page) == [])
    }

    @Test("neighbours in deep feature space: announced as deep, titled with the backbone; nulls without features")
    func neighboursDeep() throws {
        var outcome = Self.neighbours
        outcome.space = "EfficientNet-Lite0"
        let result = NeighboursDeepSection.Result(features: Self.deep, outcome: outcome)
        let page = NeighboursDeepSection().page(result)
        #expect(values(page) == ["neighbours.vit.same_class": .double(0.5)])
        #expect(words(page).contains("Finding and Visualizing Nearest Neighbors in Deep Feature Space..."))
        #expect(words(page).contains("nearest neighbours in scaled EfficientNet-Lite0 (ImageNet-1k) features"))
        #expect(differences(NeighboursDeepSection().page(try stored(result)), page) == [])
        #expect(values(NeighboursDeepSection().page(.init(features: nil, outcome: nil))) == ["neighbours.vit.same_class": .null])
    }
}
