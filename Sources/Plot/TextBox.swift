/// A framed block of "**Name:** value" lines in a corner of the figure (the study's model-details box).
public struct TextBox: Sendable {
    /// Each line: a bold lead (may be empty) followed by normal text.
    public var lines: [(bold: String, text: String)]
    public var size: Double
    public init(lines: [(bold: String, text: String)], size: Double = 8) {
        self.lines = lines; self.size = size
    }

    static let padding = 5.0
    var lineHeight: Double { size * 1.35 }

    func size(_ m: TextMeasurer) -> (width: Double, height: Double) {
        let widest = lines.map { lineWidth($0, m) }.max() ?? 0
        return (widest + 2 * Self.padding, Double(lines.count) * lineHeight + 2 * Self.padding - (lineHeight - size * 1.2))
    }

    private func lineWidth(_ line: (bold: String, text: String), _ m: TextMeasurer) -> Double {
        m.width(line.bold, size: size, weight: .bold) + (line.bold.isEmpty ? 0 : m.width(" ", size: size))
            + m.width(line.text, size: size)
    }

    func draw(_ c: Canvas, at origin: Point) {
        guard !lines.isEmpty else { return }
        let (w, h) = size(c.measurer)
        c.roundedRect(Rect(x: origin.x, y: origin.y, width: w, height: h), radius: 4)
        c.fillAndStrokePath(fill: Color.white.withAlpha(0.9), stroke: Color(hex: "#d3d3d3")!, width: 1)
        for (i, line) in lines.enumerated() {
            let y = origin.y + Self.padding + lineHeight * Double(i)
            var x = origin.x + Self.padding
            if !line.bold.isEmpty {
                c.text(line.bold, x: x, y: y, size: size, weight: .bold, color: Color(hex: "#333333")!, v: .top)
                x += c.measurer.width(line.bold, size: size, weight: .bold) + c.measurer.width(" ", size: size)
            }
            c.text(line.text, x: x, y: y, size: size, color: Color(hex: "#333333")!, v: .top)
        }
    }
}
