import Foundation
import Tensor
import Report

/// Large Float32 matrices (the 17,092 x 44,100 HOG matrix is 3 GB) as binary artifacts, streamed
/// in row blocks so that no second whole copy is made in memory.
///
/// The layout is the one `write(array:shape:as:)` uses (`<name>.bin` little-endian row-major plus
/// `<name>.shape.json`), so `readArray` also reads these files. Writing is atomic within the step's
/// staging folder: the bytes go to a `.partial` file whose size is checked before it is renamed to
/// `<name>.bin`. The SHA-256 of every file is taken when the step commits (`StepCache.commit`), and
/// a cache entry whose files no longer match is never used, so a damaged matrix is recomputed
/// rather than read.
extension ArtifactWriter {
    /// Bytes per write call: large enough for throughput, small enough not to double memory.
    static let blockBytes = 64 << 20

    /// Writes `matrix` `(rows, columns)` under `name` (`<name>.bin` + `<name>.shape.json`).
    public func write(matrix: Matrix<Float>, as name: String) throws {
        let header = BinaryArrayHeader(dtype: Float.dtype, shape: [matrix.rows, matrix.columns])
        precondition(!name.contains("/") && !name.hasPrefix("."), "artifact name '\(name)' must be a plain file name")
        let target = folder.appendingPathComponent(name + ".bin")
        let partial = folder.appendingPathComponent(name + ".bin.partial")
        let expected = matrix.storage.count * MemoryLayout<Float>.stride
        do {
            let stream = try FileOps.StreamWriter(url: partial, expectedBytes: expected)
            try matrix.storage.withUnsafeBytes { raw in
                var offset = 0
                while offset < raw.count {
                    let end = min(raw.count, offset + Self.blockBytes)
                    try stream.append(Data(bytesNoCopy: UnsafeMutableRawPointer(mutating: raw.baseAddress! + offset),
                                           count: end - offset, deallocator: .none))
                    offset = end
                }
            }
            try stream.finish(sync: true)
        } catch {
            FileOps.removeIfPossible(partial)
            throw error
        }
        let written = (try? FileManager.default.attributesOfItem(atPath: partial.path)[.size] as? NSNumber)?.intValue ?? -1
        guard written == expected else {
            throw StudyError.artifactCorrupt(step: step, name: name, detail: "wrote \(written) bytes, expected \(expected)")
        }
        try FileOps.write(try JSONEncoder().encode(header), to: folder.appendingPathComponent(name + ".shape.json"))
        try FileOps.move(partial, to: target, replacing: true)
    }
}

extension ArtifactReader {
    /// Reads a Float32 matrix written with `write(matrix:as:)` (or `write(array:shape:as:)` with a
    /// two-dimensional shape), streaming the file into the matrix's storage.
    public func readMatrix(_ name: String) throws -> Matrix<Float> {
        let header = try JSONDecoder().decode(BinaryArrayHeader.self, from: bytes(name + ".shape.json"))
        guard header.dtype == Float.dtype, header.shape.count == 2 else {
            throw StudyError.artifactCorrupt(step: step, name: name,
                                             detail: "stored as \(header.dtype) \(header.shape), read as a float32 matrix")
        }
        let url = folder.appendingPathComponent(name + ".bin")
        guard let handle = try? FileHandle(forReadingFrom: url) else { throw StudyError.artifactMissing(step: step, name: name + ".bin") }
        defer { try? handle.close() }
        var matrix = Matrix<Float>(rows: header.shape[0], columns: header.shape[1])
        let expected = matrix.storage.count * MemoryLayout<Float>.stride
        var offset = 0
        try matrix.storage.withUnsafeMutableBytes { raw in
            while offset < expected {
                guard let chunk = try handle.read(upToCount: min(ArtifactWriter.blockBytes, expected - offset)), !chunk.isEmpty else { break }
                chunk.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(offset + chunk.count)]))
                offset += chunk.count
            }
        }
        let extra = try handle.read(upToCount: 1) ?? Data()
        guard offset == expected, extra.isEmpty else {
            throw StudyError.artifactCorrupt(step: step, name: name, detail: "file size does not match shape \(header.shape)")
        }
        return matrix
    }
}
