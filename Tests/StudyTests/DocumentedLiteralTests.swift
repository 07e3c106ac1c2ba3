import Foundation
import Testing
import _TestSupport

/// `DocumentedResults` (the files `Sources/**/DocumentedResults*.swift`) is the only place a
/// documented value of the study may be written: everywhere else reads it from there.
///
/// The set rule. The documented values are the numbers written in those files (in code and in
/// their strings: values, quotes, definitions; notebook cell references `[n]` and numbers that
/// are part of a name such as `patch16-224-in21k` excluded), kept when they are distinctive:
/// at least three significant digits (17092, 44100, 7095, 117, 0.9665, 6.04, 96.61, 866.31), so
/// that 0.97 or 8, which any code may hold for another reason, do not count. Added to them, the
/// study's setting 224 (the networks' input side). Three of these are also common constants of
/// the general-purpose code: ViT-B/16's token width 768 and input side 224, and 0.999 (Adam's
/// default β2, a colour scale's top quantile). They are checked only in `Study` and `bloodstudy`,
/// the code that speaks for the study; in the modules below (which cannot import the table) and
/// the benchmarks they are those constants.
///
/// The study's 40 epochs is not checked: one significant digit, and 40 stands for other things
/// in the same code (the smoke profile's images per class, the synthetic shapes).
@Suite("Documented values live only in DocumentedResults")
struct DocumentedLiteralTests {
    static let root = TestPaths.repositoryRoot.appendingPathComponent("Sources")

    static func swiftFiles() throws -> [URL] {
        let files = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?
            .compactMap { $0 as? URL }.filter { $0.pathExtension == "swift" } ?? []
        return files.sorted { $0.path < $1.path }
    }

    static func isTable(_ file: URL) -> Bool { file.lastPathComponent.hasPrefix("DocumentedResults") }

    /// The distinctive documented values, canonical, each with one place it is written.
    static func documentedValues() throws -> [String: String] {
        var values: [String: String] = [:]
        for file in try swiftFiles() where isTable(file) {
            for number in SwiftNumberScanner.numbers(in: try String(contentsOf: file, encoding: .utf8))
            where SwiftNumberScanner.significantDigits(number.canonical) >= 3 {
                values[number.canonical] = values[number.canonical] ?? "\(file.lastPathComponent):\(number.line)"
            }
        }
        for setting in studySettings { values[setting] = values[setting] ?? "the study's setting" }
        return values
    }

    /// Settings of the study checked although not written in the table.
    static let studySettings = ["224"]
    /// Values that are also constants of the general-purpose code, checked only in these folders.
    static let sharedConstants: Set<String> = ["768", "224", "0.999"]
    static let studyFolders = ["Study", "bloodstudy"]

    /// `path:line: value (documented at …)` for every documented value written outside the table.
    static func offendingLiterals() throws -> [String] {
        let documented = try documentedValues()
        var out: [String] = []
        for file in try swiftFiles() where !isTable(file) {
            let relative = String(file.path.dropFirst(root.deletingLastPathComponent().path.count + 1))
            let folder = relative.split(separator: "/").dropFirst().first.map(String.init) ?? ""
            for number in SwiftNumberScanner.numbers(in: try String(contentsOf: file, encoding: .utf8)) {
                let value = number.canonical
                guard let origin = documented[value] else { continue }
                if sharedConstants.contains(value) && !studyFolders.contains(folder) { continue }
                out.append("\(relative):\(number.line): \(number.text) (documented value, \(origin))")
            }
        }
        return out
    }

    @Test("no documented value is written as a literal in Sources/ outside DocumentedResults*.swift")
    func noDocumentedLiteralsOutsideTheTable() throws {
        let offending = try Self.offendingLiterals()
        #expect(offending.isEmpty, "\(offending.count) documented values written outside DocumentedResults*.swift (read them from DocumentedResults):\n\(offending.joined(separator: "\n"))")
    }

    @Test("the set holds the study's headline numbers and leaves short ones out")
    func theSetOfDocumentedValues() throws {
        let values = try Self.documentedValues()
        for expected in ["17092", "11964", "2564", "44100", "7095", "11318", "117", "343", "768", "224",
                         "0.9665", "0.6408", "6.04", "96.61", "1218", "2182"] {
            #expect(values[expected] != nil, "\(expected) is not in the set")
        }
        for short in ["0.97", "0.13", "8", "40", "184"] { #expect(values[short] == nil, "\(short) should not be in the set") }
    }

    @Test("the scanner reads code and strings, not comments, names or cell references")
    func scanner() {
        let source = #"""
            let a = 17_092 // 7095 in a comment
            /* 11318 /* nested 117 */ still comment */ let b = 0.9665
            let c = "Shape: (17092, 768), 11,318 components; patch16-224-in21k, In [184], resnet18"
            let d = "x \(a + 343) y", e = t.0 + size224
            let f = """
                multi 44100
                """
            let g = #"raw "6.04" here"#
            """#
        let numbers = SwiftNumberScanner.numbers(in: source)
        let found = numbers.map { "\($0.line):\($0.canonical)\($0.inString ? "s" : "")" }
        #expect(found == ["1:17092", "2:0.9665", "3:17092s", "3:768s", "3:11318s", "4:343", "6:44100s", "8:6.04s"])
        #expect(SwiftNumberScanner.significantDigits("44100") == 3 && SwiftNumberScanner.significantDigits("0.0680") == 3)
        #expect(SwiftNumberScanner.canonical("0.96650") == "0.9665" && SwiftNumberScanner.canonical("017") == "17")
    }
}
