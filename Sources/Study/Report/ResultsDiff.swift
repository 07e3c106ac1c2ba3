import Foundation
import Report

/// What changed between two runs' `results.json` (`bloodstudy diff A B`): the run settings that
/// differ and every result key whose value changed, added or went away, each number with its
/// bootstrap 95% interval where the run published one (`<key>.ci95_low` / `.ci95_high`, shown in
/// the row of `<key>`, not as rows of their own). As Markdown for a pull request or as a page.
///
///     let diff = try ResultsDiff(a: URL(fileURLWithPath: "site-main"), b: URL(fileURLWithPath: "site-branch"))
///     print(diff.markdown())
public struct ResultsDiff: Sendable {
    /// One side of the comparison, read from a `results.json` (or a site folder holding one).
    public struct Run: Sendable {
        public var source: String
        public var settings: [(name: String, value: String)]
        public var values: [String: JSONValue]
        public var labels: [String: String]
        public var timings: [String: Double]
    }

    public struct Row: Sendable, Equatable {
        public var key: String
        public var label: String
        public var a: JSONValue?
        public var b: JSONValue?
        public var intervalA: (low: Double, high: Double)?
        public var intervalB: (low: Double, high: Double)?

        public static func == (x: Row, y: Row) -> Bool {
            x.key == y.key && x.label == y.label && x.a == y.a && x.b == y.b
                && x.intervalA.map { [$0.low, $0.high] } == y.intervalA.map { [$0.low, $0.high] }
                && x.intervalB.map { [$0.low, $0.high] } == y.intervalB.map { [$0.low, $0.high] }
        }

        /// B − A when both are numbers.
        public var change: Double? {
            guard let a = a?.number, let b = b?.number else { return nil }
            return b - a
        }

        /// B lies outside A's interval (or A outside B's): a change larger than the test set's noise.
        public var beyondInterval: Bool {
            guard let a = a?.number, let b = b?.number else { return false }
            if let i = intervalA, b < i.low || b > i.high { return true }
            if let i = intervalB, a < i.low || a > i.high { return true }
            return false
        }
    }

    public let a: Run
    public let b: Run
    /// Settings whose value differs (name, A, B).
    public let settings: [(name: String, a: String, b: String)]
    /// Every result key whose value changed, was added or was removed, sorted by key.
    public let rows: [Row]
    /// Result keys compared (interval keys folded into their metric).
    public let comparedKeys: Int

    static let intervalSuffixes = [".ci95_low", ".ci95_high"]

    public init(a: URL, b: URL, includeTimings: Bool = false) throws {
        try self.init(a: Self.load(a), b: Self.load(b), includeTimings: includeTimings)
    }

    public init(a: Run, b: Run, includeTimings: Bool = false) {
        self.a = a; self.b = b
        let names = a.settings.map(\.name) + b.settings.map(\.name).filter { n in !a.settings.contains { $0.name == n } }
        settings = names.compactMap { name in
            let va = a.settings.first { $0.name == name }?.value ?? "—", vb = b.settings.first { $0.name == name }?.value ?? "—"
            return va == vb ? nil : (name, va, vb)
        }
        func isInterval(_ key: String) -> Bool { Self.intervalSuffixes.contains { key.hasSuffix($0) } }
        func interval(_ run: Run, _ key: String) -> (low: Double, high: Double)? {
            guard let low = run.values[key + ".ci95_low"]?.number, let high = run.values[key + ".ci95_high"]?.number else { return nil }
            return (low, high)
        }
        var keys = Set(a.values.keys).union(b.values.keys).filter { !isInterval($0) }
        // An interval whose metric key is absent still gets compared, under its own key.
        for key in Set(a.values.keys).union(b.values.keys) where isInterval(key) {
            let base = Self.intervalSuffixes.reduce(key) { $0.hasSuffix($1) ? String($0.dropLast($1.count)) : $0 }
            if a.values[base] == nil && b.values[base] == nil { keys.insert(key) }
        }
        var rows: [Row] = []
        for key in keys.sorted() {
            let va = a.values[key], vb = b.values[key]
            let ia = interval(a, key), ib = interval(b, key)
            let intervalChanged = ia.map { [$0.low, $0.high] } != ib.map { [$0.low, $0.high] }
            guard va != vb || intervalChanged else { continue }
            rows.append(Row(key: key, label: b.labels[key] ?? a.labels[key] ?? key, a: va, b: vb, intervalA: ia, intervalB: ib))
        }
        if includeTimings {
            for step in Set(a.timings.keys).union(b.timings.keys).sorted() {
                let ta = a.timings[step].map(JSONValue.double), tb = b.timings[step].map(JSONValue.double)
                guard ta != tb else { continue }
                rows.append(Row(key: "timings_s.\(step)", label: "Wall seconds of step \(step)", a: ta, b: tb, intervalA: nil, intervalB: nil))
            }
        }
        self.rows = rows
        comparedKeys = keys.count
    }

