import Foundation
import Report
import Study
import Testing
import _TestSupport

@Suite("Report job: run, site, results.json, notebook")
struct ReportJobTests {
    func job(_ root: URL, data: URL = URL(fileURLWithPath: "/nonexistent"), profile: Profile = .smoke) -> ReportJob {
        ReportJob(profile: profile, seed: 42, data: data, out: root.appendingPathComponent("site"),
                  cache: root.appendingPathComponent("cache"), resources: StudyFixtures.resources)
    }

    @Test("a run writes the site; results.json has every documented key with this run's values beside")
    func writesSite() throws {
        let root = try TestPaths.temporaryFolder("job")
        defer { try? FileManager.default.removeItem(at: root) }
        let counter = RunCounter()
        let sections: [any StudySection] = [TestSection("a", claims: ["data"], counter: counter),
                                            TestSection("b", after: ["a"], counter: counter)]
        let summary = try job(root).run(sections: sections, progress: StudyFixtures.quietProgress())
        let site = summary.out
        let links = try SiteLinks.broken(in: site)
        #expect(links.broken.isEmpty, "\(links.broken)")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: site.appendingPathComponent("results.json"))) as? [String: Any])
        #expect(json["profile"] as? String == "smoke" && json["seed"] as? Int == 42)
        let timings = try #require(json["timings_s"] as? [String: Double])
        #expect(Set(timings.keys) == ["a", "b"])
        let results = try #require(json["results"] as? [String: [String: Any]])
        #expect(results["split.train"]?["documented"] as? Int == 11964)
        #expect(results["split.train"]?["this_run"] is NSNull)
        #expect(results["models.resnet18.pretrained"]?["documented"] as? Bool == true)
        #expect(results["test.b"]?["this_run"] as? Double != nil)
        let deviations = try #require(json["deviations"] as? [[String: String]])
        #expect(deviations.contains { $0["what"] == "data.images_per_class" && $0["this_run"] == "40" && $0["step"] == "a" })
        let index = try String(contentsOf: site.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains("0 of 2 steps reused from the cache"))
        #expect(index.contains("Where this run differs from the documented study"))
    }

    @Test("a second identical run reuses every step, and the run card says so")
    func runCardSaysCached() throws {
        let root = try TestPaths.temporaryFolder("job")
        defer { try? FileManager.default.removeItem(at: root) }
        let sections: [any StudySection] = [TestSection("a", counter: RunCounter())]
        _ = try job(root).run(sections: sections, progress: StudyFixtures.quietProgress())
        _ = try job(root).run(sections: sections, progress: StudyFixtures.quietProgress())
        let index = try String(contentsOf: root.appendingPathComponent("site/index.html"), encoding: .utf8)
        #expect(index.contains("1 of 1 steps reused from the cache"))
        #expect(index.contains(">cached<"))
    }

