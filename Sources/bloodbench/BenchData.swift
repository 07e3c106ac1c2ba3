import Tensor

/// Operands for the matrix benchmarks: uniform in [-1, 1) from 24 random bits per value, without
/// the standard library's generic `random(in:)` (not specialised across modules, it took longer
/// than the products being timed).
enum BenchData {
    static func uniform(_ count: Int, seed: UInt64) -> [Float] {
        var g = SeededGenerator(seed: seed)
        return [Float](unsafeUninitializedCapacity: count) { out, initialized in
            for i in 0..<count { out[i] = Float(Int32(truncatingIfNeeded: g.next() >> 40) - (1 << 23)) * 0x1p-23 }
            initialized = count
        }
    }
}
