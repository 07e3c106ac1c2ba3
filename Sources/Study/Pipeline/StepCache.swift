import Foundation
import Tensor

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
        try? FileManager.default.removeItem(at: root.deletingLastPathComponent().appendingPathComponent("resume").appendingPathComponent(step))
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
            try? fm.removeItem(at: folder)
            return nil
        }
        guard let manifestData = fm.contents(atPath: folder.appendingPathComponent(ArtifactManifest.fileName).path),
              let manifest = try? JSONDecoder.iso.decode(ArtifactManifest.self, from: manifestData) else {
            return corrupt("no readable manifest")
        }
        guard manifest.inputHash == hash, manifest.step == step else { return corrupt("manifest is for another step") }
        for file in manifest.files {
            guard let data = fm.contents(atPath: folder.appendingPathComponent(file.name).path) else {
                return corrupt("\(file.name) is missing")
            }
            guard data.count == file.bytes, SHA256.hex(data) == file.sha256 else {
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
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        return folder
    }

    /// Writes `result` and the manifest into `staging` and moves it to the entry for `hash`.
    @discardableResult
    func commit(_ staging: URL, step: String, hash: String, result: SectionResult, computeSeconds: Double) throws -> URL {
        let fm = FileManager.default
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try encoder.encode(result).write(to: staging.appendingPathComponent(Self.resultFile), options: .atomic)
        var files: [ArtifactManifest.Entry] = []
        for name in try fm.contentsOfDirectory(atPath: staging.path).sorted() where name != ArtifactManifest.fileName {
            let data = try Data(contentsOf: staging.appendingPathComponent(name))
            files.append(.init(name: name, bytes: data.count, sha256: SHA256.hex(data)))
        }
        let manifest = ArtifactManifest(step: step, inputHash: hash, files: files,
                                        computeSeconds: computeSeconds, createdAt: Date())
        try JSONEncoder.iso.encode(manifest).write(to: staging.appendingPathComponent(ArtifactManifest.fileName),
                                                   options: .atomic)
        let target = entry(step, hash)
        if fm.fileExists(atPath: target.path) { try fm.removeItem(at: target) }
        try fm.moveItem(at: staging, to: target)
        return target
    }

    /// Removes staging folders left by interrupted runs.
    func removeStaging() {
        let fm = FileManager.default
        for step in (try? fm.contentsOfDirectory(atPath: root.path)) ?? [] {
            let folder = root.appendingPathComponent(step)
            for name in (try? fm.contentsOfDirectory(atPath: folder.path)) ?? [] where name.hasPrefix(".staging-") {
                try? fm.removeItem(at: folder.appendingPathComponent(name))
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
