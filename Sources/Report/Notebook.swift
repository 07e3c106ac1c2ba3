import Foundation

/// A study written as a notebook: sections of cells, each cell markdown, a quote from the
/// documented study, or code with the outputs it produced.
///
/// The same model is written as the static site (`SiteWriter`) and as a Jupyter notebook
/// (`NotebookFileWriter`), so both always hold the same text, tables and figures.
public struct Notebook: Codable, Sendable, Equatable {
    public var title: String
    /// A paragraph (markdown) opening the report.
    public var abstract: String
    public var sections: [NotebookSection]

    public init(title: String, abstract: String, sections: [NotebookSection]) {
        self.title = title; self.abstract = abstract; self.sections = sections
    }
}

/// One part of the study, shown as its own page of the site.
public struct NotebookSection: Codable, Sendable, Equatable {
    /// Stable identifier; also the page's file name (`<id>.html`). Lower-case letters, digits, `-`.
    public var id: String
    public var title: String
    public var cells: [Cell]

    public init(id: String, title: String, cells: [Cell]) {
        precondition(Self.isValidID(id), "section id '\(id)' must be lower-case letters, digits and '-'")
        self.id = id; self.title = title; self.cells = cells
    }

    public static func isValidID(_ id: String) -> Bool {
        !id.isEmpty && id != "index" && id.unicodeScalars.allSatisfy {
            ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
        }
    }
}

/// A cell of a notebook section.
public enum Cell: Codable, Sendable, Equatable {
    /// Narrative written from this run's numbers (a small markdown subset, see `Markdown`).
    case markdown(String)
    /// A statement of the documented study, quoted as reference, never as this run's finding.
    /// `source` says where it comes from (for example "documented study, In [211]").
    case reference(text: String, source: String)
    /// The configuration or call that produced `outputs`, like a notebook's `In [n]:` cell.
    case code(source: String, outputs: [CellOutput])
}

/// What a code cell printed or drew.
public enum CellOutput: Codable, Sendable, Equatable {
    /// Printed lines, shown as they would appear in a terminal.
    case text(String)
    case table(Table)
    case figure(FigureOutput)
    /// Something the reader should know about this run (a skipped file, a reduced setting).
    case warning(String)
    /// A data file published with the site and linked from the page (predictions as CSV).
    case file(FileOutput)
}
