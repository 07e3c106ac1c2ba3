import Foundation
import Tensor
import Report

/// The on-disk cache of step results: `<cache>/steps/<step>/<input hash>/` holds the step's
/// artifacts, `result.json` (its `SectionResult`) and `manifest.json` (sizes and SHA-256 of every
/// file). A step is built in a `.staging-*` folder and renamed into place only when complete, so
/// an interrupted run never leaves a half-written entry that looks finished.
public struct StepCache: Sendable {
    static let resultFile = "result.json"
    public let root: URL

    public init(root: URL) { self.root = root.appendingPathComponent("steps") }

    func entry(_ step: String, _ hash: String) -> URL {
        root.appendingPathComponent(step).appendingPathComponent(hash)
    }

    /// The folder where step `step` with inputs `hash` keeps progress across interrupted runs
    /// (`<cache>/resume/<step>/<hash>/`), outside the staging folders that a new run clears.
    func resumeFolder(_ step: String, _ hash: String) -> URL {
        root.deletingLastPathComponent().appendingPathComponent("resume").appendingPathComponent(step).appendingPathComponent(hash)
    }

    /// Deletes the resume folders of `step` (its result is committed, so none is needed any more).
    func removeResume(_ step: String) {
        FileOps.removeIfPossible(root.deletingLastPathComponent().appendingPathComponent("resume").appendingPathComponent(step))
    }

    /// A verified cache entry.
    struct Hit {
        var result: SectionResult
        var computeSeconds: Double
        var folder: URL
    }

    /// The entry for `step` at `hash` when it exists and every file matches its manifest.
    /// A damaged entry is deleted and reported through `warn`, and nil is returned.
    func load(_ step: String, hash: String, warn: (String) -> Void) -> Hit? {
        let folder = entry(step, hash)
        let fm = FileManager.default
        guard fm.fileExists(atPath: folder.path) else { return nil }
        func corrupt(_ why: String) -> Hit? {
            warn("cache entry of step '\(step)' is damaged (\(why)); recomputing it")
            FileOps.removeIfPossible(folder)
            return nil
        }
        guard let manifestData = fm.contents(atPath: folder.appendingPathComponent(ArtifactManifest.fileName).path),
              let manifest = try? JSONDecoder.iso.decode(ArtifactManifest.self, from: manifestData) else {
            return corrupt("no readable manifest")
        }
        guard manifest.inputHash == hash, manifest.step == step else { return corrupt("manifest is for another step") }
        // Every file is re-checked by streaming it (a few MB at a time): a cached rerun's memory
        // does not grow with the artifacts (the HOG matrix is 3 GB).
        for file in manifest.files {
            let url = folder.appendingPathComponent(file.name)
            let size = (try? fm.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue
            guard let size else { return corrupt("\(file.name) is missing") }
            guard size == file.bytes, let sum = try? SHA256.hex(fileAt: url), sum.bytes == file.bytes, sum.hex == file.sha256 else {
                return corrupt("\(file.name) does not match its checksum")
            }
        }
        guard let resultData = fm.contents(atPath: folder.appendingPathComponent(Self.resultFile).path),
              let result = try? JSONDecoder().decode(SectionResult.self, from: resultData) else {
            return corrupt("result.json does not decode")
        }
        return Hit(result: result, computeSeconds: manifest.computeSeconds, folder: folder)
    }

    /// A fresh staging folder for `step`.
    func stage(_ step: String) throws -> URL {
        let folder = root.appendingPathComponent(step).appendingPathComponent(".staging-\(UUID().uuidString.prefix(8))")
        try FileOps.createDirectory(folder)
        return folder
    }

    /// Writes `result` and the manifest into `staging` and moves it to the entry for `hash`.
    @discardableResult
    func commit(_ staging: URL, step: String, hash: String, result: SectionResult, computeSeconds: Double) throws -> URL {
        let fm = FileManager.default
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileOps.write(try encoder.encode(result), to: staging.appendingPathComponent(Self.resultFile))
        var files: [ArtifactManifest.Entry] = []
        for name in try fm.contentsOfDirectory(atPath: staging.path).sorted() where name != ArtifactManifest.fileName {
            let sum = try SHA256.hex(fileAt: staging.appendingPathComponent(name))
            files.append(.init(name: name, bytes: sum.bytes, sha256: sum.hex))
        }
        let manifest = ArtifactManifest(step: step, inputHash: hash, files: files,
                                        computeSeconds: computeSeconds, createdAt: Date())
        try FileOps.write(try JSONEncoder.iso.encode(manifest), to: staging.appendingPathComponent(ArtifactManifest.fileName))
        let target = entry(step, hash)
        try FileOps.remove(target)
        try FileOps.move(staging, to: target)
        // The rename is durable only once the step's folder is synced.
        try FileOps.syncDirectory(target.deletingLastPathComponent())
        return target
    }

    /// Removes staging folders left by interrupted runs.
    func removeStaging() {
        let fm = FileManager.default
        for step in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] {
            let folder = root.appendingPathComponent(step)
            for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(".staging-") {
                FileOps.removeIfPossible(folder.appendingPathComponent(name))
            }
        }
    }
}

extension JSONDecoder {
    static var iso: JSONDecoder { let d = JSONDecoder(); d.dateDecodingStrategy = .iso8601; return d }
}

extension JSONEncoder {
    static var iso: JSONEncoder {
        let e = JSONEncoder(); e.dateEncodingStrategy = .iso8601; e.outputFormatting = [.sortedKeys, .prettyPrinted]; return e
    }
}
