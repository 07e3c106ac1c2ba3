import Foundation
import Report

/// The machine-readable `results.json` of a run (schema in docs/results-schema.md).
public struct ResultsFile: Codable, Sendable {
    public static let schemaVersion = 1

    public struct Value: Codable, Sendable, Equatable {
        public var label: String
        public var documented: JSONValue
        public var thisRun: JSONValue
        enum CodingKeys: String, CodingKey { case label, documented, thisRun = "this_run" }
    }

    public struct Step: Codable, Sendable, Equatable {
        public var cached: Bool
        public var seconds: Double
        public var computeSeconds: Double
        public var inputHash: String
        enum CodingKeys: String, CodingKey { case cached, seconds, computeSeconds = "compute_seconds", inputHash = "input_hash" }
    }

    public var schema: Int
    public var program: String
    public var profile: String
    public var seed: UInt64
    public var datasetHash: String
    public var datasetFiles: Int
    public var generatedAt: String
    public var wallSeconds: Double
    /// Wall time per step in this run, seconds (a cached step's time is the time to load it).
    public var timingsS: [String: Double]
    public var steps: [String: Step]
    public var results: [String: Value]
    public var deviations: [Deviation]

    enum CodingKeys: String, CodingKey {
        case schema, program, profile, seed, datasetHash = "dataset_hash", datasetFiles = "dataset_files"
        case generatedAt = "generated_at", wallSeconds = "wall_seconds", timingsS = "timings_s"
        case steps, results, deviations
    }

    /// Every documented key plus every key this run produced; documented keys this run did not
    /// compute have `this_run: null`.
    public init(run: StudyRun, deviations: [Deviation]) {
        schema = Self.schemaVersion
        program = StudyVersion.program
        profile = run.profile.rawValue
        seed = run.seed
        datasetHash = run.dataset.sha256
        datasetFiles = run.dataset.files
        generatedAt = ISO8601DateFormatter().string(from: run.startedAt)
        wallSeconds = (run.wallSeconds * 1000).rounded() / 1000
        timingsS = Dictionary(uniqueKeysWithValues: run.records.map { ($0.id, ($0.seconds * 1000).rounded() / 1000) })
        steps = Dictionary(uniqueKeysWithValues: run.records.map {
            ($0.id, Step(cached: $0.cached, seconds: ($0.seconds * 1000).rounded() / 1000,
                         computeSeconds: ($0.computeSeconds * 1000).rounded() / 1000, inputHash: $0.inputHash))
        })
        var values: [String: Value] = [:]
        for entry in DocumentedResults.entries {
            values[entry.key] = Value(label: entry.label, documented: entry.value, thisRun: nil)
        }
        for (id, _) in run.sections {
            for headline in run.results[id]?.headlines ?? [] {
                let label = values[headline.key]?.label ?? headline.label ?? headline.key
                let documented = values[headline.key]?.documented ?? nil
                values[headline.key] = Value(label: label, documented: documented, thisRun: headline.value)
            }
        }
        results = values
        self.deviations = deviations
    }

    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }
}
