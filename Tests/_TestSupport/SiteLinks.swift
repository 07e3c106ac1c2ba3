import Foundation

/// Walks the pages of a generated site and checks every `href` and `src` (and `srcset` entry).
public enum SiteLinks {
    /// One reference that does not resolve, with the page it is on.
    public struct Broken: CustomStringConvertible, Equatable {
        public var page: String
        public var reference: String
        public var why: String
        public var description: String { "\(page): \(reference) (\(why))" }
    }

    /// Every `href`/`src`/`srcset` of every `.html` file under `root` that does not resolve to a file
    /// of the site (or, for `#anchor`, to an `id` on the target page). External URLs count as broken,
    /// because the site must work offline.
    public static func broken(in root: URL) throws -> (checked: Int, broken: [Broken]) {
        let fm = FileManager.default
        let pages = (fm.enumerator(atPath: root.path)?.allObjects as? [String] ?? []).filter { $0.hasSuffix(".html") }
        var checked = 0
        var broken: [Broken] = []
        for page in pages.sorted() {
            let pageURL = root.appendingPathComponent(page)
            let html = try String(contentsOf: pageURL, encoding: .utf8)
            for reference in references(in: html) {
                checked += 1
                if reference.hasPrefix("data:") { continue }
                if reference.contains("://") || reference.hasPrefix("//") {
                    broken.append(Broken(page: page, reference: reference, why: "external; the site must work offline"))
                    continue
                }
                let parts = reference.split(separator: "#", maxSplits: 1, omittingEmptySubsequences: false)
                let path = String(parts[0]).removingPercentEncoding ?? String(parts[0])
                let target = path.isEmpty ? pageURL : pageURL.deletingLastPathComponent().appendingPathComponent(path)
                guard fm.fileExists(atPath: target.path) else {
                    broken.append(Broken(page: page, reference: reference, why: "no such file"))
                    continue
                }
                if parts.count == 2, !parts[1].isEmpty, target.pathExtension == "html" {
                    let targetHTML = try String(contentsOf: target, encoding: .utf8)
                    if !targetHTML.contains("id=\"\(parts[1])\"") {
                        broken.append(Broken(page: page, reference: reference, why: "no element with that id"))
                    }
                }
            }
        }
        return (checked, broken)
    }

    /// The values of `href`, `src` and each URL of `srcset` attributes (entities decoded).
    public static func references(in html: String) -> [String] {
        var out: [String] = []
        for attribute in ["href", "src", "srcset"] {
            let marker = " \(attribute)=\""
            var rest = Substring(html)
            while let start = rest.range(of: marker) {
                let after = rest[start.upperBound...]
                guard let end = after.firstIndex(of: "\"") else { break }
                let value = String(after[..<end]).replacingOccurrences(of: "&amp;", with: "&")
                if attribute == "srcset" {
                    out += value.split(separator: ",").compactMap { $0.split(separator: " ").first.map(String.init) }
                } else {
                    out.append(value)
                }
                rest = after[end...]
            }
        }
        return out
    }
}
