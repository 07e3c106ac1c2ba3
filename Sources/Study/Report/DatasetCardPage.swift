import Dataset
import Foundation
import Report

/// The dataset card as a page of the report (the datasheet under Gebru et al.'s seven headings,
/// from the card file, with this run's audit under Composition and Preprocessing) and as the
/// short card on the front page.
public struct DatasetCardPage: Sendable {
    /// The page's id (`dataset.html`).
    public static let id = "dataset"
    public static let title = "Dataset card"

    public var located: DatasetCard.Located
    /// This run's audit; nil when the run did not audit the folder.
    public var audit: AuditReport?
    public var fingerprint: DatasetFingerprint

    public init(located: DatasetCard.Located, audit: AuditReport?, fingerprint: DatasetFingerprint) {
        self.located = located; self.audit = audit; self.fingerprint = fingerprint
    }

    var card: DatasetCard { located.card }

    /// What a heading says when the card has no text for it.
    func missing(_ heading: String) -> String {
        located.isKnown
            ? "*Not stated:* the dataset card says nothing about \(heading)."
            : "*Unknown:* this dataset has no card file, so nothing is known about its \(heading). "
                + "Put a `\(DatasetCard.fileName)` in the dataset folder (see `assets/datasets/pbc.card.json`) to fill this in."
    }

    // MARK: Front-page card

    /// The key facts, linking to the full page.
    public var frontCard: Card {
        Card(title: "Dataset", rows: [
            ("Name", card.name),
            ("Creators", card.creators.map { $0 + (card.year.map { " (\($0))" } ?? "") } ?? "unknown"),
            ("Published", card.publication ?? "unknown"),
            ("DOI", card.doi ?? "none stated"),
            ("Licence", card.licence ?? "unknown"),
            ("Files in folder", JSONValue.int(fingerprint.files).description),
            ("Folder fingerprint", fingerprint.short),
        ], note: (located.isKnown
                  ? "The images are under \(card.licence ?? "a licence the card does not state") and are credited wherever the report shows them. They are never copied into the repository."
                  : "No dataset card was found, so the authors and the licence of these images are unknown.")
            + " [The dataset card](\(Self.id).html) has the full datasheet and this run's audit of the folder.")
    }

    // MARK: Page

    public var section: NotebookSection {
        var cells: [Cell] = [
            .markdown("""
                A datasheet for the images this run read, under the headings of Gebru et al., *Datasheets for \
                Datasets* (2021). The text under each heading comes from \(located.sourceText); the numbers \
                under Composition and Preprocessing were measured by this run's data audit.
                """),
            .code(source: "card = DatasetCard.locate(\"\(URL(fileURLWithPath: audit?.root ?? card.name).lastPathComponent)\")",
                  outputs: [.table(identityTable)]),
            .markdown("## Motivation\n\n" + (card.motivation ?? missing("why it was made and by whom"))),
            .markdown("## Composition\n\n" + (card.composition ?? missing("what the images show and how they are labelled"))),
        ]
        cells += auditCells
        cells.append(.markdown("## Collection process\n\n" + (card.collection ?? missing("how, where and from whom the images were collected"))))
        cells.append(.markdown("## Preprocessing\n\n" + (card.preprocessing ?? missing("cleaning or preprocessing before publication"))
                               + "\n\nThis run used every file that decodes as an image, as it is; the audit above lists the others."))
        cells.append(.markdown("## Uses\n\n" + (card.uses ?? missing("the uses it was made for")) + limitsText))
        cells.append(.markdown("## Distribution\n\n" + (card.distribution ?? missing("how it is distributed"))
                               + "\n\nCredit line used on every page of this site: " + card.creditLine))
        cells.append(.markdown("## Maintenance\n\n" + (card.maintenance ?? missing("who maintains it"))))
        return NotebookSection(id: Self.id, title: Self.title, cells: cells)
    }

