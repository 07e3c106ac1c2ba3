import Foundation

/// A deliberately small markdown renderer for the narrative cells of the report.
///
/// Supported: paragraphs (blank-line separated), headings `##`/`###` (rendered one level below
/// the page title), bullet lists (`- `), `**bold**`, `*emphasis*`, `` `code` `` and links
/// `[text](target)`. Everything else is text. All text is HTML-escaped before any markup is
/// added, so data that reaches a narrative cannot inject HTML.
public enum Markdown {
    /// A heading found while rendering, for the page's table of contents.
    public struct Heading: Sendable, Equatable {
        public var anchor: String
        public var text: String
        public var level: Int

        public init(anchor: String, text: String, level: Int) {
            self.anchor = anchor; self.text = text; self.level = level
        }
    }

    /// Renders `source` as HTML. Headings get ids `<anchorPrefix>-<n>` and are appended to `headings`.
    public static func html(_ source: String, anchorPrefix: String = "h", headings: inout [Heading]) -> String {
        var out: [String] = []
        var paragraph: [String] = []
        var list: [String] = []
        func flushParagraph() {
            if !paragraph.isEmpty { out.append("<p>" + inline(paragraph.joined(separator: " ")) + "</p>") }
            paragraph = []
        }
        func flushList() {
            if !list.isEmpty { out.append("<ul>" + list.map { "<li>" + inline($0) + "</li>" }.joined() + "</ul>") }
            list = []
        }
        for rawLine in source.split(separator: "\n", omittingEmptySubsequences: false) {
            let line = rawLine.trimmingCharacters(in: .whitespaces)
            if line.isEmpty { flushParagraph(); flushList(); continue }
            if line.hasPrefix("#") {
                flushParagraph(); flushList()
                let hashes = line.prefix(while: { $0 == "#" }).count
                let text = line.dropFirst(hashes).trimmingCharacters(in: .whitespaces)
                let level = min(6, max(2, hashes + 1))
                let anchor = "\(anchorPrefix)-\(headings.count + 1)"
                headings.append(Heading(anchor: anchor, text: text, level: level))
                out.append("<h\(level) id=\"\(anchor)\">\(inline(text))</h\(level)>")
            } else if line.hasPrefix("- ") || line.hasPrefix("* ") {
                flushParagraph()
                list.append(String(line.dropFirst(2)))
            } else {
                flushList()
                paragraph.append(line)
            }
        }
        flushParagraph(); flushList()
        return out.joined(separator: "\n")
    }

    /// Renders without collecting headings.
    public static func html(_ source: String) -> String {
        var ignored: [Heading] = []
        return html(source, headings: &ignored)
    }

    /// Inline markup of one escaped line.
    static func inline(_ text: String) -> String {
        var s = htmlEscape(text)
        s = replacePairs(in: s, delimiter: "`", open: "<code>", close: "</code>")
        s = replacePairs(in: s, delimiter: "**", open: "<strong>", close: "</strong>")
        s = replacePairs(in: s, delimiter: "*", open: "<em>", close: "</em>")
        return links(in: s)
    }

    private static func replacePairs(in s: String, delimiter: String, open: String, close: String) -> String {
        let parts = s.components(separatedBy: delimiter)
        guard parts.count >= 3 else { return s }
        var out = parts[0]
        var i = 1
        while i < parts.count {
            if i + 1 < parts.count {
                out += open + parts[i] + close + parts[i + 1]
                i += 2
            } else {
                out += delimiter + parts[i]   // unmatched delimiter stays as text
                i += 1
            }
        }
        return out
    }

    /// `[text](target)` → `<a href="target">text</a>`; text and target are already escaped.
    private static func links(in s: String) -> String {
        var out = ""
        var rest = Substring(s)
        while let open = rest.firstIndex(of: "[") {
            guard let mid = rest[open...].range(of: "]("),
                  let end = rest[mid.upperBound...].firstIndex(of: ")") else { break }
            let text = rest[rest.index(after: open)..<mid.lowerBound]
            let target = rest[mid.upperBound..<end]
            out += rest[..<open]
            if target.lowercased().hasPrefix("javascript:") {
                out += text
            } else {
                out += "<a href=\"\(target)\">\(text)</a>"
            }
            rest = rest[rest.index(after: end)...]
        }
        return out + rest
    }
}
