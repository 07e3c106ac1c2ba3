import Foundation

/// What a benchmark is told about the run.
struct BenchmarkContext: Sendable {
    /// `--data`, else `$BLOODSTUDY_DATA`, else the shared copy beside the repository.
    var dataPath: String?

    var dataset: URL? {
        let fm = FileManager.default
        for candidate in [dataPath, ProcessInfo.processInfo.environment["BLOODSTUDY_DATA"],
                          "../shared/data/pbc/PBC_dataset_normal_DIB", "data/PBC_dataset_normal_DIB"] {
            if let c = candidate, fm.fileExists(atPath: c) { return URL(fileURLWithPath: c) }
        }
        return nil
    }
}

/// One benchmark: ours, then the reference tool, in the same invocation.
struct Benchmark: Sendable {
    var name: String
    var summary: String
    var run: @Sendable (BenchmarkContext) throws -> BenchmarkResult
}

/// A measured pair. `ratio > 1` means ours is better (a speed-up, or a throughput ratio).
struct BenchmarkResult: Codable {
    var name: String
    var ours: Double
    var reference: Double?
    var unit: String
    var ratio: Double?
    var referenceTool: String
    /// Why `reference` is missing, when it is.
    var note: String?
    /// Achieved GFLOP/s of ours, counting the direct algorithm's FLOPs (neural benchmarks only).
    var gflops: Double?
    /// The sgemm rate measured in the same run, GFLOP/s.
    var sgemmGflops: Double?
    /// Extra measured lines (e.g. ours with Winograd off, same run).
    var details: [String] = []

    /// Builds a result; `higherIsBetter` says whether the unit is a throughput (images/s) or a time.
    init(name: String, ours: Double, reference: Double?, unit: String, higherIsBetter: Bool,
         referenceTool: String, note: String? = nil) {
        self.name = name; self.ours = ours; self.reference = reference; self.unit = unit
        self.referenceTool = referenceTool; self.note = note
        if let r = reference, r > 0, ours > 0 { ratio = higherIsBetter ? ours / r : r / ours } else { ratio = nil }
    }

    enum CodingKeys: String, CodingKey {
        case name, ours, reference, unit, ratio, referenceTool = "reference_tool"
        case gflops, sgemmGflops = "sgemm_gflops"
    }

    var jsonLine: String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        // Encode nil as null rather than dropping the key.
        struct Line: Encodable {
            let r: BenchmarkResult
            func encode(to encoder: Encoder) throws {
                var c = encoder.container(keyedBy: BenchmarkResult.CodingKeys.self)
                try c.encode(r.name, forKey: .name); try c.encode(r.ours, forKey: .ours)
                try c.encode(r.reference, forKey: .reference); try c.encode(r.unit, forKey: .unit)
                try c.encode(r.ratio, forKey: .ratio); try c.encode(r.referenceTool, forKey: .referenceTool)
                if let g = r.gflops { try c.encode(g, forKey: .gflops) }
                if let s = r.sgemmGflops { try c.encode(s, forKey: .sgemmGflops) }
            }
        }
        return String(decoding: try! encoder.encode(Line(r: self)), as: UTF8.self)
    }

    var table: String {
        func fmt(_ v: Double?) -> String { v.map { String(format: "%.4g", $0) } ?? "n/a" }
        var lines = [
            "benchmark  \(name)",
            "ours       \(fmt(ours)) \(unit)",
            "reference  \(fmt(reference)) \(unit)  (\(referenceTool))",
            "ratio      \(ratio.map { String(format: "%.2fx", $0) } ?? "n/a")  (> 1 means bloodstudy is better)",
        ]
        if let gflops {
            let share = sgemmGflops.map { String(format: ", %.0f%% of sgemm (%.1f GFLOP/s, 2048³, same run)", 100 * gflops / $0, $0) } ?? ""
            lines.append(String(format: "achieved   %.1f GFLOP/s (direct-algorithm FLOPs, 2 per multiply-add)", gflops) + share)
        }
        lines += details
        if let note { lines.append("note       \(note)") }
        return lines.joined(separator: "\n")
    }
}