    var identityTable: Table {
        func stated(_ value: String?) -> String { value ?? (located.isKnown ? "not stated" : "unknown") }
        return Table(caption: "Identity of the dataset", columns: ["Field", "Value"], rows: [
            ["Name", card.name],
            ["Creators", stated(card.creators)],
            ["Year", stated(card.year.map(String.init))],
            ["Published", stated(card.publication)],
            ["DOI", stated(card.doi)],
            ["Where to get it", stated(card.url)],
            ["Licence", stated(card.licence)],
            ["Card", located.sourceText],
            ["Folder fingerprint (SHA-256 of paths and sizes)", fingerprint.sha256.isEmpty ? "not computed" : fingerprint.sha256],
        ])
    }

    var limitsText: String {
        guard let limits = card.knownLimits, !limits.isEmpty else {
            return "\n\nThe card names no limits of the data (population, equipment, site), so where a model trained on it would work is not known."
        }
        return "\n\nWhat the data does not cover (each model card lists these as out-of-scope uses):\n\n"
            + limits.map { "- " + $0 }.joined(separator: "\n")
    }

    /// Counts, imbalance, rejected files, size outliers and duplicates from this run's audit.
    var auditCells: [Cell] {
        guard let r = audit else {
            return [.markdown("### Measured by this run\n\nThis run did not audit the folder, so nothing was measured.")]
        }
        let classes = r.classes.filter { $0.count > 0 }
        var text = "### Measured by this run\n\nThe folder holds \(Fmt.int(r.totalFiles)) files in \(r.classes.count) class folders; "
            + "\(Fmt.int(r.validImages)) decode as images."
        if let largest = classes.max(by: { $0.count < $1.count }), let smallest = classes.min(by: { $0.count < $1.count }),
           largest.count == smallest.count {
            text += " Every class has \(Fmt.int(largest.count)) images: the classes are balanced."
        } else if let largest = classes.max(by: { $0.count < $1.count }), let smallest = classes.min(by: { $0.count < $1.count }) {
            text += " The largest class, \(largest.name), has \(Fmt.int(largest.count)) images and the smallest, \(smallest.name), "
                + "\(Fmt.int(smallest.count)): an imbalance of \(Fmt.fixed(Double(largest.count) / Double(max(1, smallest.count)), 1)) to 1."
        }
        text += " \(count(r.rejected.count, "file is", "files are")) not usable as images"
            + (r.emptyClasses.isEmpty ? "" : " and \(count(r.emptyClasses.count, "class folder has", "class folders have")) no usable image")
            + "; \(count(r.sizeOutliers.count, "image is", "images are")) not of the most common size, \(r.standardWidth)x\(r.standardHeight) pixels;"
            + " \(count(r.duplicates.count, "group", "groups")) of pixel-identical images "
            + (r.duplicates.count == 1 ? "was" : "were") + " found. The [data audit](audit.html) shows each of them."
        let rows = r.classes.map { [$0.name, Fmt.int($0.count), String(format: "%.2f%%", 100 * $0.share)] }
        var outputs: [CellOutput] = [.table(Table(caption: "Images per class in this run's audit", columns: ["Class", "Images", "Share"], rows: rows))]
        let facts: [[String]] = [
            ["Files in the class folders", Fmt.int(r.totalFiles)],
            ["Usable images", Fmt.int(r.validImages)],
            ["Files that are not usable images", Fmt.int(r.rejected.count)],
            ["Class folders without a usable image", Fmt.int(r.emptyClasses.count)],
            ["Images not of the most common size", Fmt.int(r.sizeOutliers.count)],
            ["Groups of pixel-identical images", Fmt.int(r.duplicates.count)],
            ["Images in those groups", Fmt.int(r.duplicates.reduce(0) { $0 + $1.paths.count })],
        ]
        outputs.append(.table(Table(caption: "Integrity of the folder", columns: ["Check", "Count"], rows: facts)))
        return [.markdown(text), .code(source: "report = DatasetAudit.run(root: card.folder)", outputs: outputs)]
    }

    private func count(_ n: Int, _ one: String, _ many: String) -> String {
        "\(Fmt.int(n)) \(n == 1 ? one : many)"
    }
}
