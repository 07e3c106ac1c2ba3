import CBLAS
import Dispatch
import Foundation

/// Work split over the machine's cores with Dispatch.
///
/// OpenBLAS and oneDNN (OpenMP) run their own threads; inside a parallel region their calls are
/// pinned to one thread so the two cores of the target machine are not oversubscribed (see
/// docs/toolchain.md and `GEMMBackend`).
public enum Parallel {
    /// Number of worker threads: `BLOODSTUDY_THREADS` when set, else the active processor count.
    public static let threadCount: Int = {
        if let value = ProcessInfo.processInfo.environment["BLOODSTUDY_THREADS"], let n = Int(value), n > 0 {
            return n
        }
        return max(1, ProcessInfo.processInfo.activeProcessorCount)
    }()

    /// Calls `body(range)` once per contiguous chunk of `0..<count`, chunks running concurrently.
    /// Chunks are at least `minimumChunk` long so tiny loops stay on one thread.
    public static func forEachChunk(_ count: Int, minimumChunk: Int = 1,
                                    _ body: (Range<Int>) -> Void) {
        guard count > 0 else { return }
        let workers = min(threadCount, max(1, count / max(1, minimumChunk)))
        if workers == 1 { body(0..<count); return }
        let previous = blasThreads
        _ = GEMMBackend.available   // loaded (and its thread count set) on this thread, before the workers call it
        blasThreads = 1
        defer { blasThreads = previous }
        // Each chunk touches its own indices, so the closure is safe to share across threads even
        // though the caller's captures are not `Sendable`; the cast states that promise.
        withoutActuallyEscaping(body) { body in
            let shared = unsafeBitCast(body, to: (@Sendable (Range<Int>) -> Void).self)
            DispatchQueue.concurrentPerform(iterations: workers) { w in
                let lo = count * w / workers, hi = count * (w + 1) / workers
                if lo < hi { GEMMBackend.singleThreaded { shared(lo..<hi) } }
            }
        }
    }

    /// Calls `body(i)` for every `i` in `0..<count`, spread over the worker threads.
    public static func forEach(_ count: Int, minimumChunk: Int = 1, _ body: (Int) -> Void) {
        forEachChunk(count, minimumChunk: minimumChunk) { range in
            for i in range { body(i) }
        }
    }

    /// Maps `0..<count` to an array in parallel, preserving order.
    public static func map<T>(_ count: Int, minimumChunk: Int = 1, _ transform: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            forEachChunk(count, minimumChunk: minimumChunk) { range in
                for i in range { (base + i).pointee = transform(i) }
            }
        }
        return results.map { $0! }
    }

    /// OpenBLAS's own thread count. (Touching it first selects OpenBLAS's kernels, before any
    /// parallel region calls BLAS: `BLASKernelSelection`.)
    public static var blasThreads: Int {
        get { _ = BLASKernelSelection.core; return Int(openblas_get_num_threads()) }
        set { _ = BLASKernelSelection.core; openblas_set_num_threads(Int32(newValue)) }
    }
}
