import Foundation
import Tensor

/// What a running section can use: the resolved configuration, the dataset, seeded random
/// streams, progress reporting, warnings, and the artifact store.
public final class StudyContext: @unchecked Sendable {
    public let config: StudyConfig
    public let profile: Profile
    public let seed: UInt64
    /// The dataset folder (one sub-folder per class).
    public let datasetRoot: URL
    /// Where `templates/` and `assets/` live.
    public let resources: URL
    /// Folder of pretrained weights (`--weights`; see `bloodstudy fetch-weights`).
    public let weights: URL
    /// This step's id.
    public let stepID: String
    /// Where this step writes its artifacts (verified and committed when the step finishes).
    public let artifacts: ArtifactWriter
    /// A folder that survives an interrupted run of this step (unlike the staging area), keyed by
    /// the step's input hash: a long step saves its progress here (a network's last finished epoch)
    /// and picks it up when it runs again with the same inputs. The runner deletes it once the step
    /// is committed. Not created until a step asks (`FileManager.createDirectory`).
    public let resumeFolder: URL
    private let upstreamFolders: [String: URL]
    private let progressSink: @Sendable (Int, Int) -> Void
    private let warningSink: @Sendable (String) -> Void
    private let lock = NSLock()
    private var collectedWarnings: [String] = []

    init(config: StudyConfig, profile: Profile, seed: UInt64, datasetRoot: URL, resources: URL, weights: URL, stepID: String,
         artifacts: ArtifactWriter, upstream: [String: URL], resumeFolder: URL? = nil,
         progress: @escaping @Sendable (Int, Int) -> Void, warning: @escaping @Sendable (String) -> Void) {
        self.config = config; self.profile = profile; self.seed = seed
        self.datasetRoot = datasetRoot; self.resources = resources; self.weights = weights; self.stepID = stepID
        self.artifacts = artifacts; self.upstreamFolders = upstream
        self.resumeFolder = resumeFolder ?? FileManager.default.temporaryDirectory
            .appendingPathComponent("bloodstudy-resume-\(stepID)-\(UUID().uuidString.prefix(8))")
        self.progressSink = progress; self.warningSink = warning
    }

    /// A random generator for this step; `stream` separates independent uses within the step.
    /// The same seed, step and stream always give the same numbers.
    public func generator(stream: UInt64 = 0) -> SeededGenerator {
        var h: UInt64 = 0xcbf2_9ce4_8422_2325   // FNV-1a of the step id, so steps get unrelated streams
        for byte in stepID.utf8 { h = (h ^ UInt64(byte)) &* 0x100_0000_01b3 }
        return SeededGenerator.stream(seed: seed ^ h, stream)
    }

    /// Reports progress within the step (`done` of `total` units); safe from any thread.
    public func progress(_ done: Int, _ total: Int) { progressSink(done, total) }

    /// The progress closure to hand down to library code.
    public var progressHandler: @Sendable (Int, Int) -> Void { progressSink }

    /// Records a warning: printed now and shown in the report.
    public func warn(_ message: String) {
        lock.lock(); collectedWarnings.append(message); lock.unlock()
        warningSink(message)
    }

    /// Warnings recorded so far by this step.
    public var warnings: [String] {
        lock.lock(); defer { lock.unlock() }
        return collectedWarnings
    }

    /// The artifacts of an upstream step listed in the section's `dependencies`.
    public func upstream(_ id: String) throws -> ArtifactReader {
        guard let folder = upstreamFolders[id] else { throw StudyError.unknownStep(id) }
        return ArtifactReader(step: id, folder: folder)
    }
}
