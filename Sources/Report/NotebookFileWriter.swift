import Foundation

/// Writes a `Notebook` as a Jupyter notebook file (nbformat 4.5): markdown cells for narrative
/// and quotes, code cells whose outputs are embedded (text as `stream`, tables as `text/html`
/// `display_data`, figures as base64 `image/png`, warnings on `stderr`).
///
/// The code cells are not meant to be re-executed by a Python kernel: they record the
/// configuration or call that produced each output, as the documented study's `In [n]:` cells do.
public struct NotebookFileWriter: Sendable {
    public init() {}

    /// The `.ipynb` JSON for `notebook`.
    public func data(for notebook: Notebook) throws -> Data {
        var cells: [[String: Any]] = []
        var executionCount = 0
        cells.append(markdownCell(id: "title", "# \(notebook.title)\n\n\(notebook.abstract)"))
        for section in notebook.sections {
            cells.append(markdownCell(id: "\(section.id)-title", "## \(section.title)"))
            for (k, cell) in section.cells.enumerated() {
                let id = "\(section.id)-\(k + 1)"
                switch cell {
                case .markdown(let text):
                    cells.append(markdownCell(id: id, demoteHeadings(text)))
                case .reference(let text, let source):
                    let quoted = text.split(separator: "\n", omittingEmptySubsequences: false)
                        .map { "> " + $0 }.joined(separator: "\n")
                    cells.append(markdownCell(id: id, "\(quoted)\n>\n> — *\(source)*"))
                case .code(let source, let outputs):
                    executionCount += 1
                    cells.append([
                        "cell_type": "code", "id": id, "metadata": [String: Any](),
                        "execution_count": executionCount,
                        "source": lines(source),
                        "outputs": outputs.map(output),
                    ])
                }
            }
        }
        let document: [String: Any] = [
            "nbformat": 4, "nbformat_minor": 5,
            "metadata": [
                "kernelspec": ["name": "python3", "display_name": "Python 3", "language": "python"],
                "language_info": ["name": "python"],
                "bloodstudy": ["note": "written by bloodstudy; outputs were computed in Swift"],
            ],
            "cells": cells,
        ]
        return try JSONSerialization.data(withJSONObject: document, options: [.prettyPrinted, .sortedKeys])
    }

    private func markdownCell(id: String, _ text: String) -> [String: Any] {
        ["cell_type": "markdown", "id": id, "metadata": [String: Any](), "source": lines(text)]
    }

    private func output(_ output: CellOutput) -> [String: Any] {
        switch output {
        case .text(let text):
            return ["output_type": "stream", "name": "stdout", "text": lines(text.hasSuffix("\n") ? text : text + "\n")]
        case .warning(let text):
            return ["output_type": "stream", "name": "stderr", "text": lines("Warning: \(text)\n")]
        case .table(let table):
            return ["output_type": "display_data", "metadata": [String: Any](),
                    "data": ["text/html": lines(Self.html(table)), "text/plain": lines(Self.plain(table))]]
        case .file(let file):
            // The notebook sits at the site root, so the file's site path is also its link here.
            let html = "<p><a href=\"\(htmlEscape(file.path))\" download>\(htmlEscape(file.label))</a> (\(htmlEscape(file.sizeText))): \(htmlEscape(file.description))</p>\n"
            return ["output_type": "display_data", "metadata": [String: Any](),
                    "data": ["text/html": lines(html), "text/plain": lines("\(file.label): \(file.path) (\(file.sizeText))\n\(file.description)\n")]]
        case .figure(let figure):
            return ["output_type": "display_data",
                    "metadata": ["image/png": ["width": Int(figure.width.rounded()), "height": Int(figure.height.rounded())]],
                    "data": ["image/png": figure.png2x.base64EncodedString(),
                             "text/plain": lines("\(figure.altText)\n\(figure.caption)")]]
        }
    }

    /// Headings one level down, so the section heading stays the outline's parent.
    private func demoteHeadings(_ text: String) -> String {
        text.split(separator: "\n", omittingEmptySubsequences: false)
            .map { $0.hasPrefix("#") ? "#" + $0 : String($0) }.joined(separator: "\n")
    }

    /// nbformat's multiline strings: a list of lines, each keeping its newline.
    private func lines(_ text: String) -> [String] {
        var out: [String] = []
        var current = ""
        for ch in text {
            current.append(ch)
            if ch == "\n" { out.append(current); current = "" }
        }
        if !current.isEmpty { out.append(current) }
        return out
    }

    /// A table as escaped HTML.
    static func html(_ table: Table) -> String {
        let numeric = table.columns.indices.map { table.isNumeric(column: $0) }
        var s = "<table>\n<caption>\(htmlEscape(table.caption))</caption>\n<thead><tr>"
        for (k, c) in table.columns.enumerated() {
            s += numeric[k] ? "<th style=\"text-align:right\">" : "<th style=\"text-align:left\">"
            s += htmlEscape(c) + "</th>"
        }
        s += "</tr></thead>\n<tbody>\n"
        for row in table.rows {
            s += "<tr>" + row.enumerated().map { k, v in
                (numeric[k] ? "<td style=\"text-align:right\">" : "<td style=\"text-align:left\">") + htmlEscape(v) + "</td>"
            }.joined() + "</tr>\n"
        }
        s += "</tbody>\n</table>\n"
        if let note = table.note { s += "<p>\(htmlEscape(note))</p>\n" }
        return s
    }

    /// A table as aligned plain text.
    static func plain(_ table: Table) -> String {
        let widths = table.columns.indices.map { k in
            ([table.columns[k]] + table.rows.map { $0[k] }).map(\.count).max() ?? 0
        }
        func line(_ cells: [String]) -> String {
            cells.enumerated().map { k, v in v.padding(toLength: widths[k], withPad: " ", startingAt: 0) }
                .joined(separator: "  ")
        }
        return ([table.caption, line(table.columns)] + table.rows.map(line)).joined(separator: "\n") + "\n"
    }
}
