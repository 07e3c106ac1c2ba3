import Foundation

/// A number written in Swift source, in code (`17_092`, `0.9665`) or inside a string literal
/// (`"(17092, 768)"`, `"11,318"`), with the line it is on. Comments are not read.
struct SourceNumber: Equatable {
    /// As written, separators included.
    var text: String
    var line: Int
    var inString: Bool

    /// The value with the digit separators (`_` in code, `,` in text) removed, as a canonical
    /// string: an integer without leading zeros, or a decimal without trailing zeros.
    var canonical: String { SwiftNumberScanner.canonical(text.filter { $0 != "_" && $0 != "," }) }
}

/// Finds the numbers of a Swift file the way a reader sees them: number literals in code and
/// numbers inside string literals (interpolations are code again), never in comments.
///
/// Inside strings, a number that continues a word is part of a name and skipped
/// (`patch16-224-in21k`, `resnet18`, `IMAGENET1K_V1`, `v1.2`), as is a notebook cell reference
/// written `[n]` (`In [184]`).
enum SwiftNumberScanner {
    static func numbers(in source: String) -> [SourceNumber] {
        let s = Array(source.unicodeScalars)
        var out: [SourceNumber] = []
        var line = 1
        var i = 0
        enum Mode { case code(parens: Int, interpolation: Bool), string(multiline: Bool, hashes: Int) }
        var stack: [Mode] = [.code(parens: 0, interpolation: false)]

        func at(_ k: Int) -> Unicode.Scalar? { k >= 0 && k < s.count ? s[k] : nil }
        func isDigit(_ c: Unicode.Scalar?) -> Bool { c.map { $0 >= "0" && $0 <= "9" } ?? false }
        func isLetter(_ c: Unicode.Scalar?) -> Bool { c.map { CharacterSet.letters.contains($0) } ?? false }
        func isIdentifier(_ c: Unicode.Scalar?) -> Bool { isLetter(c) || isDigit(c) || c == "_" || c == "$" }
        func count(_ c: Unicode.Scalar, from k: Int) -> Int { var n = 0; while at(k + n) == c { n += 1 }; return n }
        func text(_ a: Int, _ b: Int) -> String { String(String.UnicodeScalarView(s[a..<b])) }

        while i < s.count {
            let c = s[i]
            if c == "\n" { line += 1 }
            switch stack[stack.count - 1] {
            case .code(let parens, let interpolation):
                if c == "/" && at(i + 1) == "/" {
                    while i < s.count && s[i] != "\n" { i += 1 }
                    continue
                }
                if c == "/" && at(i + 1) == "*" {
                    var depth = 0
                    repeat {
                        if s[i] == "/" && at(i + 1) == "*" { depth += 1; i += 2; continue }
                        if s[i] == "*" && at(i + 1) == "/" { depth -= 1; i += 2; continue }
                        if s[i] == "\n" { line += 1 }
                        i += 1
                    } while depth > 0 && i < s.count
                    continue
                }
                if c == "#" || c == "\"" {
                    let hashes = count("#", from: i)
                    if at(i + hashes) == "\"" {
                        let multiline = count("\"", from: i + hashes) >= 3
                        stack.append(.string(multiline: multiline, hashes: hashes))
                        i += hashes + (multiline ? 3 : 1)
                        continue
                    }
                    i += max(hashes, 1)
                    continue
                }
                if c == "(" { stack[stack.count - 1] = .code(parens: parens + 1, interpolation: interpolation) }
                if c == ")" {
                    if interpolation && parens == 0 { stack.removeLast(); i += 1; continue }
                    stack[stack.count - 1] = .code(parens: parens - 1, interpolation: interpolation)
                }
                if isDigit(c) && !isIdentifier(at(i - 1)) && at(i - 1) != "." {
                    let start = i
                    if c == "0" && (at(i + 1) == "x" || at(i + 1) == "b" || at(i + 1) == "o") {
                        i += 2
                        while isIdentifier(at(i)) { i += 1 }
                        continue
                    }
                    while isDigit(at(i)) || at(i) == "_" { i += 1 }
                    if at(i) == "." && isDigit(at(i + 1)) {
                        i += 1
                        while isDigit(at(i)) || at(i) == "_" { i += 1 }
                    }
                    if (at(i) == "e" || at(i) == "E") && (isDigit(at(i + 1)) || ((at(i + 1) == "-" || at(i + 1) == "+") && isDigit(at(i + 2)))) {
                        i += 2
                        while isDigit(at(i)) { i += 1 }
                    }
                    out.append(SourceNumber(text: text(start, i), line: line, inString: false))
                    continue
                }
                if isIdentifier(c) {
                    while isIdentifier(at(i)) { i += 1 }
                    continue
                }
                i += 1

            case .string(let multiline, let hashes):
                if c == "\\" && count("#", from: i + 1) >= hashes {
                    let next = at(i + 1 + hashes)
                    if next == "(" {
                        stack.append(.code(parens: 0, interpolation: true))
                        i += hashes + 2
                    } else {
                        if next == "\n" { line += 1 }
                        i += hashes + 2
                    }
                    continue
                }
                if c == "\"" {
                    let quotes = multiline ? 3 : 1
                    if count("\"", from: i) >= quotes && count("#", from: i + quotes) >= hashes {
                        stack.removeLast()
                        i += quotes + hashes
                        continue
                    }
                }
                if isDigit(c) && !isDigit(at(i - 1)) {
                    let start = i
                    while isDigit(at(i)) { i += 1 }
                    // Thousands groups ("11,318"): a comma then exactly three digits.
                    while at(i) == "," && isDigit(at(i + 1)) && isDigit(at(i + 2)) && isDigit(at(i + 3)) && !isDigit(at(i + 4)) { i += 4 }
                    if at(i) == "." && isDigit(at(i + 1)) {
                        i += 1
                        while isDigit(at(i)) { i += 1 }
                    }
                    let before = at(start - 1)
                    let inWord = isLetter(before) || before == "_" || before == "." || before == "/"
                        || (before == "-" && (isLetter(at(start - 2)) || isDigit(at(start - 2))))
                    let cellReference = before == "[" && at(i) == "]"
                    if !inWord && !cellReference {
                        out.append(SourceNumber(text: text(start, i), line: line, inString: true))
                    }
                    continue
                }
                i += 1
            }
        }
        return out
    }

    /// `"017092"` → `"17092"`, `"0.96650"` → `"0.9665"`, `"6.0"` → `"6"`, `"1e-4"` unchanged.
    static func canonical(_ number: String) -> String {
        guard !number.contains("e"), !number.contains("E") else { return number }
        var parts = number.split(separator: ".", omittingEmptySubsequences: false).map(String.init)
        var whole = String(parts[0].drop { $0 == "0" })
        if whole.isEmpty { whole = "0" }
        guard parts.count == 2 else { return whole }
        while parts[1].hasSuffix("0") { parts[1].removeLast() }
        return parts[1].isEmpty ? whole : whole + "." + parts[1]
    }

    /// Significant digits of a canonical number: `17092` 5, `44100` 3, `0.9665` 4, `6.04` 3, `40` 1.
    static func significantDigits(_ canonical: String) -> Int {
        var digits = canonical.filter(\.isNumber).drop { $0 == "0" }
        if !canonical.contains(".") { while digits.last == "0" { digits.removeLast() } }
        return digits.count
    }
}
