/// Text for the markdown cells of a Jupyter notebook.
///
/// Jupyter renders raw HTML inside markdown cells, so data that reaches a cell (a class folder or
/// file name, a title) must not be able to add markup. Escaping `&` and `<` is enough: no tag,
/// comment or entity can start without them, and the markdown this project writes (headings, `>`
/// quotes, lists, `**bold**`, `*emphasis*`, links) never needs them.
///
/// Code spans are the exception: CommonMark shows their content literally (an escaped `&lt;` would
/// be printed as those four characters) and never renders HTML inside them, so they are copied as
/// they are. Spans are found as CommonMark finds them: a run of n backticks up to the next run of
/// exactly n; a run without a partner is ordinary text.
public enum NotebookMarkdown {
    /// `text` with `&` and `<` outside code spans replaced by `&amp;` and `&lt;`.
    public static func escape(_ text: String) -> String {
        let chars = Array(text)
        var out = ""
        out.reserveCapacity(text.utf8.count)
        var i = 0
        while i < chars.count {
            let ch = chars[i]
            if ch == "`" {
                let run = backtickRun(chars, at: i)
                if let close = closingRun(chars, length: run, from: i + run) {
                    out += String(chars[i..<(close + run)])
                    i = close + run
                } else {
                    out += String(repeating: "`", count: run)
                    i += run
                }
                continue
            }
            switch ch {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            default: out.append(ch)
            }
            i += 1
        }
        return out
    }

    private static func backtickRun(_ chars: [Character], at start: Int) -> Int {
        var end = start
        while end < chars.count && chars[end] == "`" { end += 1 }
        return end - start
    }

    /// The start of the next run of exactly `length` backticks at or after `from`.
    private static func closingRun(_ chars: [Character], length: Int, from: Int) -> Int? {
        var i = from
        while i < chars.count {
            if chars[i] == "`" {
                let run = backtickRun(chars, at: i)
                if run == length { return i }
                i += run
            } else {
                i += 1
            }
        }
        return nil
    }
}
