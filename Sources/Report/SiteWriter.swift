import Foundation
import Mustache

/// Writes a `SiteDocument` as a static site: `index.html`, one page per section, figures,
/// `results.json`, `study.ipynb`, and a copy of `assets/`. Works from `file://` (no CDN, no fonts).
///
/// Pages come from the Mustache templates `index`, `section` and their partials in the templates
/// folder. Every string from the document reaches a page through Mustache's `{{...}}` (escaped) or,
/// for narrative, through `Markdown.html`, which escapes before adding markup.
public struct SiteWriter: Sendable {
    /// Where the templates and assets are read from.
    public var templates: URL
    public var assets: URL

    public init(templates: URL, assets: URL) {
        self.templates = templates; self.assets = assets
    }

    /// The repository's `templates/` and `assets/` under `root` (by default the current folder).
    public init(resourceRoot root: URL) {
        self.init(templates: root.appendingPathComponent("templates"), assets: root.appendingPathComponent("assets"))
    }

    /// Builds the whole site for `document` in a temporary folder and swaps it in at `out`.
    /// A failure leaves a previous site at `out` untouched.
    public func write(_ document: SiteDocument, to out: URL) throws {
        let library = try loadTemplates()
        let folder = SiteFolder(out)
        folder.removeLeftovers()
        try folder.replace { root in
            try writePages(document, library: library, into: root)
        }
    }

    /// Writes every file of the site into `root` (an empty folder).
    func writePages(_ document: SiteDocument, library: MustacheLibrary, into root: URL) throws {
        try copyAssets(into: root.appendingPathComponent("assets"))
        let figures = root.appendingPathComponent("figures")
        try FileOps.createDirectory(figures)

        let sections = document.notebook.sections
        let nav: (String?) -> [[String: Any]] = { current in
            sections.map { ["href": "\($0.id).html", "title": $0.title, "current": $0.id == current] }
        }
        let common: [String: Any] = [
            "siteTitle": document.notebook.title,
            "footer": document.footer,
        ]

        // Front page.
        var index = common
        index["pageTitle"] = document.notebook.title
        index["isIndex"] = true
        index["nav"] = nav(nil)
        index["abstractHTML"] = Markdown.html(document.notebook.abstract)
        index["cards"] = document.cards.map { card -> [String: Any] in
            ["cardTitle": card.title,
             "rows": card.rows.map { ["key": $0.key, "value": $0.value] },
             "cardNote": card.note.map { Markdown.html($0) } ?? false]
        }
        index["results"] = tableContext(document.results, anchor: "results")
        index["steps"] = document.steps.map { tableContext($0, anchor: "steps") } ?? false
        index["deviations"] = document.deviations.map { tableContext($0, anchor: "deviations") } ?? false
        index["sectionList"] = sections.map { ["href": "\($0.id).html", "title": $0.title] }
        if let first = sections.first { index["next"] = ["href": "\(first.id).html", "title": first.title] }
        try render(library, "index", index, to: root.appendingPathComponent("index.html"))

        // One page per section.
        for (position, section) in sections.enumerated() {
            var page = common
            page["pageTitle"] = "\(section.title) — \(document.notebook.title)"
            page["sectionTitle"] = section.title
            page["nav"] = nav(section.id)
            var toc: [[String: Any]] = []
            page["cells"] = try cellContexts(section, figuresFolder: figures, siteRoot: root, toc: &toc)
            page["toc"] = toc
            page["hasToc"] = !toc.isEmpty
            if position > 0 {
                page["prev"] = ["href": "\(sections[position - 1].id).html", "title": sections[position - 1].title]
            } else {
                page["prev"] = ["href": "index.html", "title": "Overview"]
            }
            if position + 1 < sections.count {
                page["next"] = ["href": "\(sections[position + 1].id).html", "title": sections[position + 1].title]
            } else {
                page["next"] = false
            }
            try render(library, "section", page, to: root.appendingPathComponent("\(section.id).html"))
        }

        try FileOps.write(document.resultsJSON, to: root.appendingPathComponent("results.json"), atomic: false)
        try FileOps.write(NotebookFileWriter().data(for: document.notebook), to: root.appendingPathComponent("study.ipynb"), atomic: false)
    }

    // MARK: Contexts for the templates

    private func cellContexts(_ section: NotebookSection, figuresFolder: URL, siteRoot: URL,
                              toc: inout [[String: Any]]) throws -> [[String: Any]] {
        var headings: [Markdown.Heading] = []
        var figureCount = 0, tableCount = 0
        var cells: [[String: Any]] = []
        for cell in section.cells {
            switch cell {
            case .markdown(let text):
                let before = headings.count
                let html = Markdown.html(text, anchorPrefix: "s", headings: &headings)
                for h in headings[before...] { toc.append(["anchor": h.anchor, "text": h.text, "sub": h.level > 3]) }
                cells.append(["isMarkdown": true, "html": html])
            case .reference(let text, let source):
                cells.append(["isReference": true, "html": Markdown.html(text), "source": source])
            case .code(let source, let outputs):
                var outs: [[String: Any]] = []
                for output in outputs {
                    switch output {
                    case .text(let text): outs.append(["isText": true, "text": text])
                    case .warning(let text): outs.append(["isWarning": true, "text": text])
                    case .file(let file):
                        try Self.writeFile(file, into: siteRoot)
                        outs.append(["fileOutput": ["href": file.path, "label": file.label, "size": file.sizeText,
                                                    "description": file.description]])
                    case .table(let table):
                        tableCount += 1
                        let anchor = "table-\(tableCount)"
                        toc.append(["anchor": anchor, "text": "Table \(tableCount): \(table.caption)", "sub": true])
                        var ctx = tableContext(table, anchor: anchor)
                        ctx["label"] = "Table \(tableCount)."
                        outs.append(["tableOutput": ctx])
                    case .figure(let figure):
                        figureCount += 1
                        let anchor = "figure-\(figureCount)"
                        toc.append(["anchor": anchor, "text": "Figure \(figureCount): \(figure.caption)", "sub": true])
                        outs.append(["figureOutput": try figureContext(figure, section: section.id, number: figureCount,
                                                                        anchor: anchor, folder: figuresFolder)])
                    }
                }
                cells.append(["isCode": true, "source": source, "outputs": outs, "hasOutputs": !outs.isEmpty])
            }
        }
        return cells
    }