    @Test("a failing step leaves the previous site untouched and the error names the step and why")
    func failureKeepsSite() throws {
        let root = try TestPaths.temporaryFolder("job")
        defer { try? FileManager.default.removeItem(at: root) }
        let counter = RunCounter()
        _ = try job(root).run(sections: [TestSection("a", counter: counter)], progress: StudyFixtures.quietProgress())
        let index = root.appendingPathComponent("site/index.html")
        let before = try Data(contentsOf: index)
        let failing: [any StudySection] = [TestSection("a", counter: counter),
                                           TestSection("b", after: ["a"], counter: counter, fails: { true })]
        #expect { try job(root).run(sections: failing, progress: StudyFixtures.quietProgress()) } throws: { error in
            "\(error)".contains("step 'b' (Section B) failed: simulated interruption")
                && "\(error)".contains("previous site, if any, is unchanged")
        }
        #expect(try Data(contentsOf: index) == before)
    }

    @Test("--out pointing at a folder this program did not write is refused before anything runs")
    func refusesForeignOut() throws {
        let root = try TestPaths.temporaryFolder("job")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("site")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        try Data("keep".utf8).write(to: out.appendingPathComponent("notes.txt"))
        let counter = RunCounter()
        #expect(throws: ReportError.self) {
            try job(root).run(sections: [TestSection("a", counter: counter)], progress: StudyFixtures.quietProgress())
        }
        #expect(counter["a"] == 0)
        #expect(try String(contentsOf: out.appendingPathComponent("notes.txt"), encoding: .utf8) == "keep")
    }

    @Test("the smoke report with the study's own sections: audit, split, links, warnings, and a cached second run")
    func smokeOnTinyDataset() throws {
        let root = try TestPaths.temporaryFolder("smoke")
        let data = try TinyDataset.make(perClass: 10)
        defer { try? FileManager.default.removeItem(at: root); try? FileManager.default.removeItem(at: data) }
        let first = try job(root, data: data).run(progress: StudyFixtures.quietProgress())
        let headlines = Dictionary(uniqueKeysWithValues: first.run.results.values.flatMap(\.headlines).map { ($0.key, $0.value) })
        // 80 images decode; the stray .DS_ file does not.
        #expect(headlines["dataset.valid_images"] == .int(80))
        #expect(headlines["dataset.classes"] == .int(8))
        #expect(headlines["audit.rejected_files"] == .int(1))
        // The 20x24 basophil image and its pixel-identical copy among the platelets.
        #expect(headlines["audit.size_outliers"] == .int(2))
        #expect(headlines["audit.duplicate_groups"] == .int(1))
        // Fewer than 40 per class, so all 80 are split 70/15/15: 56 / 12 / 12.
        #expect(headlines["split.train"] == .int(56) && headlines["split.val"] == .int(12) && headlines["split.test"] == .int(12))
        let links = try SiteLinks.broken(in: first.out)
        #expect(links.broken.isEmpty, "\(links.broken)")
        let audit = try String(contentsOf: first.out.appendingPathComponent("audit.html"), encoding: .utf8)
        #expect(audit.contains("neutrophil/.DS_169665.jpg"))
        #expect(audit.contains("<strong>Warning:</strong> skipped neutrophil/.DS_169665.jpg"))
        let second = try job(root, data: data).run(progress: StudyFixtures.quietProgress())
        #expect(second.run.cachedCount == second.run.records.count)
        let split = try String(contentsOf: second.out.appendingPathComponent("split.html"), encoding: .utf8)
        #expect(split.contains(">basophil</th><td class=\"num\">7</td><td class=\"num\">2</td><td class=\"num\">1</td>")
                || split.contains(">basophil</th><td class=\"num\">7</td><td class=\"num\">1</td><td class=\"num\">2</td>"))
    }

    @Test("the deviations table lists only settings of steps that ran, each row naming its step; 0 images per class reads 'all'")
    func deviationsOfStepsThatRan() throws {
        let root = try TestPaths.temporaryFolder("job")
        defer { try? FileManager.default.removeItem(at: root) }
        let counter = RunCounter()
        // "a" claims data and tsne explicitly; "b" claims nothing, so its inputs (the kmeans block) count.
        let sections: [any StudySection] = [TestSection("a", claims: ["data", "tsne"], counter: counter),
                                            TestSection("b", after: ["a"], counter: counter)]
        let summary = try job(root).run(sections: sections, progress: StudyFixtures.quietProgress())
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: summary.out.appendingPathComponent("results.json"))) as? [String: Any])
        let rows = try #require(json["deviations"] as? [[String: String]])
        let byKey = Dictionary(rows.map { ($0["what"] ?? "", $0) }, uniquingKeysWith: { a, _ in a })
        #expect(byKey["data.images_per_class"]?["documented"] == "all")
        #expect(byKey["data.images_per_class"]?["step"] == "a")
        #expect(byKey["tsne.max_iter"]?["step"] == "a" && byKey["tsne.max_iter"]?["step_title"] == "Section A")
        #expect(byKey["kmeans.n_init"]?["step"] == "b")
        // The smoke profile reduces networks, SHAP, HOG and ViT settings; no step here reads them.
        let unclaimed = rows.compactMap { $0["what"] }.filter {
            $0.hasPrefix("networks.") || $0.hasPrefix("shap.") || $0.hasPrefix("hog.") || $0.hasPrefix("vit_features.")
                || $0.hasPrefix("logistic_regression.")
        }
        #expect(unclaimed.isEmpty, "\(unclaimed)")
        #expect(rows.allSatisfy { $0["step"] != nil })
        let index = try String(contentsOf: summary.out.appendingPathComponent("index.html"), encoding: .utf8)
        #expect(index.contains(">Step<") && index.contains("Section A"))
        #expect(!index.contains("networks.cnn.epochs"))
    }
}
