import Foundation
import Tensor
import Report

/// Runs the study's sections in order as cached steps.
///
/// For each section the runner hashes its declared inputs (config values, code version, seed,
/// dataset fingerprint, upstream steps' hashes). A verified cache entry with that hash is reused;
/// otherwise the section runs, timed, its artifacts are written to a staging folder, checksummed,
/// and moved into the cache. Finished steps stay cached, so an interrupted run resumes where it
/// stopped. `force` recomputes the named steps and every step that depends on them.
public struct StudyRunner {
    public var sections: [any StudySection]
    public var config: StudyConfig
    public var profile: Profile
    public var seed: UInt64
    public var datasetRoot: URL
    public var cache: StepCache
    public var resources: URL
    /// Folder of pretrained weights, passed to sections.
    public var weights: URL
    public var progress: ProgressReporter
    public var force: Set<String>

    public init(sections: [any StudySection], config: StudyConfig, profile: Profile, seed: UInt64,
                datasetRoot: URL, cacheRoot: URL, resources: URL, weights: URL = URL(fileURLWithPath: "weights"),
                progress: ProgressReporter, force: Set<String> = []) {
        self.sections = sections; self.config = config; self.profile = profile; self.seed = seed
        self.datasetRoot = datasetRoot; self.cache = StepCache(root: cacheRoot); self.resources = resources
        self.weights = weights; self.progress = progress; self.force = force
    }

    /// Checks ids, order and `force` before anything runs.
    public func validate() throws {
        var seen = Set<String>()
        for section in sections {
            guard NotebookSection.isValidID(section.id) else {
                throw StudyError.badConfig(file: "sections", detail: "step id '\(section.id)' must be lower-case letters, digits and '-'")
            }
            guard seen.insert(section.id).inserted else { throw StudyError.duplicateStep(section.id) }
            for dependency in section.dependencies where !seen.contains(dependency) || dependency == section.id {
                throw StudyError.stepOrder(step: section.id, dependency: dependency)
            }
        }
        for id in force where !seen.contains(id) { throw StudyError.unknownStep(id) }
    }

    /// Runs every section; throws `StudyError.stepFailed` naming the first step that fails.
    public func run() throws -> StudyRun {
        try validate()
        let started = Date()
        let clock = ProcessInfo.processInfo.systemUptime
        let fingerprint = try sections.contains(where: \.usesDataset)
            ? DatasetFingerprint.compute(datasetRoot) : DatasetFingerprint(sha256: "", files: 0, bytes: 0)
        cache.removeStaging()
        progress.begin(steps: sections.count)

        var hashes: [String: String] = [:]
        var folders: [String: URL] = [:]
        var recomputeAll = force
        var records: [StepRecord] = []
        var results: [String: SectionResult] = [:]

        for (index, section) in sections.enumerated() {
            let hash = try inputHash(section, fingerprint: fingerprint, upstream: hashes)
            hashes[section.id] = hash
            if section.dependencies.contains(where: recomputeAll.contains) { recomputeAll.insert(section.id) }
            progress.beginStep(index, section.title)
            let stepStart = ProcessInfo.processInfo.systemUptime
            let progress = self.progress

            if !recomputeAll.contains(section.id),
               let hit = cache.load(section.id, hash: hash, warn: { progress.note("warning: \($0)") }),
               let page = renderedPage(section, hit, warn: { progress.note("warning: \($0)") }) {
                let seconds = ProcessInfo.processInfo.systemUptime - stepStart
                progress.endStep(seconds: seconds, cached: true, computedSeconds: hit.computeSeconds)
                folders[section.id] = hit.folder
                results[section.id] = page
                records.append(StepRecord(id: section.id, title: section.title, inputHash: hash, cached: true,
                                          seconds: seconds, computeSeconds: hit.computeSeconds))
                continue
            }

            let staging = try cache.stage(section.id)
            let upstream = folders.filter { section.dependencies.contains($0.key) }
            let context = StudyContext(
                config: config, profile: profile, seed: seed, datasetRoot: datasetRoot, resources: resources,
                weights: weights, stepID: section.id, artifacts: ArtifactWriter(step: section.id, folder: staging), upstream: upstream,
                resumeFolder: cache.resumeFolder(section.id, hash),
                progress: { progress.update($0, $1) },
                warning: { progress.note("warning (\(section.id)): \($0)") })
            var result: SectionResult
            do {
                result = try section.run(context)
            } catch {
                FileOps.removeIfPossible(staging)
                progress.note("step '\(section.id)' failed")
                throw StudyError.stepFailed(step: section.id, title: section.title, underlying: FileOperationError.plainWords(error))
            }
            let warnings = context.warnings
            if !warnings.isEmpty {
                result.cells.append(.code(source: SectionResult.warningsSource, outputs: warnings.map { .warning($0) }))
            }
            let seconds = ProcessInfo.processInfo.systemUptime - stepStart
            do {
                folders[section.id] = try cache.commit(staging, step: section.id, hash: hash, result: result,
                                                       computeSeconds: seconds)
            } catch {
                FileOps.removeIfPossible(staging)
                progress.note("step '\(section.id)' failed")
                throw StudyError.stepFailed(step: section.id, title: section.title, underlying: FileOperationError.plainWords(error))
            }
            cache.removeResume(section.id)
            progress.endStep(seconds: seconds, cached: false)
            results[section.id] = result
            records.append(StepRecord(id: section.id, title: section.title, inputHash: hash, cached: false,
                                      seconds: seconds, computeSeconds: seconds))
        }
        return StudyRun(config: config, profile: profile, seed: seed, datasetRoot: datasetRoot,
                        dataset: fingerprint, sections: sections.map { ($0.id, $0.title) },
                        pages: Set(sections.filter(\.hasPage).map(\.id)),
                        configKeys: Dictionary(uniqueKeysWithValues: try sections.map { ($0.id, try $0.claimedConfigKeys(config)) }),
                        records: records,
                        results: results, startedAt: started,
                        wallSeconds: ProcessInfo.processInfo.systemUptime - clock)
    }

