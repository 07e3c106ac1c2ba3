import Foundation
import Report

/// One `bloodstudy report` run: load the profile, run the sections as cached steps, and write
/// the site (HTML pages, `results.json`, `study.ipynb`) to `out`, replacing a previous site only
/// when everything succeeded.
public struct ReportJob: Sendable {
    public var profile: Profile
    public var seed: UInt64
    public var data: URL
    public var out: URL
    public var cache: URL
    /// Folder holding `templates/` and `assets/` (the repository root).
    public var resources: URL
    /// Folder of pretrained weights.
    public var weights: URL
    /// Step ids to recompute along with every step that depends on them.
    public var force: [String]
    /// When another run holds the cache's lock: wait for it (true) or stop at once (`--no-wait`).
    public var waitForCache = true

    public init(profile: Profile, seed: UInt64, data: URL, out: URL, cache: URL, resources: URL,
                weights: URL = URL(fileURLWithPath: "weights"), force: [String] = []) {
        self.profile = profile; self.seed = seed; self.data = data; self.out = out
        self.cache = cache; self.resources = resources; self.weights = weights; self.force = force
    }

    /// The study's sections in order. `weights` is the weights folder whose checkpoints the
    /// pretrained networks' steps hash as inputs (so fetching weights later retrains them).
    public static func standardSections(weights: URL? = nil) -> [any StudySection] {
        [AuditSection(), SplitSection(),
         HOGSection(), PCAHOGSection(), EmbeddingHOGSection(), KMeansHOGSection(), NeighboursHOGSection(),
         BackboneSurveySection(), DeepFeaturesSection(), PCADeepSection(), EmbeddingDeepSection(), KMeansDeepSection(),
         NeighboursDeepSection(),
         LogisticRegressionSection(), DecisionTreeSection()]
            + NetworkKind.allCases.flatMap { kind -> [any StudySection] in
                let explanation = ShapSection(kind)
                return [NetworkTrainSection(kind, weights: weights), explanation, NetworkPageSection(kind, explanationStep: explanation.id)]
            }
            + [ComparisonSection(modelSteps: ["logistic-regression", "decision-tree"]
                                 + NetworkKind.allCases.map { "\($0.id)-train" })]
    }

    /// The standard sections limited to `ids` and everything they depend on (all when `ids` is empty).
    public static func sections(only ids: [String], weights: URL? = nil) throws -> [any StudySection] {
        let all = standardSections(weights: weights)
        guard !ids.isEmpty else { return all }
        var wanted = Set<String>(), pending = ids
        while let id = pending.popLast() {
            guard let section = all.first(where: { $0.id == id }) else { throw StudyError.unknownStep(id) }
            if wanted.insert(id).inserted { pending += section.dependencies }
        }
        return all.filter { wanted.contains($0.id) }
    }

    /// What a finished job did.
    public struct Summary: Sendable {
        public var out: URL
        public var run: StudyRun
        public var lines: [String] {
            ["wrote \(out.path)/index.html, results.json and study.ipynb",
             "\(run.cachedCount) of \(run.records.count) steps reused from the cache; wall time \(ProgressReporter.duration(run.wallSeconds))"]
        }
    }

    /// Runs the job. Checks `out` and the resources before computing anything.
    public func run(sections: [any StudySection]? = nil,
                    progress: ProgressReporter = ProgressReporter()) throws -> Summary {
        let sections = sections ?? Self.standardSections(weights: weights)
        // File errors name the folder they happen in and the option that moves it.
        FileLocations.shared.register(cache, option: "--cache")
        FileLocations.shared.register(out.standardizedFileURL.deletingLastPathComponent(), option: "--out")
        let lock = try CacheLock(cache: cache, wait: waitForCache) { holder in
            progress.note("waiting for another bloodstudy run (\(holder?.text ?? "process unknown")) that is using \(cache.path); it will go on when that run ends (--no-wait stops instead)")
        }
        defer { lock.release() }
        let writer = SiteWriter(resourceRoot: resources)
        try SiteFolder(out).checkReplaceable()
        _ = try writer.loadTemplates()
        let config = try StudyConfig.load(profile: profile, resources: resources)
        let paper = try StudyConfig.decodeFile(StudyConfig.profileURL(.paper, resources: resources))
        let deviations = try config.deviations(from: paper, file: StudyConfig.profileURL(profile, resources: resources).path)
        let runner = StudyRunner(sections: sections, config: config, profile: profile, seed: seed, datasetRoot: data,
                                 cacheRoot: cache, resources: resources, weights: weights, progress: progress,
                                 force: Set(force))
        let run = try runner.run()
        let dataset = try DatasetCardPage.forRun(run, resources: resources, cacheRoot: cache)
        let document = try StudyReport.document(for: run, profileDeviations: deviations, dataset: dataset)
        try writer.write(document, to: out)
        return Summary(out: out, run: run)
    }
}
