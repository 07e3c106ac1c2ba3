import Foundation
@testable import Study
import Tensor
import Testing
import _TestSupport

/// A cached rerun re-checks every artifact by streaming it, so its memory does not grow with the
/// artifacts (the full run's HOG matrix is 3 GB); damage is still found.
@Suite("Step cache: streamed checksums", .serialized)
struct StepCacheStreamingTests {
    @Test("the streamed file digest equals the in-memory one, across chunk boundaries")
    func streamedDigestMatches() throws {
        let folder = try TestPaths.temporaryFolder("sha-stream")
        defer { try? FileManager.default.removeItem(at: folder) }
        var rng = SeededGenerator(seed: 9)
        for size in [0, 1, 63, 64, 65, 1000, 70_001] {
            let data = Data((0..<size).map { _ in UInt8.random(in: 0...255, using: &rng) })
            let url = folder.appendingPathComponent("f\(size)")
            try data.write(to: url)
            // Chunks of 100 bytes: not a multiple of SHA-256's 64-byte block, so partial blocks carry over.
            let streamed = try SHA256.hex(fileAt: url, chunkBytes: 100)
            #expect(streamed.hex == SHA256.hex(data) && streamed.bytes == size)
        }
    }

    /// Peak resident memory of this process since the last reset, in bytes (Linux `VmHWM`).
    static func peakResident() -> Int? {
        guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8) else { return nil }
        for line in status.split(separator: "\n") where line.hasPrefix("VmHWM:") {
            return line.split(separator: " ").compactMap { Int($0) }.first.map { $0 * 1024 }
        }
        return nil
    }

    /// Resets the peak (`echo 5 > /proc/self/clear_refs`, Linux 4.0+); false where that is not allowed.
    static func resetPeak() -> Bool {
        guard let handle = FileHandle(forWritingAtPath: "/proc/self/clear_refs") else { return false }
        defer { try? handle.close() }
        return (try? handle.write(contentsOf: Data("5".utf8))) != nil
    }

    @Test("a 16 MB artifact is verified with bounded memory, and a flipped byte in it is still detected")
    func largeArtifactBoundedMemory() throws {
        let root = try TestPaths.temporaryFolder("cache-stream")
        defer { try? FileManager.default.removeItem(at: root) }
        let cache = StepCache(root: root)
        let staging = try cache.stage("big")
        let size = 16 << 20  // large against the bound below, small enough for a debug build (slow SHA-256) to hash three times
        let file = staging.appendingPathComponent("big.bin")
        FileManager.default.createFile(atPath: file.path, contents: nil)
        let handle = try FileHandle(forWritingTo: file)
        var piece = Data(count: 8 << 20)
        for i in 0..<(size / piece.count) {
            piece[0] = UInt8(truncatingIfNeeded: i); piece[piece.count - 1] = UInt8(truncatingIfNeeded: i &* 7)
            try handle.write(contentsOf: piece)
        }
        try handle.close()
        let result = SectionResult(cells: [], headlines: [])
        try cache.commit(staging, step: "big", hash: "h1", result: result, computeSeconds: 1)

        var warnings: [String] = []
        let canMeasure = Self.resetPeak()
        let before = Self.peakResident() ?? 0
        let hit = cache.load("big", hash: "h1") { warnings.append($0) }
        let growth = (Self.peakResident() ?? 0) - before
        #expect(hit != nil && warnings.isEmpty)
        if canMeasure {
            // Reading the file whole would add 16 MB; streaming adds at most a 4 MB chunk. Other suites run in
            // parallel in this process, so the bound leaves them 8 MB (a run of this suite alone leaves nothing to chance).
            print("StepCache.load of a 16 MB artifact: peak resident memory grew by \(growth >> 20) MB")
            #expect(growth < 12 << 20, "peak grew by \(growth >> 20) MB")
        } else {
            print("StepCache.load memory not measured: /proc/self/clear_refs is not writable here")
        }

        // Flip one byte in the middle: same size, different digest.
        let entry = cache.entry("big", "h1").appendingPathComponent("big.bin")
        let write = try FileHandle(forUpdating: entry)
        try write.seek(toOffset: UInt64(size / 2 + 3))
        let old = try write.read(upToCount: 1)![0]
        try write.seek(toOffset: UInt64(size / 2 + 3))
        try write.write(contentsOf: Data([old ^ 0x40]))
        try write.close()
        #expect(cache.load("big", hash: "h1") { warnings.append($0) } == nil)
        #expect(warnings == ["cache entry of step 'big' is damaged (big.bin does not match its checksum); recomputing it"])
    }
}