    /// Reads `url` (a `results.json`, or a folder with one); a clear error naming the file otherwise.
    public static func load(_ url: URL) throws -> Run {
        var isFolder: ObjCBool = false
        guard FileManager.default.fileExists(atPath: url.path, isDirectory: &isFolder) else {
            throw StudyError.badConfig(file: url.path, detail: "no such file or folder (give a site folder or its results.json)")
        }
        let file = isFolder.boolValue ? url.appendingPathComponent("results.json") : url
        guard let data = FileManager.default.contents(atPath: file.path) else {
            throw StudyError.badConfig(file: file.path, detail: "cannot be read" + (isFolder.boolValue ? " (is this a bloodstudy site folder?)" : ""))
        }
        struct Entry: Decodable {
            var label: String?
            var thisRun: JSONValue?
            enum CodingKeys: String, CodingKey { case label, thisRun = "this_run" }
        }
        struct File: Decodable {
            var schema: Int?
            var program: String?
            var profile: String?
            var seed: UInt64?
            var datasetHash: String?
            var datasetFiles: Int?
            var generatedAt: String?
            var timingsS: [String: Double]?
            var results: [String: Entry]
            enum CodingKeys: String, CodingKey {
                case schema, program, profile, seed, results
                case datasetHash = "dataset_hash", datasetFiles = "dataset_files", generatedAt = "generated_at", timingsS = "timings_s"
            }
        }
        let parsed: File
        do { parsed = try JSONDecoder().decode(File.self, from: data) } catch {
            throw StudyError.badConfig(file: file.path, detail: "not a bloodstudy results.json: \(Self.reason(error))")
        }
        var settings: [(String, String)] = []
        if let v = parsed.program { settings.append(("program", v)) }
        if let v = parsed.schema { settings.append(("schema", String(v))) }
        if let v = parsed.profile { settings.append(("profile", v)) }
        if let v = parsed.seed { settings.append(("seed", String(v))) }
        if let v = parsed.datasetHash { settings.append(("dataset_hash", String(v.prefix(16)))) }
        if let v = parsed.datasetFiles { settings.append(("dataset_files", String(v))) }
        return Run(source: file.path, settings: settings,
                   values: parsed.results.mapValues { $0.thisRun ?? .null },
                   labels: parsed.results.compactMapValues(\.label), timings: parsed.timingsS ?? [:])
    }

    private static func reason(_ error: Error) -> String {
        switch error {
        case DecodingError.keyNotFound(let key, _): "no '\(key.stringValue)' field"
        case DecodingError.typeMismatch(_, let context), DecodingError.dataCorrupted(let context):
            context.codingPath.map(\.stringValue).joined(separator: ".") + ": " + context.debugDescription
        default: "\(error)"
        }
    }

    // MARK: text

    /// A number as the table shows it: integers grouped, reals with up to 6 significant digits.
    static func text(_ value: JSONValue?) -> String {
        guard let value else { return "(absent)" }
        switch value {
        case .double(let d): return d.isFinite ? String(format: "%.6g", d) : "—"
        case .null: return "null"
        default: return value.description
        }
    }

    static func text(_ value: JSONValue?, _ interval: (low: Double, high: Double)?) -> String {
        guard let interval else { return text(value) }
        return "\(text(value)) [\(String(format: "%.4g", interval.low)), \(String(format: "%.4g", interval.high))]"
    }

    static func changeText(_ row: Row) -> String {
        guard let change = row.change else {
            return row.a == nil ? "added" : row.b == nil ? "removed" : "changed"
        }
        if change == 0 { return "0 (interval changed)" }
        let sign = change > 0 ? "+" : ""
        return "\(sign)\(String(format: "%.4g", change))" + (row.beyondInterval ? " (beyond the 95% interval)" : "")
    }

