import Foundation

/// Shows a run's progress: on a terminal, one redrawn line with a bar, the step, and an ETA for
/// the step from its progress so far; otherwise (CI logs, pipes) plain lines at step boundaries
/// and every 10% within a step. Writes to standard error; safe to call from any thread.
///
/// The time left is estimated only from a step's real units of work (images, iterations, blocks):
/// the rate since the step's first report (so loading its inputs does not count as work), and only
/// when the step counts at least ``minimumUnitsForETA`` units and has reported progress for
/// ``minimumSecondsForETA``. A step that reports a handful of coarse stages (0 of 1, 1 of 1) gets
/// no ETA: one fast stage says nothing about a slow one.
public final class ProgressReporter: @unchecked Sendable {
    /// Where lines go; standard error unless a test captures them.
    public typealias Sink = @Sendable (String) -> Void

    private let lock = NSLock()
    private let interactive: Bool
    private let sink: Sink
    private let clock: @Sendable () -> Double
    private var stepCount = 0
    private var stepIndex = 0
    private var stepName = ""
    private var stepStart = 0.0
    private var lastDraw = 0.0
    private var lastDecile = -1
    /// The total of the last update: a step that starts a new count of work (images decoded, then
    /// batches trained) prints that count's tenths from the start again.
    private var lastTotal = 0
    private var lineOpen = false
    /// The first report of the current step's units: when, how many done, of how many.
    private var baseline: (time: Double, done: Int, total: Int)?

    /// Fewer units than this are stages, not units of work: no ETA.
    public static let minimumUnitsForETA = 10
    /// Progress must have been reported for this long before a rate is trusted.
    public static let minimumSecondsForETA = 1.0

    /// - Parameters:
    ///   - interactive: draw a redrawn bar (default: whether standard error is a terminal).
    ///   - sink: receives the text to print (default: standard error).
    public init(interactive: Bool = isatty(STDERR_FILENO) != 0, sink: Sink? = nil,
                clock: @escaping @Sendable () -> Double = { ProcessInfo.processInfo.systemUptime }) {
        self.interactive = interactive
        self.sink = sink ?? { text in FileHandle.standardError.write(Data(text.utf8)) }
        self.clock = clock
    }

    public func begin(steps: Int) {
        lock.lock(); stepCount = steps; lock.unlock()
    }

    public func beginStep(_ index: Int, _ name: String) {
        lock.lock(); defer { lock.unlock() }
        stepIndex = index; stepName = name; stepStart = clock(); lastDecile = -1; lastTotal = 0; lastDraw = 0; baseline = nil
        if interactive { draw(fraction: 0, eta: nil) } else { emit("[\(index + 1)/\(stepCount)] \(name): started\n") }
    }

    /// Progress within the current step.
    public func update(_ done: Int, _ total: Int) {
        guard total > 0 else { return }
        lock.lock(); defer { lock.unlock() }
        let fraction = min(1, max(0, Double(done) / Double(total)))
        let now = clock()
        let eta = estimate(done: min(done, total), total: total, now: now)
        if interactive {
            guard now - lastDraw >= 0.1 || done == total else { return }   // at most ten redraws a second
            lastDraw = now
            draw(fraction: fraction, eta: eta)
        } else {
            if total != lastTotal { lastTotal = total; lastDecile = -1 }
            let decile = Int(fraction * 10)
            guard decile > lastDecile, decile > 0 else { return }
            lastDecile = decile
            let etaText = eta.map { ", about \(Self.duration($0)) left" } ?? ""
            emit("[\(stepIndex + 1)/\(stepCount)] \(stepName): \(decile * 10)% (\(done)/\(total))\(etaText)\n")
        }
    }

    public func endStep(seconds: Double, cached: Bool, computedSeconds: Double? = nil) {
        lock.lock(); defer { lock.unlock() }
        let how = cached ? "reused from cache (computed in \(Self.duration(computedSeconds ?? seconds)))"
                         : "done in \(Self.duration(seconds))"
        if interactive && lineOpen { emit("\r\u{1B}[2K") }
        lineOpen = false
        emit("[\(stepIndex + 1)/\(stepCount)] \(stepName): \(how)\n")
    }

    /// A message between steps (warnings, notes).
    public func note(_ text: String) {
        lock.lock(); defer { lock.unlock() }
        if interactive && lineOpen { emit("\r\u{1B}[2K") }
        lineOpen = false
        emit(text + "\n")
    }

    /// Seconds left at the rate measured since the first report of these units, or nil when the
    /// units are too coarse or too few have been seen (see the type's notes).
    private func estimate(done: Int, total: Int, now: Double) -> Double? {
        if baseline == nil || baseline!.total != total || done < baseline!.done { baseline = (now, done, total) }
        guard let base = baseline, total >= Self.minimumUnitsForETA, done > base.done,
              now - base.time >= Self.minimumSecondsForETA else { return nil }
        return (now - base.time) * Double(total - done) / Double(done - base.done)
    }

    private func draw(fraction: Double, eta: Double?) {
        let width = 24
        let overall = (Double(stepIndex) + fraction) / Double(max(1, stepCount))
        let filled = Int(overall * Double(width))
        let bar = String(repeating: "█", count: filled) + String(repeating: "·", count: width - filled)
        let etaText = eta.map { " ETA \(Self.duration($0))" } ?? ""
        emit("\r\u{1B}[2K[\(bar)] \(stepIndex + 1)/\(stepCount) \(stepName) \(Int(fraction * 100))%\(etaText)")
        lineOpen = true
    }

    private func emit(_ text: String) { sink(text) }

    /// `0.4 s`, `12 s`, `3:07`, `1:02:03`.
    public static func duration(_ seconds: Double) -> String {
        if seconds < 10 { return String(format: "%.1f s", seconds) }
        if seconds < 60 { return String(format: "%.0f s", seconds) }
        let s = Int(seconds.rounded())
        return s >= 3600 ? String(format: "%d:%02d:%02d", s / 3600, s / 60 % 60, s % 60) : String(format: "%d:%02d", s / 60, s % 60)
    }
}
