import Foundation
import Study
import Testing

@Suite("Progress reporter")
struct ProgressReporterTests {
    /// A clock the test moves by hand.
    final class FakeClock: @unchecked Sendable {
        var now = 0.0
    }

    @Test("without a terminal it prints plain lines: start, every tenth of the way with time left, and the end")
    func plainLines() {
        let lines = StudyFixtures.Lines()
        let clock = FakeClock()
        let progress = ProgressReporter(interactive: false, sink: { lines.append($0) }, clock: { clock.now })
        progress.begin(steps: 2)
        progress.beginStep(0, "HOG features")
        for done in 1...100 {
            clock.now += 0.5
            progress.update(done, 100)
        }
        progress.endStep(seconds: 50, cached: false)
        let text = lines.all
        #expect(!text.contains("\r"))
        #expect(text.hasPrefix("[1/2] HOG features: started\n"))
        // Half-way after 25 s, the other half is estimated at 25 s.
        #expect(text.contains("[1/2] HOG features: 50% (50/100), about 25 s left\n"))
        #expect(text.components(separatedBy: "\n").filter { $0.contains("%") }.count == 10)
        #expect(text.hasSuffix("[1/2] HOG features: done in 50 s\n"))
    }

    @Test("on a terminal it redraws one line with a bar and an ETA, then ends the step on its own line")
    func terminalBar() {
        let lines = StudyFixtures.Lines()
        let clock = FakeClock()
        let progress = ProgressReporter(interactive: true, sink: { lines.append($0) }, clock: { clock.now })
        progress.begin(steps: 1)
        progress.beginStep(0, "t-SNE")
        clock.now = 10
        progress.update(1, 4)
        progress.endStep(seconds: 40, cached: true, computedSeconds: 75)
        let text = lines.all
        #expect(text.contains("\r"))
        #expect(text.contains("t-SNE 25% ETA 30 s"))
        #expect(text.hasSuffix("[1/1] t-SNE: reused from cache (computed in 1:15)\n"))
    }

    @Test("durations read as seconds, minutes or hours")
    func durations() {
        #expect(ProgressReporter.duration(0.42) == "0.4 s")
        #expect(ProgressReporter.duration(42) == "42 s")
        #expect(ProgressReporter.duration(187) == "3:07")
        #expect(ProgressReporter.duration(3723) == "1:02:03")
    }
}
