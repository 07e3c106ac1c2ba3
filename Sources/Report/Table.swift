import Foundation

/// A table of a notebook output or a report card: a caption, column headings and rows of text.
///
/// Cells are plain text; the writers escape them. Columns whose cells all read as numbers are
/// right-aligned so digits line up.
public struct Table: Codable, Sendable, Equatable {
    /// One sentence saying what the table shows (the HTML `<caption>`).
    public var caption: String
    public var columns: [String]
    public var rows: [[String]]
    /// Optional note under the table (a source, a reading hint).
    public var note: String?

    public init(caption: String, columns: [String], rows: [[String]], note: String? = nil) {
        precondition(rows.allSatisfy { $0.count == columns.count },
                     "every row of table '\(caption)' needs \(columns.count) cells")
        self.caption = caption
        self.columns = columns
        self.rows = rows
        self.note = note
    }

    /// Whether column `index` holds only numbers (and dashes for missing values).
    public func isNumeric(column index: Int) -> Bool {
        guard !rows.isEmpty else { return false }
        var sawNumber = false
        for row in rows {
            let text = row[index].trimmingCharacters(in: .whitespaces)
            if text == "—" || text.isEmpty { continue }
            let cleaned = text.replacingOccurrences(of: ",", with: "").replacingOccurrences(of: "%", with: "")
            guard Double(cleaned) != nil else { return false }
            sawNumber = true
        }
        return sawNumber
    }
}
