import Foundation
import Testing
import _TestSupport

/// tools/fault-harness.sh's property on a few points of a small run, with the real executable (an
/// injected error and a kill -9 are both whole-process events): after a run stopped at the point,
/// the previous site is intact, and the next run reuses every step the stopped run finished and
/// gives an undisturbed run's results.
@Suite("Fault injection: a run stopped at a write, rename, sync or removal loses nothing")
struct FaultHarnessTests {
    /// The `bloodstudy` built beside this test bundle.
    static let executable: URL? = {
        let beside = URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent()
        let candidates = [beside, beside.deletingLastPathComponent(), Bundle.main.bundleURL.deletingLastPathComponent()]
        return candidates.map { $0.appendingPathComponent("bloodstudy") }
            .first { FileManager.default.isExecutableFile(atPath: $0.path) }
    }()

    struct Run { var status: Int32; var killed: Bool; var output: String }

    /// Runs the executable with `arguments` (and `environment` added), returning its exit status and output.
    static func bloodstudy(_ arguments: [String], environment: [String: String] = [:]) throws -> Run {
        let process = Process()
        let built: URL = try #require(executable, "bloodstudy is not built beside the test bundle")
        process.executableURL = built
        process.arguments = arguments
        process.environment = ProcessInfo.processInfo.environment.filter { !$0.key.hasPrefix("BLOODSTUDY_FAULT") }
            .merging(environment) { $1 }
        let output = Pipe()
        process.standardOutput = output
        process.standardError = output
        try process.run()
        let text = String(decoding: output.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
        process.waitUntilExit()
        return Run(status: process.terminationStatus, killed: process.terminationReason == .uncaughtSignal, output: text)
    }

    /// A small run: the split and the SimpleNN's training (the checkpoint and the resume store).
    static func report(_ root: URL, data: URL, cache: URL, out: URL, seed: Int = 42, environment: [String: String] = [:]) throws -> Run {
        try bloodstudy(["report", "--profile", "smoke", "--only", "simple-nn-train", "--data", data.path, "--cache", cache.path,
                        "--out", out.path, "--weights", root.appendingPathComponent("no-weights").path, "--seed", "\(seed)",
                        "--resources", TestPaths.repositoryRoot.path], environment: environment)
    }

    /// Every file under `folder` (relative path) with its bytes.
    static func tree(_ folder: URL) -> [String: Data] {
        let fm = FileManager.default
        var files: [String: Data] = [:]
        for case let path as String in fm.enumerator(atPath: folder.path) ?? NSEnumerator() {
            let url = folder.appendingPathComponent(path)
            var isFolder: ObjCBool = false
            if fm.fileExists(atPath: url.path, isDirectory: &isFolder), !isFolder.boolValue { files[path] = try? Data(contentsOf: url) }
        }
        return files
    }

    /// The titles of the steps whose progress line ends with `ending` ("done in", "reused from cache").
    static func steps(_ output: String, _ ending: String) -> Set<String> {
        Set(output.split(separator: "\n").compactMap { line -> String? in
            guard let range = line.range(of: ": \(ending)"), let close = line.firstIndex(of: "]") else { return nil }
            return String(line[line.index(close, offsetBy: 2)..<range.lowerBound])
        })
    }

    @Test("an error and a kill at a resume-store write, a step's commit, a removal and the site's swap")
    func fewPoints() throws {
        let root = try TestPaths.temporaryFolder("faults")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = root.appendingPathComponent("shapes")
        let made = try Self.bloodstudy(["make-shapes", "--out", data.path, "--per-class", "3", "--size", "32"])
        #expect(made.status == 0, "\(made.output)")

        let previous = root.appendingPathComponent("previous-site")
        let first = try Self.report(root, data: data, cache: root.appendingPathComponent("previous-cache"), out: previous, seed: 7)
        try #require(first.status == 0, "\(first.output)")
        let previousTree = Self.tree(previous)

        // The undisturbed run over a copy of the previous site, listing every point.
        let baseSite = root.appendingPathComponent("base-site"), log = root.appendingPathComponent("points.log")
        try FileManager.default.copyItem(at: previous, to: baseSite)
        let base = try Self.report(root, data: data, cache: root.appendingPathComponent("base-cache"), out: baseSite,
                                   environment: ["BLOODSTUDY_FAULT_LOG": log.path])
        try #require(base.status == 0, "\(base.output)")
        let baseResults = try SiteResults.results(baseSite)
        let points = try String(contentsOf: log, encoding: .utf8).split(separator: "\n").map { $0.split(separator: " ", maxSplits: 2) }
        func point(_ kind: String, where matches: (String) -> Bool) throws -> String {
            let found = try #require(points.first { $0[0] == kind && matches(String($0[2])) }, "no \(kind) point found in \(log.path)")
            return "\(found[0]):\(found[1])"
        }
        let chosen = [
            try point("write") { $0.contains("/resume/") },                                      // a saved epoch of the training
            try point("rename") { $0.contains("/steps/") && $0.contains(".staging-") && !$0.contains(".tmp-") },  // a step's commit
            try point("remove") { _ in true },                                                   // the resume folder after the commit
            try point("rename") { URL(fileURLWithPath: $0).lastPathComponent.hasPrefix(".base-site.building-") },  // the site's swap
        ]

        for plan in chosen {
            for mode in ["", "kill-"] {
                let trial = root.appendingPathComponent("trial-\(mode)\(plan.replacingOccurrences(of: ":", with: "-"))")
                let site = trial.appendingPathComponent("site"), cache = trial.appendingPathComponent("cache")
                try FileManager.default.createDirectory(at: trial, withIntermediateDirectories: true)
                try FileManager.default.copyItem(at: previous, to: site)
                let faulted = try Self.report(root, data: data, cache: cache, out: site, environment: ["BLOODSTUDY_FAULT": mode + plan])
                let label = "\(mode)\(plan)"
                if faulted.status != 0 {
                    let now = Self.tree(site)
                    // Stopped: the previous site as it was, or (stopped after the swap) the whole new site.
                    let swapped = (try? SiteResults.results(site)) == baseResults && Set(now.keys) == Set(Self.tree(baseSite).keys)
                    #expect(now == previousTree || swapped, "\(label): the previous site was damaged")
                    if mode.isEmpty {
                        #expect(faulted.output.contains("[fault injected by $BLOODSTUDY_FAULT]"), "\(label): \(faulted.output)")
                        #expect(!faulted.output.contains("Error Domain="), "\(label): \(faulted.output)")
                    } else {
                        #expect(faulted.killed && faulted.status == SIGKILL, "\(label) was not killed: \(faulted.output)")
                    }
                }
                let finished = Self.steps(faulted.output, "done in")
                let next = try Self.report(root, data: data, cache: cache, out: site)
                #expect(next.status == 0, "\(label): the next run failed: \(next.output)")
                #expect(try SiteResults.results(site) == baseResults, "\(label): the next run's results differ")
                let recomputed = finished.subtracting(Self.steps(next.output, "reused from cache"))
                #expect(recomputed.isEmpty, "\(label): finished steps recomputed: \(recomputed.sorted())")
            }
        }
    }
}

/// The headline numbers of a site's `results.json` (its `results` object).
enum SiteResults {
    static func results(_ site: URL) throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: site.appendingPathComponent("results.json"))) as? [String: Any]
        let results = try #require(json?["results"])
        return String(decoding: try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys]), as: UTF8.self)
    }
}