    private func tableContext(_ table: Table, anchor: String) -> [String: Any] {
        let numeric = table.columns.indices.map { table.isNumeric(column: $0) }
        return [
            "anchor": anchor,
            "caption": table.caption,
            "label": false,
            "headers": table.columns.enumerated().map { ["text": $1, "num": numeric[$0]] },
            "rows": table.rows.map { row in
                ["cells": row.enumerated().map { ["text": $1, "num": numeric[$0], "first": $0 == 0] }]
            },
            "tableNote": table.note ?? false,
            // Eight columns or more: laid out wider and smaller (site.css, `.table-wrap.wide`).
            "wide": table.columns.count >= 8,
        ]
    }

    private func figureContext(_ figure: FigureOutput, section: String, number: Int, anchor: String,
                               folder: URL) throws -> [String: Any] {
        let stem = "\(section)-\(number)"
        func save(_ data: Data, _ name: String) throws -> String {
            try FileOps.write(data, to: folder.appendingPathComponent(name), atomic: false)
            return "figures/\(name)"
        }
        var ctx: [String: Any] = [
            "anchor": anchor,
            "label": "Figure \(number).",
            "caption": figure.caption,
            "alt": figure.altText,
            "width": Int(figure.width.rounded()),
            "height": Int(figure.height.rounded()),
            "src": try save(figure.png, "\(stem).png"),
            "src2x": try save(figure.png2x, "\(stem)@2x.png"),
            "svg": figure.svg.isEmpty ? false : try save(figure.svg, "\(stem).svg"),
            "toggleable": figure.isToggleable,
        ]
        if figure.isToggleable, let base = figure.basePNG {
            ctx["base"] = try save(base, "\(stem)-base.png")
            ctx["base2x"] = try save(figure.basePNG2x ?? base, "\(stem)-base@2x.png")
            ctx["layers"] = try figure.layers.enumerated().map { k, layer -> [String: Any] in
                ["name": layer.name, "color": layer.color.map(Self.safeColor) ?? false, "layerID": "\(anchor)-layer-\(k)",
                 "layerSrc": try save(layer.png, "\(stem)-layer\(k).png"),
                 "layerSrc2x": try save(layer.png2x, "\(stem)-layer\(k)@2x.png")]
            }
        }
        return ctx
    }

    /// A legend colour as CSS: `#rgb`/`#rrggbb` only, anything else becomes grey.
    static func safeColor(_ text: String) -> String {
        let hex = text.dropFirst()
        let ok = text.hasPrefix("#") && (hex.count == 3 || hex.count == 6) && hex.allSatisfy(\.isHexDigit)
        return ok ? text : "#888888"
    }

    // MARK: Files

    /// Writes a section's data file at its relative path under the site root.
    static func writeFile(_ file: FileOutput, into root: URL) throws {
        // The path was checked when the output was made; check again, as a cached result is decoded.
        guard FileOutput.isValidPath(file.path) else { throw ReportError.badFilePath(file.path) }
        let url = root.appendingPathComponent(file.path)
        try FileOps.createDirectory(url.deletingLastPathComponent())
        try FileOps.write(file.data, to: url, atomic: false)
    }

    /// Reads and parses every template; throws naming the file that is missing or does not parse.
    public func loadTemplates() throws -> MustacheLibrary {
        let fm = FileManager.default
        guard fm.fileExists(atPath: templates.path) else { throw ReportError.missingResource(path: templates.path) }
        var library = MustacheLibrary()
        let names = try fm.contentsOfDirectory(atPath: templates.path).filter { $0.hasSuffix(".mustache") }
        for name in names {
            let text = try String(contentsOf: templates.appendingPathComponent(name), encoding: .utf8)
            do {
                try library.register(text, named: String(name.dropLast(".mustache".count)))
            } catch {
                throw ReportError.badTemplate(name: name, detail: "\(error)")
            }
        }
        for required in ["index", "section"] where library.getTemplate(named: required) == nil {
            throw ReportError.missingResource(path: templates.appendingPathComponent("\(required).mustache").path)
        }
        return library
    }

    private func render(_ library: MustacheLibrary, _ name: String, _ context: [String: Any], to url: URL) throws {
        guard let html = library.render(context, withTemplate: name) else {
            throw ReportError.missingResource(path: templates.appendingPathComponent("\(name).mustache").path)
        }
        try FileOps.write(Data(html.utf8), to: url, atomic: false)
    }

    private func copyAssets(into target: URL) throws {
        let fm = FileManager.default
        guard fm.fileExists(atPath: assets.path) else { throw ReportError.missingResource(path: assets.path) }
        for required in ["site.css", "site.js"] where !fm.fileExists(atPath: assets.appendingPathComponent(required).path) {
            throw ReportError.missingResource(path: assets.appendingPathComponent(required).path)
        }
        try FileOps.copy(assets, to: target)
        // Dataset cards of other datasets (assets/datasets/) are the program's, not this site's:
        // the site credits only the dataset it shows.
        FileOps.removeIfPossible(target.appendingPathComponent("datasets"))
    }
}
