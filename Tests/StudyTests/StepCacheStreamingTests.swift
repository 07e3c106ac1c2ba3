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

    @Test("a 16 MB artifact, read in 4 MB chunks, verifies, and a flipped byte in it is still detected")
    func largeArtifactVerifiedAndDamageFound() throws {
        let root = try TestPaths.temporaryFolder("cache-stream")
        defer { try? FileManager.default.removeItem(at: root) }
        let cache = StepCache(root: root)
        let staging = try cache.stage("big")
        let size = 16 << 20  // several 4 MB chunks, small enough for a debug build (slow SHA-256) to hash three times
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

        // Its memory is not measured here: peak resident memory is process-wide and the other suites
        // run in parallel in this process, so a bound would fail for their allocations, not this one's.
        // The full-data rerun measures it (a 3 GB HOG artifact re-checked with a 190 MB peak, README).
        var warnings: [String] = []
        let hit = cache.load("big", hash: "h1") { warnings.append($0) }
        #expect(hit != nil && warnings.isEmpty)

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
