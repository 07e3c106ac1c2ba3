import Foundation
import Report
import Study
import Testing
import _TestSupport

/// A section that holds its run until the test lets it go, so that a second run can be started
/// while the first is certainly inside the cache.
final class Gate: @unchecked Sendable {
    let entered = DispatchSemaphore(value: 0)
    let release = DispatchSemaphore(value: 0)
}

struct GateSection: StudySection {
    let id = "gate", title = "Gate"
    let dependencies = ["split"]
    let usesDataset = false
    let gate: Gate?
    func inputs(_ config: StudyConfig) -> StepInputs { StepInputs() }
    func run(_ context: StudyContext) throws -> SectionResult {
        if let gate { gate.entered.signal(); gate.release.wait() }
        return SectionResult(cells: [.markdown("gate passed")])
    }
}

@Suite("Cache lock: one run per cache folder at a time")
struct CacheLockTests {
    static func job(_ root: URL, _ name: String, data: URL, cache: URL, wait: Bool = true) -> ReportJob {
        var job = ReportJob(profile: .smoke, seed: 42, data: data, out: root.appendingPathComponent("site-\(name)"),
                            cache: cache, resources: StudyFixtures.resources)
        job.waitForCache = wait
        return job
    }

    static func sections(_ gate: Gate?) throws -> [any StudySection] {
        try ReportJob.sections(only: ["split"]) + [GateSection(gate: gate)]
    }

    /// The headline numbers of a site's results.json.
    static func results(_ site: URL) throws -> String {
        let json = try JSONSerialization.jsonObject(with: Data(contentsOf: site.appendingPathComponent("results.json"))) as? [String: Any]
        let results = try #require(json?["results"])
        return String(decoding: try JSONSerialization.data(withJSONObject: results, options: [.sortedKeys]), as: UTF8.self)
    }

    @Test("a second run on the same cache refuses with --no-wait, or waits; both give a single run's results")
    func secondRunWaitsOrRefuses() throws {
        let root = try TestPaths.temporaryFolder("lock")
        defer { try? FileManager.default.removeItem(at: root) }
        let data = try TinyDataset.make(perClass: 4)
        let cache = root.appendingPathComponent("cache")
        let gate = Gate()
        let firstDone = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var firstError: (any Error)?
        Thread.detachNewThread {
            do { _ = try Self.job(root, "first", data: data, cache: cache).run(sections: try Self.sections(gate), progress: StudyFixtures.quietProgress()) }
            catch { firstError = error }
            firstDone.signal()
        }
        gate.entered.wait()   // the first run is inside its steps, holding the lock

        // --no-wait: refused at once, saying who holds the cache.
        #expect { try Self.job(root, "refused", data: data, cache: cache, wait: false).run(sections: try Self.sections(nil), progress: StudyFixtures.quietProgress()) } throws: { error in
            let text = "\(error)"
            return text.contains("another bloodstudy run (process \(getpid()), started ") && text.contains("is using \(cache.path)")
        }
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("site-refused").path))

        // Waiting: the second run says whom it waits for and does not start before the first ends.
        let lines = StudyFixtures.Lines()
        let secondDone = DispatchSemaphore(value: 0)
        nonisolated(unsafe) var secondError: (any Error)?
        Thread.detachNewThread {
            do { _ = try Self.job(root, "second", data: data, cache: cache).run(sections: try Self.sections(nil), progress: StudyFixtures.quietProgress(lines)) }
            catch { secondError = error }
            secondDone.signal()
        }
        var announced = false
        for _ in 0..<100 where !announced { Thread.sleep(forTimeInterval: 0.02); announced = lines.all.contains("waiting for another bloodstudy run (process \(getpid())") }
        #expect(announced, "\(lines.all)")
        #expect(secondDone.wait(timeout: .now() + 0.5) == .timedOut, "the second run finished while the first held the cache")
        gate.release.signal()
        firstDone.wait()
        secondDone.wait()
        #expect(firstError == nil, "\(String(describing: firstError))")
        #expect(secondError == nil, "\(String(describing: secondError))")

        // A single run on a fresh cache gives the same numbers.
        _ = try Self.job(root, "single", data: data, cache: root.appendingPathComponent("cache-single"))
            .run(sections: try Self.sections(nil), progress: StudyFixtures.quietProgress())
        let single = try Self.results(root.appendingPathComponent("site-single"))
        #expect(try Self.results(root.appendingPathComponent("site-first")) == single)
        #expect(try Self.results(root.appendingPathComponent("site-second")) == single)
    }

    @Test("a lock file left by a dead process is taken over; locks on different caches do not wait")
    func staleAndSeparate() throws {
        let root = try TestPaths.temporaryFolder("lock")
        defer { try? FileManager.default.removeItem(at: root) }
        let cache = root.appendingPathComponent("cache")
        try FileManager.default.createDirectory(at: cache, withIntermediateDirectories: true)
        // What a killed run leaves: the file with its holder, but no lock (the kernel dropped it).
        let stale = #"{"pid": 999999, "started": "2026-01-01T00:00:00Z"}"#
        try Data(stale.utf8).write(to: cache.appendingPathComponent(CacheLock.fileName))
        let lock = try CacheLock(cache: cache, wait: false)
        #expect(CacheLock.holder(of: lock.file)?.pid == getpid())
        let other = try CacheLock(cache: root.appendingPathComponent("other-cache"), wait: false)
        #expect { try CacheLock(cache: cache, wait: false) } throws: { "\($0)".contains("process \(getpid())") }
        lock.release()
        other.release()
        let again = try CacheLock(cache: cache, wait: false)
        again.release()
    }
}
