import Dataset
import Foundation
import Report

extension DocumentedResults {
    /// The lines that open and close the generated part of `docs/results-schema.md`.
    public static let schemaBegin = "<!-- documented-values: generated from DocumentedResults, do not edit by hand -->"
    public static let schemaEnd = "<!-- end of documented-values -->"

    /// The documented values as the schema document lists them (between `schemaBegin` and
    /// `schemaEnd`): every key of the table with its value as `results.json` writes it, the
    /// notebook cell and the definition; then the counts per class.
    public static func schemaMarkdown() -> String {
        var lines = [
            schemaBegin,
            "",
            "Every key the documented study states, with `documented` as `results.json` writes it (`null`: not",
            "printed by the study), the notebook cell it is printed in and what it measures.",
            "",
            "| key | documented | cell | definition |",
            "| --- | --- | --- | --- |",
        ]
        for entry in entries {
            lines.append("| `\(entry.key)` | \(json(entry.value)) | \(entry.cell ?? "—") | \(cell(entry.definition)) |")
        }
        lines += [
            "",
            "Images per class: the whole dataset (\(classCountsSource)) and each part of the split",
            "(\(splitPerClassSource)). Shown beside this run's counts by the audit and the split pages; not keys of `results`.",
            "",
            "| class | images | training | validation | test |",
            "| --- | --- | --- | --- | --- |",
        ]
        let names = BloodCellClass.allCases.map(\.rawValue)
        for name in names + classCounts.keys.filter { !names.contains($0) }.sorted() {
            let split = splitPerClass[name]
            lines.append("| \(name) | \(classCounts[name].map(String.init) ?? "—") | \(split.map { String($0.train) } ?? "—") | "
                         + "\(split.map { String($0.validation) } ?? "—") | \(split.map { String($0.test) } ?? "—") |")
        }
        lines += ["", schemaEnd]
        return lines.joined(separator: "\n") + "\n"
    }

    /// A value as JSON text (`17092`, `0.9665`, `true`, `null`).
    private static func json(_ value: JSONValue) -> String {
        guard let data = try? JSONEncoder().encode(value), let text = String(data: data, encoding: .utf8) else { return "null" }
        return text
    }

    /// Text that stays inside one Markdown table cell.
    private static func cell(_ text: String) -> String {
        text.isEmpty ? "—" : text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
