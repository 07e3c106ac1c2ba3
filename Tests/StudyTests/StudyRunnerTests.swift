import Foundation
import Report
import Study
import Testing
import _TestSupport

@Suite("Cached step runner")
struct StudyRunnerTests {
    func chain(_ counter: RunCounter, failC: @escaping @Sendable () -> Bool = { false }) -> [any StudySection] {
        [TestSection("a", counter: counter),
         TestSection("b", after: ["a"], counter: counter),
         TestSection("c", after: ["b"], counter: counter, fails: failC)]
    }

    func values(_ run: StudyRun) -> [String: JSONValue] {
        Dictionary(uniqueKeysWithValues: run.results.values.flatMap(\.headlines).map { ($0.key, $0.value) })
    }

    @Test("a second identical run reuses every step and gives the same results")
    func secondRunIsCached() throws {
        let cache = try TestPaths.temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let counter = RunCounter()
        let first = try StudyFixtures.runner(chain(counter), cache: cache).run()
        let second = try StudyFixtures.runner(chain(counter), cache: cache).run()
        #expect(first.cachedCount == 0)
        #expect(second.cachedCount == 3)
        #expect(["a", "b", "c"].allSatisfy { counter[$0] == 1 })
        #expect(values(first) == values(second))
        #expect(second.results["c"] == first.results["c"])
    }

    @Test("changing an input recomputes that step and its dependents, not the steps before it")
    func inputChange() throws {
        let cache = try TestPaths.temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let counter = RunCounter()
        // Only b reads knn; c depends on b.
        let sections: [any StudySection] = [TestSection("a", counter: counter),
                                            TestSection("b", after: ["a"], reads: "knn", counter: counter),
                                            TestSection("c", after: ["b"], counter: counter)]
        let first = try StudyFixtures.runner(sections, cache: cache).run()
        var config = try StudyFixtures.smokeConfig()
        config.knn.neighbours += 4
        let changed = try StudyFixtures.runner(sections, cache: cache, config: config).run()
        #expect(changed.records.map(\.cached) == [true, false, false])
        #expect(counter["a"] == 1 && counter["b"] == 2 && counter["c"] == 2)
        // b's value moved by the change and c, which adds b's value, followed it.
        #expect(values(changed)["test.c"]?.number == (values(first)["test.c"]?.number).map { $0 + 4 })
    }

    @Test("--force recomputes the step and what depends on it, and reuses the steps before it")
    func force() throws {
        let cache = try TestPaths.temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let counter = RunCounter()
        let first = try StudyFixtures.runner(chain(counter), cache: cache).run()
        let forced = try StudyFixtures.runner(chain(counter), cache: cache, force: ["b"]).run()
        #expect(forced.records.map(\.cached) == [true, false, false])
        #expect(counter["a"] == 1 && counter["b"] == 2 && counter["c"] == 2)
        // Deterministic steps give the same numbers when recomputed.
        #expect(values(first) == values(forced))
        #expect(throws: (any Error).self) { try StudyFixtures.runner(chain(counter), cache: cache, force: ["nope"]).run() }
    }

    @Test("a damaged cache entry is recomputed with a warning naming the step")
    func corruptEntry() throws {
        let cache = try TestPaths.temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        let counter = RunCounter()
        let first = try StudyFixtures.runner(chain(counter), cache: cache).run()
        // Flip one byte of a's binary artifact.
        let entry = cache.appendingPathComponent("steps/a/\(first.records[0].inputHash)")
        let file = entry.appendingPathComponent("features.bin")
        var bytes = try Data(contentsOf: file)
        bytes[3] ^= 0xFF
        try bytes.write(to: file)
        let lines = StudyFixtures.Lines()
        let second = try StudyFixtures.runner(chain(counter), cache: cache, lines: lines).run()
        #expect(second.records.map(\.cached) == [false, true, true])
        #expect(counter["a"] == 2)
        #expect(lines.all.contains("cache entry of step 'a' is damaged (features.bin does not match its checksum); recomputing it"))
        #expect(values(first) == values(second))
    }

    @Test("after a run stops inside a step, the next run resumes: finished steps are reused, numbers are the same")
    func resumeAfterInterruption() throws {
        let cache = try TestPaths.temporaryFolder("cache")
        let clean = try TestPaths.temporaryFolder("clean")
        defer { try? FileManager.default.removeItem(at: cache); try? FileManager.default.removeItem(at: clean) }
        let counter = RunCounter()
        do {
            _ = try StudyFixtures.runner(chain(counter, failC: { true }), cache: cache).run()
            Issue.record("the failing step did not stop the run")
        } catch {
            #expect("\(error)".contains("step 'c' (Section C) failed: simulated interruption"))
        }
        // No half-written entry of c is left.
        let cFolder = cache.appendingPathComponent("steps/c")
        #expect(((try? FileManager.default.contentsOfDirectory(atPath: cFolder.path)) ?? []).isEmpty)
        let resumed = try StudyFixtures.runner(chain(counter), cache: cache).run()
        #expect(resumed.records.map(\.cached) == [true, true, false])
        #expect(counter["a"] == 1 && counter["b"] == 1)
        let reference = try StudyFixtures.runner(chain(RunCounter()), cache: clean).run()
        #expect(values(resumed) == values(reference))
    }

    @Test("artifacts round-trip: JSON values, binary arrays with their shape, and a wrong type is refused")
    func artifacts() throws {
        let cache = try TestPaths.temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        struct Reader: StudySection {
            let id = "reader", title = "Reader", dependencies = ["a"], usesDataset = false
            func inputs(_ config: StudyConfig) -> StepInputs { StepInputs() }
            func run(_ context: StudyContext) throws -> SectionResult {
                let upstream = try context.upstream("a")
                let (shape, values) = try upstream.readArray(Float.self, "features")
                let value = try upstream.read(Double.self, "value")
                #expect(shape == [2, 3] && values.count == 6 && values.allSatisfy { $0 == Float(value) })
                #expect(throws: (any Error).self) { _ = try upstream.readArray(Double.self, "features") }
                #expect(throws: (any Error).self) { _ = try context.upstream("b") }
                return SectionResult(cells: [])
            }
        }
        _ = try StudyFixtures.runner([TestSection("a", counter: RunCounter()), Reader()], cache: cache).run()
    }

    @Test("steps must come after their dependencies and have distinct ids")
    func validation() throws {
        let counter = RunCounter()
        let cache = try TestPaths.temporaryFolder("cache")
        defer { try? FileManager.default.removeItem(at: cache) }
        #expect { try StudyFixtures.runner([TestSection("b", after: ["a"], counter: counter), TestSection("a", counter: counter)], cache: cache).validate() }
            throws: { "\($0)".contains("step 'b' depends on 'a', which is not listed before it") }
        #expect { try StudyFixtures.runner([TestSection("a", counter: counter), TestSection("a", counter: counter)], cache: cache).validate() }
            throws: { "\($0)".contains("two steps are named 'a'") }
    }
}

