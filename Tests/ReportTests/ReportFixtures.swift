import Foundation
import Report
import _TestSupport

/// Small documents shared by the Report tests.
enum ReportFixtures {
    /// A hostile class name: it must reach every page escaped, never as markup.
    static let hostile = "<script>alert(1)</script>"

    /// A valid 2x2 RGBA PNG (made once with Pillow), enough for figure files.
    static let png = Data(base64Encoded:
        "iVBORw0KGgoAAAANSUhEUgAAAAIAAAACCAYAAABytg0kAAAAFElEQVR4nGM8Iafxn4GBgYGJAQoAH6gCEePspQYAAAAASUVORK5CYII=")!

    static func figure(layers: Bool) -> FigureOutput {
        FigureOutput(
            png: png, png2x: png, svg: Data("<svg xmlns=\"http://www.w3.org/2000/svg\"/>".utf8),
            width: 320, height: 240,
            layers: layers ? [FigureOutputLayer(name: hostile, png: png, png2x: png, color: "#1f77b4"),
                              FigureOutputLayer(name: "lymphocyte", png: png, png2x: png, color: "red;}</style>")] : [],
            basePNG: layers ? png : nil, basePNG2x: layers ? png : nil,
            caption: "Scatter of \(hostile) points", altText: "Points of class \(hostile)")
    }

    /// A data file published with the site, its label and description hostile.
    static let predictions = FileOutput(path: "predictions/model_a.csv", data: Data("file,true\nx.jpg,\(hostile)\n".utf8),
                                        label: "Predictions of \(hostile)", description: "Columns for \(hostile).")

    static func document() -> SiteDocument {
        let table = Table(caption: "Counts for \(hostile)", columns: ["Class", "Images", "Share"],
                          rows: [[hostile, "1,218", "7.1%"], ["lymphocyte", "1,214", "—"]], note: "Note about \(hostile)")
        let sections = [
            NotebookSection(id: "audit", title: "Audit of \(hostile)", cells: [
                .markdown("## Counts\n\nThe class **\(hostile)** has `1,218` images.\n\n- first \(hostile)\n- second"),
                .code(source: "audit(classes=[\"\(hostile)\"])", outputs: [
                    .text("printed \(hostile)\nsecond line"), .table(table), .warning("skipped \(hostile)"),
                ]),
                .reference(text: "The study said \(hostile) was fine.", source: "documented study, In [1] \(hostile)"),
            ]),
            NotebookSection(id: "eda", title: "Exploration", cells: [
                .markdown("## Scatter\n\nText with a [link to the audit](audit.html#s-1)."),
                .code(source: "plot()", outputs: [.figure(figure(layers: true)), .figure(figure(layers: false))]),
                .code(source: "predictions.to_csv()", outputs: [.file(predictions)]),
            ]),
        ]
        return SiteDocument(
            notebook: Notebook(title: "Study of \(hostile)", abstract: "Abstract about **\(hostile)**.", sections: sections),
            cards: [Card(title: "Run \(hostile)", rows: [("Profile", hostile)], note: "Card note \(hostile)")],
            results: Table(caption: "Results", columns: ["Result", "Documented", "This run"], rows: [["\(hostile) accuracy", "0.97", "0.95"]]),
            deviations: Table(caption: "Deviations", columns: ["What", "Documented", "This run", "Why"],
                              rows: [["hog.image_size", "360", "64", "because \(hostile)"]]),
            resultsJSON: Data("{}".utf8), footer: "Credit \(hostile)")
    }

    static var repositoryWriter: SiteWriter { SiteWriter(resourceRoot: TestPaths.repositoryRoot) }
}
