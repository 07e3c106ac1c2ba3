import Foundation
import Report
import Testing
import _TestSupport
@testable import Study

/// `bloodstudy diff`: which keys it lists, how intervals are attached, and what it refuses.
@Suite struct ResultsDiffTests {
    private func write(_ json: String, to folder: URL, as name: String = "results.json") throws -> URL {
        let url = folder.appendingPathComponent(name)
        try Data(json.utf8).write(to: url)
        return url
    }

    private func results(seed: Int, accuracy: Double, low: Double, high: Double, extra: String = "", wall: Double = 1) -> String {
        """
        {"schema": 1, "program": "0.1.0", "profile": "smoke", "seed": \(seed), "dataset_hash": "abc", "dataset_files": 10,
         "generated_at": "2026-12-02T10:00:00Z", "wall_seconds": \(wall), "timings_s": {"split": \(wall)}, "steps": {}, "deviations": [],
         "results": {
           "split.train": {"label": "Training images", "documented": 11964, "this_run": 224},
           "models.cnn.test_accuracy": {"label": "CNN: test accuracy", "documented": 0.98, "this_run": \(accuracy)},
           "models.cnn.test_accuracy.ci95_low": {"label": "low", "documented": null, "this_run": \(low)},
           "models.cnn.test_accuracy.ci95_high": {"label": "high", "documented": null, "this_run": \(high)},
           "comparison.best_model": {"label": "Best model | of this run", "documented": null, "this_run": "cnn"}\(extra)
         }}
        """
    }

    @Test func listsChangedKeysWithTheirIntervals() throws {
        let root = try TestPaths.temporaryFolder("diff")
        defer { try? FileManager.default.removeItem(at: root) }
        let siteA = root.appendingPathComponent("a"), siteB = root.appendingPathComponent("b")
        for f in [siteA, siteB] { try FileManager.default.createDirectory(at: f, withIntermediateDirectories: true) }
        _ = try write(results(seed: 42, accuracy: 0.5, low: 0.4, high: 0.6), to: siteA)
        let fileB = try write(results(seed: 7, accuracy: 0.7, low: 0.62, high: 0.78,
                                      extra: #", "models.cnn.ece": {"label": "CNN: ECE <15 bins>", "documented": null, "this_run": 0.1}"#, wall: 9),
                              to: siteB)
        // A as a folder, B as its file.
        let diff = try ResultsDiff(a: siteA, b: fileB)
        #expect(diff.settings.map(\.name) == ["seed"])
        #expect(diff.rows.map(\.key) == ["models.cnn.ece", "models.cnn.test_accuracy"], "unchanged keys and interval keys are not rows")
        let accuracy = try #require(diff.rows.first { $0.key == "models.cnn.test_accuracy" })
        #expect(accuracy.intervalA?.low == 0.4 && accuracy.intervalB?.high == 0.78)
        #expect(abs((accuracy.change ?? 0) - 0.2) < 1e-12 && accuracy.beyondInterval)
        let markdown = diff.markdown()
        print(markdown)
        #expect(markdown.contains("| `models.cnn.test_accuracy` | CNN: test accuracy | 0.5 [0.4, 0.6] | 0.7 [0.62, 0.78] | +0.2 (beyond the 95% interval) |"))
        #expect(markdown.contains("| `models.cnn.ece` | CNN: ECE <15 bins> | (absent) | 0.1 | added |"))
        #expect(markdown.contains("| seed | 42 | 7 |"))
        #expect(!markdown.contains("timings") && !markdown.contains("split.train"))
        let html = diff.html()
        #expect(html.contains("CNN: ECE &lt;15 bins&gt;") && !html.contains("<15 bins>"))
        #expect(html.hasPrefix("<!DOCTYPE html>") && !html.contains("<script"))
        // Timings only on request.
        let timed = try ResultsDiff(a: siteA, b: fileB, includeTimings: true)
        #expect(timed.rows.contains { $0.key == "timings_s.split" })
    }

    @Test func identicalRunsHaveNoRows() throws {
        let root = try TestPaths.temporaryFolder("diff-same")
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try write(results(seed: 1, accuracy: 0.5, low: 0.4, high: 0.6), to: root, as: "a.json")
        let b = try write(results(seed: 1, accuracy: 0.5, low: 0.4, high: 0.6, wall: 5), to: root, as: "b.json")
        let diff = try ResultsDiff(a: a, b: b)
        #expect(diff.rows.isEmpty && diff.settings.isEmpty)
        #expect(diff.markdown().contains("0 of 3 result keys changed"))
    }

    @Test func anIntervalThatMovesAloneIsARow() throws {
        let root = try TestPaths.temporaryFolder("diff-interval")
        defer { try? FileManager.default.removeItem(at: root) }
        let a = try write(results(seed: 1, accuracy: 0.5, low: 0.4, high: 0.6), to: root, as: "a.json")
        let b = try write(results(seed: 2, accuracy: 0.5, low: 0.41, high: 0.6), to: root, as: "b.json")
        let diff = try ResultsDiff(a: a, b: b)
        #expect(diff.rows.map(\.key) == ["models.cnn.test_accuracy"])
        #expect(diff.rows.first.map(ResultsDiff.changeText) == "0 (interval changed)")
    }

    @Test func badInputNamesTheFileAndTheReason() throws {
        let root = try TestPaths.temporaryFolder("diff-bad")
        defer { try? FileManager.default.removeItem(at: root) }
        let good = try write(results(seed: 1, accuracy: 0.5, low: 0.4, high: 0.6), to: root, as: "good.json")
        let notResults = try write(#"{"schema": 1}"#, to: root, as: "other.json")
        func message(_ body: () throws -> Void) -> String {
            do { try body(); return "" } catch { return "\(error)" }
        }
        let missing = message { _ = try ResultsDiff(a: good, b: root.appendingPathComponent("nowhere")) }
        #expect(missing.contains("nowhere") && missing.contains("no such file"))
        let wrong = message { _ = try ResultsDiff(a: good, b: notResults) }
        #expect(wrong.contains("other.json") && wrong.contains("results"), "\(wrong)")
        let emptyFolder = message { _ = try ResultsDiff(a: root, b: good) }
        #expect(emptyFolder.contains("results.json"), "\(emptyFolder)")
    }
}
