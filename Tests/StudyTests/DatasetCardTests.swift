import Foundation
import Report
@testable import Study
import Testing
import _TestSupport

/// A model page as a model step makes it: headlines under `models.<key>.`, here the CNN's.
struct FakeModelSection: StudySection {
    let id = "cnn"
    let title = "CNN"
    let usesDataset = false
    let version = 1
    func inputs(_ config: StudyConfig) -> StepInputs { StepInputs() }
    func run(_ context: StudyContext) throws -> SectionResult {
        SectionResult(cells: [.markdown("## Test evaluation\n\nA page of a model.")], headlines: [
            Headline("models.cnn.test_accuracy", .double(0.875)),
            Headline("models.cnn.macro_f1", .double(0.8125)),
            Headline("models.cnn.weighted_f1", .double(0.86)),
            Headline("models.cnn.micro_auc", .null),
            Headline("models.cnn.pretrained", .bool(false)),
            Headline("models.cnn.parameters", .int(1234), label: "CNN: parameters"),
        ])
    }
}

@Suite("Dataset card and model cards")
struct DatasetCardTests {
    /// Strings of the PBC dataset's credit that must never reach a report on another dataset.
    static let pbcStrings = ["PBC", "Acevedo", "Mendeley", "CC BY", "snkd93bnjr", "Barcelona", "CellaVision"]

    func folder(classes: [String], name: String = "data") throws -> URL {
        let root = try TestPaths.temporaryFolder("card").appendingPathComponent(name)
        for c in classes { try FileManager.default.createDirectory(at: root.appendingPathComponent(c), withIntermediateDirectories: true) }
        return root
    }

    var shipped: URL { DatasetCardPage.shippedCards(resources: StudyFixtures.resources) }
    let pbcClasses = ["basophil", "eosinophil", "erythroblast", "ig", "lymphocyte", "monocyte", "neutrophil", "platelet"]

    @Test("the card in the dataset folder comes first; else a shipped card matched by fingerprint, or by folder and class names")
    func locating() throws {
        let pbcLike = try folder(classes: pbcClasses, name: "PBC_dataset_normal_DIB")
        defer { try? FileManager.default.removeItem(at: pbcLike.deletingLastPathComponent()) }
        let byNames = try DatasetCard.locate(datasetRoot: pbcLike, shipped: shipped, fingerprint: "0")
        #expect(byNames.card.name == "PBC dataset of normal peripheral blood cells")
        #expect(byNames.source == .shipped(shipped.appendingPathComponent("pbc.card.json").path, how: "folder and class names"))
        #expect(byNames.card.knownLimits?.count == 4)

        let renamed = try folder(classes: pbcClasses, name: "my-copy")
        defer { try? FileManager.default.removeItem(at: renamed.deletingLastPathComponent()) }
        let byPrint = try DatasetCard.locate(datasetRoot: renamed, shipped: shipped,
                                             fingerprint: "938a203bbc6431508a06fdcc76202cfc4e20a0932f88d3fd8f97a4c57cfeab56")
        #expect(byPrint.source == .shipped(shipped.appendingPathComponent("pbc.card.json").path, how: "fingerprint"))
        // The same classes under another name and fingerprint: no borrowed credit.
        let unknown = try DatasetCard.locate(datasetRoot: renamed, shipped: shipped, fingerprint: "0")
        #expect(unknown.source == .none && unknown.card.name == "my-copy" && unknown.card.licence == nil)
        #expect(unknown.card.creditLine == "Images: my-copy, licence not stated.")

        let own = DatasetCard(name: "Own <b>cells</b>", licence: "CC0 1.0")
        try own.jsonData().write(to: pbcLike.appendingPathComponent(DatasetCard.fileName))
        let local = try DatasetCard.locate(datasetRoot: pbcLike, shipped: shipped, fingerprint: "0")
        #expect(local.card == own)
        #expect(local.source == .datasetFolder(pbcLike.appendingPathComponent(DatasetCard.fileName).path))
    }

