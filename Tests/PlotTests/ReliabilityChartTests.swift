import Testing
@testable import Plot

/// The reliability diagram: both panels span confidence 0 to 1, the ECE is in the title, empty
/// bins draw no bar, and the gap of each bin is a red segment from its accuracy to its confidence.
@Suite struct ReliabilityChartTests {
    @Test func panelsTitlesAndBins() {
        let bins = (0..<15).map { b -> ReliabilityBin in
            let lower = Double(b) / 15, upper = Double(b + 1) / 15
            return b < 10 ? ReliabilityBin(lower: lower, upper: upper, count: 0, meanConfidence: .nan, accuracy: .nan)
                : ReliabilityBin(lower: lower, upper: upper, count: 10, meanConfidence: (lower + upper) / 2, accuracy: 0.5)
        }
        let figure = Charts.reliability(bins, expectedError: 0.2345, title: "Reliability diagram: test")
        let texts = figure.drawnTexts().map(\.text)
        #expect(texts.contains("Reliability (ECE 0.2345)") && texts.contains("Images per confidence bin"))
        for l in figure.layout(TextMeasurer()).axes {
            #expect(l.x.lower == 0 && l.x.upper == 1)
        }
        // Five filled bins: five accuracy bars; the count panel has a bar slot per bin (zero height for the empty ones).
        let left = figure.axes[0]
        let bars = left.artists.compactMap { if case let .bars(b) = $0 { b } else { nil } }
        #expect(bars.first?.xs.count == 5)
        // The diagonal, five gap segments and the legend's entry for them.
        let lines = left.artists.compactMap { if case let .line(l) = $0 { l } else { nil } }
        #expect(lines.count == 1 + 5 + 1)
        #expect(lines.contains { $0.ys == [0.5, (14.0 / 15 + 1) / 2] })
    }

    @Test func errorBarsSkipMissingIntervals() {
        let figure = Figure(width: 400, height: 300)
        let axes = figure.addAxes()
        Charts.errorBars(on: axes, xs: [0, 1, 2], low: [0.1, .nan, 0.3], high: [0.2, 0.5, 0.4])
        let lines = axes.artists.compactMap { if case let .line(l) = $0 { l } else { nil } }
        // Two bars of three segments (the stem and two caps); the NaN one is skipped.
        #expect(lines.count == 6)
        #expect(lines[0].xs == [0, 0] && lines[0].ys == [0.1, 0.2])
    }
}
