import Tensor
import Testing

@Suite("Parallel dynamic scheduling")
struct ParallelDynamicTests {
    @Test("forEachDynamic visits every index exactly once; mapDynamic keeps order")
    func coverage() {
        var hits = [Int](repeating: 0, count: 1000)
        hits.withUnsafeMutableBufferPointer { h in
            let base = h.baseAddress!
            Parallel.forEachDynamic(1000) { i in (base + i).pointee += 1 }
        }
        #expect(hits.allSatisfy { $0 == 1 })
        #expect(Parallel.mapDynamic(500) { $0 * $0 } == (0..<500).map { $0 * $0 })
        #expect(Parallel.mapDynamic(0) { $0 }.isEmpty)
    }
}
