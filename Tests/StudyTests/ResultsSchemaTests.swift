import Foundation
import Report
import Study
import Testing
import _TestSupport

/// `docs/results-schema.md` lists the documented values exactly as the table (`DocumentedResults`)
/// holds them, and the table is complete: every entry with its cell and definition.
///
/// After changing the table, regenerate the document's part:
///   BLOODSTUDY_UPDATE_SCHEMA=1 swift test --filter ResultsSchemaTests
@Suite("results.json schema document and the documented table")
struct ResultsSchemaTests {
    static let document = TestPaths.repositoryRoot.appendingPathComponent("docs/results-schema.md")
    static let update = ProcessInfo.processInfo.environment["BLOODSTUDY_UPDATE_SCHEMA"] == "1"

    /// The range of the generated part, markers included, in `text`.
    static func generatedRange(in text: String) -> Range<String.Index>? {
        guard let begin = text.range(of: DocumentedResults.schemaBegin),
              let end = text.range(of: DocumentedResults.schemaEnd, range: begin.upperBound..<text.endIndex) else { return nil }
        let afterEnd = text[end.upperBound...].hasPrefix("\n") ? text.index(after: end.upperBound) : end.upperBound
        return begin.lowerBound..<afterEnd
    }

    @Test("docs/results-schema.md's documented values are generated from DocumentedResults")
    func schemaDocumentMatchesTheTable() throws {
        var text = try String(contentsOf: Self.document, encoding: .utf8)
        let range = try #require(Self.generatedRange(in: text),
                                 "docs/results-schema.md has no part between \(DocumentedResults.schemaBegin) and \(DocumentedResults.schemaEnd)")
        let generated = DocumentedResults.schemaMarkdown()
        if Self.update {
            text.replaceSubrange(range, with: generated)
            try text.write(to: Self.document, atomically: true, encoding: .utf8)
            return
        }
        let written = String(text[range])
        let firstDifference = zip(written.split(separator: "\n", omittingEmptySubsequences: false),
                                  generated.split(separator: "\n", omittingEmptySubsequences: false))
            .first { $0 != $1 }.map { "document: \($0.0)\ntable:    \($0.1)" } ?? "(one is longer)"
        #expect(written == generated,
                "docs/results-schema.md disagrees with DocumentedResults; run BLOODSTUDY_UPDATE_SCHEMA=1 swift test --filter ResultsSchemaTests. First difference:\n\(firstDifference)")
    }

    @Test("every entry has a unique key, a definition, and a cell when the study printed a number")
    func everyEntryIsDefined() {
        let keys = DocumentedResults.entries.map(\.key)
        #expect(Set(keys).count == keys.count, "duplicate keys")
        for entry in DocumentedResults.entries {
            #expect(!entry.definition.isEmpty, "\(entry.key) has no definition")
            if entry.value.number != nil {
                #expect(entry.cell != nil, "\(entry.key) has a documented number but no notebook cell")
            }
            if entry.value == .null { #expect(entry.cell == nil || entry.definition.contains("not printed as a number"), "\(entry.key)") }
        }
        #expect(DocumentedResults.entry("pca.hog.n95")?.cell == "In [184]")
        #expect(DocumentedResults.Entry(key: "k", label: "l", value: 1, source: "In [190] and text").cell == "In [190]")
        #expect(DocumentedResults.Entry(key: "k", label: "l", value: 1, source: "[Test] line").cell == nil)
    }

    @Test("the per-class counts add up to the documented image count")
    func classCountsAddUp() {
        #expect(DocumentedResults.classCounts.count == 8)
        #expect(DocumentedResults.classCounts.values.reduce(0, +) == DocumentedResults.int("dataset.valid_images"))
        #expect(DocumentedResults.auditCounts.total == DocumentedResults.int("dataset.valid_images"))
        for (name, split) in DocumentedResults.splitPerClass {
            #expect(split.train + split.validation + split.test == DocumentedResults.classCounts[name], "\(name)")
        }
    }
}