    /// Markdown: the settings that differ, then one row per changed key, ready for a pull request.
    public func markdown() -> String {
        func cell(_ s: String) -> String { s.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ") }
        var lines = ["### bloodstudy diff", "",
                     "A: `\(cell(a.source))`  ", "B: `\(cell(b.source))`", ""]
        if !settings.isEmpty {
            lines += ["| Setting | A | B |", "| --- | --- | --- |"]
            lines += settings.map { "| \(cell($0.name)) | \(cell($0.a)) | \(cell($0.b)) |" }
            lines.append("")
        }
        let withIntervals = rows.filter { $0.intervalA != nil || $0.intervalB != nil }.count
        lines.append("\(rows.count) of \(comparedKeys) result keys changed"
                     + (withIntervals > 0 ? "; \(withIntervals) with a bootstrap 95% interval in brackets, and \(rows.filter(\.beyondInterval).count) of those moved beyond it." : "."))
        guard !rows.isEmpty else { return lines.joined(separator: "\n") + "\n" }
        lines += ["", "| Key | What | A | B | Change |", "| --- | --- | ---: | ---: | --- |"]
        for r in rows {
            lines.append("| `\(cell(r.key))` | \(cell(r.label)) | \(cell(Self.text(r.a, r.intervalA))) | \(cell(Self.text(r.b, r.intervalB))) | \(cell(Self.changeText(r))) |")
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// The same as a standalone page (no scripts, no external files; every string escaped).
    public func html() -> String {
        func e(_ s: String) -> String { htmlEscape(s) }
        var body = "<h1>bloodstudy diff</h1>\n<p>A: <code>\(e(a.source))</code><br>B: <code>\(e(b.source))</code></p>\n"
        if !settings.isEmpty {
            body += "<table><caption>Settings that differ</caption><thead><tr><th scope=\"col\">Setting</th><th scope=\"col\">A</th><th scope=\"col\">B</th></tr></thead><tbody>\n"
            body += settings.map { "<tr><td>\(e($0.name))</td><td>\(e($0.a))</td><td>\(e($0.b))</td></tr>" }.joined(separator: "\n")
            body += "\n</tbody></table>\n"
        }
        body += "<p>\(rows.count) of \(comparedKeys) result keys changed. Numbers in brackets: the bootstrap 95% interval of that run.</p>\n"
        if !rows.isEmpty {
            body += "<table><caption>Result keys whose value changed</caption><thead><tr><th scope=\"col\">Key</th><th scope=\"col\">What</th><th scope=\"col\">A</th><th scope=\"col\">B</th><th scope=\"col\">Change</th></tr></thead><tbody>\n"
            body += rows.map { r in
                "<tr\(r.beyondInterval ? " class=\"beyond\"" : "")><td><code>\(e(r.key))</code></td><td>\(e(r.label))</td><td class=\"n\">\(e(Self.text(r.a, r.intervalA)))</td><td class=\"n\">\(e(Self.text(r.b, r.intervalB)))</td><td>\(e(Self.changeText(r)))</td></tr>"
            }.joined(separator: "\n")
            body += "\n</tbody></table>\n"
        }
        return """
            <!DOCTYPE html>
            <html lang="en">
            <head>
            <meta charset="utf-8">
            <meta name="viewport" content="width=device-width, initial-scale=1">
            <title>bloodstudy diff</title>
            <style>
            body { font-family: system-ui, sans-serif; margin: 2rem auto; max-width: 72rem; padding: 0 1rem; color: #222; }
            table { border-collapse: collapse; margin: 1rem 0; width: 100%; font-size: 0.9rem; }
            caption { text-align: left; font-weight: 600; margin-bottom: 0.4rem; }
            th, td { border-bottom: 1px solid #ddd; padding: 0.3rem 0.5rem; text-align: left; vertical-align: top; overflow-wrap: anywhere; }
            td.n { text-align: right; font-variant-numeric: tabular-nums; white-space: nowrap; }
            tr.beyond td { background: #fff4e5; }
            </style>
            </head>
            <body>
            \(body)</body>
            </html>

            """
    }
}