    /// The page of a cache hit: rendered afresh from the stored result for a ``ComputedSection``
    /// (with the warnings its computation raised), else the page stored with the entry. Nil when the
    /// stored result no longer decodes, so that the step is computed again.
    func renderedPage(_ section: any StudySection, _ hit: StepCache.Hit, warn: (String) -> Void) -> SectionResult? {
        do {
            guard var page = try section.page(cachedIn: ArtifactReader(step: section.id, folder: hit.folder)) else {
                return hit.result
            }
            page.cells += hit.result.cells.filter(\.isWarnings)
            return page
        } catch {
            warn("the cached result of step '\(section.id)' cannot be read (\(error)); recomputing it")
            return nil
        }
    }

    /// SHA-256 of everything a step's result depends on.
    func inputHash(_ section: any StudySection, fingerprint: DatasetFingerprint,
                   upstream: [String: String]) throws -> String {
        var lines = [
            "bloodstudy-step 1",
            "program \(StudyVersion.program)",
            "step \(section.id) version \(section.version)",
            "seed \(seed)",
        ]
        if section.usesDataset { lines.append("dataset \(fingerprint.sha256)") }
        for dependency in section.dependencies.sorted() { lines.append("after \(dependency) \(upstream[dependency] ?? "?")") }
        let inputs = try section.inputs(config, weights: weights)
        for (name, value) in inputs.values.sorted(by: { $0.key < $1.key }) {
            lines.append("input \(name) \(String(decoding: value, as: UTF8.self))")
        }
        return SHA256.hex(lines.joined(separator: "\n"))
    }
}

/// The program's version, part of every step's hash and shown on the run card.
public enum StudyVersion {
    public static let program = "0.1.0"

    /// The compiler that built the program, as far as conditional compilation can tell.
    public static var swift: String {
        #if compiler(>=6.4)
        "6.4 or later"
        #elseif compiler(>=6.3)
        "6.3"
        #elseif compiler(>=6.2)
        "6.2"
        #elseif compiler(>=6.1)
        "6.1"
        #else
        "6.0"
        #endif
    }
}

/// How one step went in this run.
public struct StepRecord: Codable, Sendable, Equatable {
    public var id: String
    public var title: String
    public var inputHash: String
    /// Reused from the cache instead of computed.
    public var cached: Bool
    /// Wall time of the step in this run (loading the cache entry when `cached`).
    public var seconds: Double
    /// Wall time of the step when it was computed.
    public var computeSeconds: Double
}

/// Everything a finished run produced, from which the report is built.
public struct StudyRun: Sendable {
    public var config: StudyConfig
    public var profile: Profile
    public var seed: UInt64
    public var datasetRoot: URL
    public var dataset: DatasetFingerprint
    /// Section ids and titles in order.
    public var sections: [(id: String, title: String)]
    /// Ids of the sections that are pages of the report (see `StudySection.hasPage`).
    public var pages: Set<String>
    /// Per section id, the dotted prefixes of the profile settings it reads
    /// (`StudySection.claimedConfigKeys`).
    public var configKeys: [String: [String]] = [:]
    public var records: [StepRecord]
    public var results: [String: SectionResult]
    public var startedAt: Date
    public var wallSeconds: Double

    /// Steps reused from the cache.
    public var cachedCount: Int { records.filter(\.cached).count }
}