    @Test("a card file that is not a card is refused, naming the file and the key")
    func badCard() throws {
        let root = try folder(classes: ["a"])
        defer { try? FileManager.default.removeItem(at: root.deletingLastPathComponent()) }
        let file = root.appendingPathComponent(DatasetCard.fileName)
        try Data(#"{"licence": "CC0"}"#.utf8).write(to: file)
        #expect { try DatasetCard.locate(datasetRoot: root, shipped: nil, fingerprint: "") } throws: { error in
            "\(error)".contains(file.path) && "\(error)".contains("'name' is missing")
        }
        try Data(#"{"name": "x", "year": "last year"}"#.utf8).write(to: file)
        #expect { try DatasetCard.locate(datasetRoot: root, shipped: nil, fingerprint: "") } throws: { error in
            "\(error)".contains("'year' should be Int")
        }
    }

    @Test("a dataset without a card gets a card that says, under every heading, what is unknown")
    func unknownCard() throws {
        let page = DatasetCardPage(located: .init(card: DatasetCard(name: "folder"), source: .none), audit: nil,
                                   fingerprint: DatasetFingerprint(sha256: "ab", files: 3, bytes: 9))
        let text = page.section.cells.compactMap { if case let .markdown(m) = $0 { m } else { nil } }.joined(separator: "\n")
        for heading in ["Motivation", "Composition", "Collection process", "Preprocessing", "Uses", "Distribution", "Maintenance"] {
            #expect(text.contains("## \(heading)\n\n*Unknown:*"), "\(heading)")
        }
        #expect(page.frontCard.rows.first { $0.key == "Licence" }?.value == "unknown")
    }

    /// Runs audit, split and a model page on `data` and returns the site folder.
    func report(on data: URL, root: URL) throws -> URL {
        let job = ReportJob(profile: .smoke, seed: 42, data: data, out: root.appendingPathComponent("site"),
                            cache: root.appendingPathComponent("cache"), resources: StudyFixtures.resources)
        let sections = try ReportJob.sections(only: ["split"]) + [FakeModelSection()]
        return try job.run(sections: sections, progress: StudyFixtures.quietProgress()).out
    }

    /// Every page and Markdown card of a site, by path.
    func texts(_ site: URL) throws -> [String: String] {
        let files = (FileManager.default.enumerator(atPath: site.path)?.allObjects as? [String] ?? [])
            .filter { $0.hasSuffix(".html") || $0.hasSuffix(".md") || $0.hasSuffix(".ipynb") || $0.hasSuffix(".json") }
        return try Dictionary(uniqueKeysWithValues: files.map { ($0, try String(contentsOf: site.appendingPathComponent($0), encoding: .utf8)) })
    }

