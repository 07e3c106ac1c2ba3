import Foundation

/// Everything the site writer needs: the notebook plus the cards, tables and data files of the
/// front page. Built by the study; Report only lays it out.
public struct SiteDocument: Sendable {
    public var notebook: Notebook
    /// Key–value cards on the front page (for example the dataset card and the run card).
    public var cards: [Card]
    /// The headline numbers: documented value beside this run's.
    public var results: Table
    /// Settings of this run that differ from the documented study (nil when there are none).
    public var deviations: Table?
    /// Written as `results.json` in the site.
    public var resultsJSON: Data
    /// A line in every page's footer (credit and licence of the data).
    public var footer: String
    /// The time of each step of the run, under the cards of the front page (nil: none shown).
    public var steps: Table?

    public init(notebook: Notebook, cards: [Card], results: Table, deviations: Table?,
                resultsJSON: Data, footer: String, steps: Table? = nil) {
        self.notebook = notebook; self.cards = cards; self.results = results
        self.deviations = deviations; self.resultsJSON = resultsJSON; self.footer = footer
        self.steps = steps
    }
}

/// A titled list of key–value rows with an optional markdown note (credit, licence, caveats).
public struct Card: Sendable, Equatable {
    public var title: String
    public var rows: [(key: String, value: String)]
    public var note: String?

    public init(title: String, rows: [(key: String, value: String)], note: String? = nil) {
        self.title = title; self.rows = rows; self.note = note
    }

    public static func == (a: Card, b: Card) -> Bool {
        a.title == b.title && a.note == b.note && a.rows.map(\.key) == b.rows.map(\.key)
            && a.rows.map(\.value) == b.rows.map(\.value)
    }
}
