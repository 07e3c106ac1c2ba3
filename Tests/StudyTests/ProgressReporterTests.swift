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
        // Half-way after 25 s (the rate counted from the first report, 1 of 100 at 0.5 s: 49 units
        // in 24.5 s), the other half is estimated at 25 s.
        #expect(text.contains("[1/2] HOG features: 50% (50/100), about 25 s left\n"))
        #expect(text.components(separatedBy: "\n").filter { $0.contains("%") }.count == 10)
        #expect(text.hasSuffix("[1/2] HOG features: done in 50 s\n"))
    }

    @Test("a step that starts a second count of work (images decoded, then batches trained) prints that count's tenths too")
    func secondCountOfWork() {
        let lines = StudyFixtures.Lines()
        let clock = FakeClock()
        let progress = ProgressReporter(interactive: false, sink: { lines.append($0) }, clock: { clock.now })
        progress.begin(steps: 1)
        progress.beginStep(0, "Training: CNN")
        for done in 1...200 { clock.now += 0.01; progress.update(done, 200) }     // images decoded
        for done in 1...50 { clock.now += 4; progress.update(done, 50) }          // batches trained
        let text = lines.all
        #expect(text.contains("[1/1] Training: CNN: 100% (200/200)"))
        #expect(text.contains("[1/1] Training: CNN: 10% (5/50), about 3:00 left\n"))
        #expect(text.contains("[1/1] Training: CNN: 100% (50/50)"))
        #expect(text.components(separatedBy: "\n").filter { $0.contains("%") }.count == 20)
    }

    @Test("on a terminal it redraws one line with a bar and an ETA, then ends the step on its own line")
    func terminalBar() {
        let lines = StudyFixtures.Lines()
        let clock = FakeClock()
        let progress = ProgressReporter(interactive: true, sink: { lines.append($0) }, clock: { clock.now })
        progress.begin(steps: 1)
        progress.beginStep(0, "t-SNE")
        clock.now = 2
        progress.update(0, 40)
        clock.now = 12
        progress.update(10, 40)
        progress.endStep(seconds: 40, cached: true, computedSeconds: 75)
        let text = lines.all
        #expect(text.contains("\r"))
        // 10 units in 10 s since the first report: 30 units left, 30 s.
        #expect(text.contains("t-SNE 25% ETA 30 s"))
        #expect(text.hasSuffix("[1/1] t-SNE: reused from cache (computed in 1:15)\n"))
    }

    @Test("coarse stages get no ETA: a fast first stage never promises seconds for a long second one")
    func coarseStagesHaveNoETA() {
        // The old PCA step: 1 of 3 stages after 5 s of scaling, then 30 minutes of eigenvalues.
        let lines = StudyFixtures.Lines()
        let clock = FakeClock()
        let progress = ProgressReporter(interactive: false, sink: { lines.append($0) }, clock: { clock.now })
        progress.begin(steps: 1)
        progress.beginStep(0, "PCA")
        progress.update(0, 3)
        clock.now = 5
        progress.update(1, 3)
        clock.now = 1800
        progress.update(2, 3)
        #expect(!lines.all.contains("left"))
        #expect(lines.all.contains("[1/1] PCA: 30% (1/3)\n"))
    }

    @Test("the rate is measured from the step's first report, not from its start (loading inputs is not work)")
    func rateFromFirstReport() {
        let lines = StudyFixtures.Lines()
        let clock = FakeClock()
        let progress = ProgressReporter(interactive: false, sink: { lines.append($0) }, clock: { clock.now })
        progress.begin(steps: 1)
        progress.beginStep(0, "PCA of HOG features")
        clock.now = 60                      // a minute reading a 3 GB artifact
        progress.update(0, 200)
        clock.now = 80                      // 20 blocks in 20 s
        progress.update(20, 200)
        // 180 blocks at one a second: 3 minutes, not the 8 a rate from the step's start would give.
        #expect(lines.all.contains("[1/1] PCA of HOG features: 10% (20/200), about 3:00 left\n"))
    }

    @Test("no ETA until the units have been reported for a second, and none when done goes backwards")
    func tooEarlyForETA() {
        let lines = StudyFixtures.Lines()
        let clock = FakeClock()
        let progress = ProgressReporter(interactive: false, sink: { lines.append($0) }, clock: { clock.now })
        progress.begin(steps: 1)
        progress.beginStep(0, "t-SNE")
        progress.update(0, 100)
        clock.now = 0.5
        progress.update(30, 100)            // 30% after half a second: too soon to trust a rate
        #expect(lines.all.contains("[1/1] t-SNE: 30% (30/100)\n"))
        clock.now = 2
        progress.update(40, 100)            // 40 units in 2 s: 60 left, 3 s
        #expect(lines.all.contains("[1/1] t-SNE: 40% (40/100), about 3.0 s left\n"))
    }

    @Test("durations read as seconds, minutes or hours")
    func durations() {
        #expect(ProgressReporter.duration(0.42) == "0.4 s")
        #expect(ProgressReporter.duration(42) == "42 s")
        #expect(ProgressReporter.duration(187) == "3:07")
        #expect(ProgressReporter.duration(3723) == "1:02:03")
    }
}