    @Test("a report on the synthetic shapes carries their name, credit and licence on every page and nothing of PBC's")
    func secondDataset() throws {
        let root = try TestPaths.temporaryFolder("shapes")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("shapes")
        try ShapesDataset(imagesPerClass: 12, size: 32, seed: 5).write(to: data)
        let site = try report(on: data, root: root)
        let files = try texts(site)
        let pages = files.filter { $0.key.hasSuffix(".html") }
        #expect(Set(pages.keys) == ["index.html", "dataset.html", "audit.html", "split.html", "cnn.html"])
        for (path, text) in files {
            // The notebook's figures are inline base64, where "PBC" can occur by chance.
            let words = path.hasSuffix(".ipynb")
                ? text.replacingOccurrences(of: #""image\\?/png"\s*:\s*"[^"]*""#, with: "", options: .regularExpression) : text
            for pbc in Self.pbcStrings { #expect(!words.contains(pbc), "\(path) mentions \(pbc)") }
        }
        for (path, html) in pages {
            #expect(html.contains("<title>") && html.contains("Synthetic shapes: the study, recomputed"), "\(path): title")
            #expect(html.contains("Images: Synthetic shapes (bloodstudy test images), drawn by bloodstudy make-shapes (seed 5)"), "\(path): credit")
            #expect(html.contains("licence CC0 1.0 (public domain dedication)."), "\(path): licence")
        }
        let split = try #require(pages["split.html"])
        #expect(split.contains("Images: synthetic shapes drawn by bloodstudy (CC0 1.0)."))   // figure credit from the card
        #expect(!split.contains(ImageCredit.placeholder))
        let card = try #require(pages["dataset.html"])
        #expect(card.contains("the card file in the dataset folder (datacard.json)"))
        #expect(card.contains("48 decode as images"))
        #expect(card.contains("Every class has 12 images: the classes are balanced."))
        let links = try SiteLinks.broken(in: site)
        #expect(links.broken.isEmpty, "\(links.broken)")
    }

    @Test("every model page carries its model card, and cards/<model>.md has Hugging Face front matter with this run's numbers")
    func modelCard() throws {
        let root = try TestPaths.temporaryFolder("modelcard")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("shapes")
        try ShapesDataset(imagesPerClass: 10, size: 32, seed: 1).write(to: data)
        let site = try report(on: data, root: root)
        let page = try String(contentsOf: site.appendingPathComponent("cnn.html"), encoding: .utf8)
        for heading in ["Model card", "Model details", "Intended use", "Out-of-scope use", "Factors", "Metrics",
                        "Evaluation data", "Training data", "Quantitative analyses", "Caveats and recommendations"] {
            #expect(page.contains(">\(heading)</h"), "\(heading)")
        }
        #expect(page.contains("Drawn shapes, not photographs"))          // the dataset card's limits are out of scope
        #expect(page.contains("in this dataset every class has 10 images"))  // the audit's balance, in the metrics' reasoning
        #expect(page.contains("href=\"cards/cnn.md\""))
        #expect(page.contains("CNNModel, a network of the documented study"))
        let markdown = try String(contentsOf: site.appendingPathComponent("cards/cnn.md"), encoding: .utf8)
        #expect(markdown.hasPrefix("---\nlicense: \"cc0-1.0\"\n"))
        #expect(markdown.contains("model-index:\n- name: \"cnn\"\n"))
        #expect(markdown.contains("    - type: accuracy\n      value: 0.875\n"))
        #expect(markdown.contains("    - type: f1\n      value: 0.8125\n      name: \"Macro F1\"\n      args:\n        average: macro\n"))
        #expect(!markdown.contains("roc_auc\n      value"))               // a null metric is left out of model-index
        #expect(markdown.contains("| CNN: parameters | 1,234 | — |"))
        #expect(markdown.contains("](../dataset.html)"))
        // The front page's run card is short; the time of each step is a table of its own.
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(!index.contains("<dt>Time:"))
        #expect(index.contains("Time per step in this run"))
    }

    @Test("a hostile card file reaches the pages escaped, never as markup")
    func hostileCardEscaped() throws {
        let hostile = "<script>alert(1)</script>"
        let card = DatasetCard(name: "Cells \(hostile)", shortName: "Short \(hostile)", creators: hostile, licence: "L \(hostile)",
                               shortCredit: "Images: \(hostile).", motivation: "Why \(hostile)", knownLimits: ["Limit \(hostile)"])
        let page = DatasetCardPage(located: .init(card: card, source: .datasetFolder("/x/datacard.json")), audit: nil,
                                   fingerprint: DatasetFingerprint(sha256: "ab", files: 1, bytes: 1))
        let figure = FigureOutput(png: Data(), png2x: Data(), svg: Data(), width: 10, height: 10,
                                  caption: "A grid. " + ImageCredit.placeholder, altText: "grid")
        let credited = StudyReport.credited(.code(source: "plot()", outputs: [.figure(figure)]), by: card)
        guard case let .code(_, outputs) = credited, case let .figure(out) = outputs[0] else { Issue.record("not a figure"); return }
        #expect(out.caption == "A grid. Images: \(hostile).")
        let root = try TestPaths.temporaryFolder("hostile-card")
        defer { try? FileManager.default.removeItem(at: root) }
        let document = SiteDocument(
            notebook: Notebook(title: card.siteTitle, abstract: "About \(card.name).", sections: [page.section]),
            cards: [page.frontCard], results: Table(caption: "r", columns: ["a"], rows: [["1"]]), deviations: nil,
            resultsJSON: Data("{}".utf8), footer: card.creditLine)
        try SiteWriter(resourceRoot: StudyFixtures.resources).write(document, to: root.appendingPathComponent("site"))
        for name in ["index.html", "dataset.html"] {
            let html = try String(contentsOf: root.appendingPathComponent("site/\(name)"), encoding: .utf8)
            #expect(!html.contains(hostile), "\(name) carries the card's markup unescaped")
            #expect(html.contains("&lt;script&gt;alert(1)&lt;/script&gt;"), "\(name)")
        }
    }
}
