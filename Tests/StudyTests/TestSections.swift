import Foundation
import Report
import Study
import _TestSupport

/// Counts how often each test section really ran (not reused from the cache).
final class RunCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var counts: [String: Int] = [:]
    func hit(_ id: String) { lock.lock(); counts[id, default: 0] += 1; lock.unlock() }
    subscript(_ id: String) -> Int { lock.lock(); defer { lock.unlock() }; return counts[id, default: 0] }
}

/// A section defined in tests: depends on the config's `knn` block (so tests can change an input),
/// writes an artifact, and reads its dependencies' artifacts.
struct TestSection: StudySection {
    let id: String
    let title: String
    let dependencies: [String]
    let usesDataset = false
    let counter: RunCounter
    /// Which config block the section reads: "knn" or "kmeans".
    let reads: String
    /// When this returns true the section throws, as if the run were interrupted inside it.
    let fails: @Sendable () -> Bool
    /// Profile settings the section claims (`StudySection.configKeys`); empty = its inputs.
    let configKeys: [String]

    init(_ id: String, after dependencies: [String] = [], reads: String = "kmeans", claims: [String] = [],
         counter: RunCounter, fails: @escaping @Sendable () -> Bool = { false }) {
        self.id = id; self.title = "Section \(id.uppercased())"; self.dependencies = dependencies
        self.reads = reads; self.counter = counter; self.fails = fails; self.configKeys = claims
    }

    struct Failure: Error, CustomStringConvertible { var description: String { "simulated interruption" } }

    func inputs(_ config: StudyConfig) -> StepInputs {
        reads == "knn" ? StepInputs().adding("knn", config.knn) : StepInputs().adding("kmeans", config.kmeans)
    }

    func run(_ context: StudyContext) throws -> SectionResult {
        counter.hit(id)
        if fails() { throw Failure() }
        // The value depends on the seed stream, the config and every upstream value.
        var rng = context.generator()
        let setting = reads == "knn" ? context.config.knn.neighbours : context.config.kmeans.clusters
        var value = Double(setting) + Double.random(in: 0..<1, using: &rng)
        for dependency in dependencies {
            value += try context.upstream(dependency).read(Double.self, "value")
        }
        try context.artifacts.write(value, as: "value")
        try context.artifacts.write(array: [Float](repeating: Float(value), count: 6), shape: [2, 3], as: "features")
        context.progress(1, 2)
        context.progress(2, 2)
        return SectionResult(cells: [.markdown("Value of \(id): \(value)")],
                             headlines: [Headline("test.\(id)", .double(value), label: "Test value \(id)")])
    }
}

enum StudyFixtures {
    static var resources: URL { TestPaths.repositoryRoot }

    static func smokeConfig() throws -> StudyConfig { try StudyConfig.load(profile: .smoke, resources: resources) }

    /// A progress reporter whose lines are collected instead of printed.
    final class Lines: @unchecked Sendable {
        private let lock = NSLock()
        private var text = ""
        func append(_ s: String) { lock.lock(); text += s; lock.unlock() }
        var all: String { lock.lock(); defer { lock.unlock() }; return text }
    }

    static func quietProgress(_ lines: Lines = Lines(), interactive: Bool = false) -> ProgressReporter {
        ProgressReporter(interactive: interactive, sink: { lines.append($0) })
    }

    static func runner(_ sections: [any StudySection], cache: URL, config: StudyConfig? = nil,
                       force: Set<String> = [], lines: Lines = Lines()) throws -> StudyRunner {
        StudyRunner(sections: sections, config: try config ?? smokeConfig(), profile: .smoke, seed: 42,
                    datasetRoot: URL(fileURLWithPath: "/nonexistent"), cacheRoot: cache, resources: resources,
                    progress: quietProgress(lines), force: force)
    }
}
