import Foundation
import Report

/// Writes a step's artifacts into its staging folder: Codable values as JSON, numeric arrays as
/// raw little-endian binary with a small JSON header. Checksums are taken when the step commits.
public struct ArtifactWriter: Sendable {
    public let step: String
    let folder: URL

    /// Writes `value` as JSON under `name` (`<name>.json`).
    public func write(_ value: some Encodable, as name: String) throws {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileOps.write(try encoder.encode(value), to: file(name + ".json"))
    }

    /// Writes a numeric array with its shape under `name` (`<name>.bin` + `<name>.shape.json`).
    /// Use for large arrays (features, embeddings): no JSON parsing on the way back.
    public func write<T: BinaryArrayElement>(array values: [T], shape: [Int], as name: String) throws {
        precondition(shape.reduce(1, *) == values.count, "shape \(shape) does not hold \(values.count) values")
        let header = BinaryArrayHeader(dtype: T.dtype, shape: shape)
        try FileOps.write(try JSONEncoder().encode(header), to: file(name + ".shape.json"))
        let data = values.withUnsafeBufferPointer { Data(buffer: $0) }
        try FileOps.write(data, to: file(name + ".bin"))
    }

    /// Writes raw bytes (a PNG, a model file) under `name` exactly.
    public func write(data: Data, as name: String) throws {
        try FileOps.write(data, to: file(name))
    }

    private func file(_ name: String) throws -> URL {
        precondition(!name.contains("/") && !name.hasPrefix("."), "artifact name '\(name)' must be a plain file name")
        precondition(name != ArtifactManifest.fileName && name != StepCache.resultFile, "'\(name)' is reserved")
        return folder.appendingPathComponent(name)
    }
}

/// Reads the committed (already verified) artifacts of a step.
public struct ArtifactReader: Sendable {
    public let step: String
    let folder: URL

    public func read<T: Decodable>(_ type: T.Type, _ name: String) throws -> T {
        let data = try bytes(name + ".json")
        do { return try JSONDecoder().decode(T.self, from: data) } catch {
            throw StudyError.artifactCorrupt(step: step, name: name, detail: "\(error)")
        }
    }

    /// Reads an array written with `write(array:shape:as:)`; returns the shape and the values.
    public func readArray<T: BinaryArrayElement>(_ type: T.Type, _ name: String) throws -> (shape: [Int], values: [T]) {
        let header = try JSONDecoder().decode(BinaryArrayHeader.self, from: bytes(name + ".shape.json"))
        guard header.dtype == T.dtype else {
            throw StudyError.artifactCorrupt(step: step, name: name, detail: "stored as \(header.dtype), read as \(T.dtype)")
        }
        let data = try bytes(name + ".bin")
        let count = header.shape.reduce(1, *)
        guard data.count == count * MemoryLayout<T>.stride else {
            throw StudyError.artifactCorrupt(step: step, name: name, detail: "\(data.count) bytes for shape \(header.shape)")
        }
        let values = [T](unsafeUninitializedCapacity: count) { buffer, initialized in
            _ = data.copyBytes(to: buffer)
            initialized = count
        }
        return (header.shape, values)
    }

    public func bytes(_ name: String) throws -> Data {
        guard let data = FileManager.default.contents(atPath: folder.appendingPathComponent(name).path) else {
            throw StudyError.artifactMissing(step: step, name: name)
        }
        return data
    }
}

/// Element types a binary artifact can hold (stored little-endian, as on every platform we build for).
public protocol BinaryArrayElement: Sendable { static var dtype: String { get } }
extension Float: BinaryArrayElement { public static var dtype: String { "float32" } }
extension Double: BinaryArrayElement { public static var dtype: String { "float64" } }
extension Int32: BinaryArrayElement { public static var dtype: String { "int32" } }
extension UInt8: BinaryArrayElement { public static var dtype: String { "uint8" } }

struct BinaryArrayHeader: Codable {
    var dtype: String
    var shape: [Int]
}

/// The list of a cache entry's files with their sizes and SHA-256, written last when a step
/// commits; an entry without a manifest, or whose files do not match it, is not used.
struct ArtifactManifest: Codable {
    static let fileName = "manifest.json"
    struct Entry: Codable { var name: String; var bytes: Int; var sha256: String }
    var step: String
    var inputHash: String
    var files: [Entry]
    /// Seconds the step took when it was computed.
    var computeSeconds: Double
    var createdAt: Date
}
