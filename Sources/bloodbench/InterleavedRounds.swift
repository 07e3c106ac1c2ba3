import Foundation

/// Ours and the Python reference timed alternately, `count` rounds each, keeping each side's best.
///
/// This host's speed drifts by ±15% within minutes (other tenants), and one measurement of each
/// side taken a minute apart can land on different sides of a drift. Alternating rounds let both
/// sides sample the same stretch, and the best of each is its least disturbed run. Every round's
/// value is printed, so the spread is visible beside the ratio.
enum InterleavedRounds {
    /// `BLOODBENCH_ROUNDS`, default 2.
    static var count: Int { max(1, Int(ProcessInfo.processInfo.environment["BLOODBENCH_ROUNDS"] ?? "") ?? 2) }

    /// Runs `ours` then `reference`, `count` times; returns the highest of each (throughputs) and a
    /// details line listing every round.
    static func best(unit: String, ours: () -> Double, reference: () -> PythonReference.Outcome)
        -> (ours: Double, reference: PythonReference.Outcome, details: String) {
        var ourValues: [Double] = [], outcomes: [PythonReference.Outcome] = []
        for _ in 0..<count {
            ourValues.append(ours())
            outcomes.append(reference())
        }
        let referenceValues = outcomes.compactMap(\.value)
        let bestReference = outcomes.max { ($0.value ?? -1) < ($1.value ?? -1) }!
        func list(_ values: [Double]) -> String { values.map { String(format: "%.4g", $0) }.joined(separator: ", ") }
        let line = "rounds     ours \(list(ourValues)); reference \(referenceValues.isEmpty ? "n/a" : list(referenceValues)) \(unit)"
            + " (alternating, best of each kept)"
        return (ourValues.max()!, bestReference, line)
    }
}
