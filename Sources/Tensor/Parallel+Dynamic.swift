import Dispatch
import Foundation

extension Parallel {
    /// Calls `body(i)` for every `i` in `0..<count`, the worker threads taking the next index as
    /// they become free (dynamic scheduling). Use it for loops whose items take uneven time, such
    /// as decoding files, or on a shared machine where one worker may be paused: unlike
    /// `forEach`'s fixed halves, no thread is left with a backlog while the other idles.
    public static func forEachDynamic(_ count: Int, _ body: (Int) -> Void) {
        guard count > 0 else { return }
        let workers = min(threadCount, count)
        if workers == 1 { for i in 0..<count { body(i) }; return }
        let previous = blasThreads
        blasThreads = 1
        defer { blasThreads = previous }
        let next = IndexDispenser()
        // Each index is handed out once, so sharing the non-Sendable closure is safe; the cast
        // states that promise (as in `forEachChunk`).
        withoutActuallyEscaping(body) { body in
            let shared = unsafeBitCast(body, to: (@Sendable (Int) -> Void).self)
            DispatchQueue.concurrentPerform(iterations: workers) { _ in
                while let i = next.take(below: count) { shared(i) }
            }
        }
    }

    /// Maps `0..<count` to an array with dynamic scheduling (see `forEachDynamic`), preserving order.
    public static func mapDynamic<T>(_ count: Int, _ transform: (Int) -> T) -> [T] {
        var results = [T?](repeating: nil, count: count)
        results.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            forEachDynamic(count) { i in (base + i).pointee = transform(i) }
        }
        return results.map { $0! }
    }
}

/// Hands out 0, 1, 2, ... to any thread, each number once (work items for threads that take the
/// next one when they are free).
public final class IndexDispenser: @unchecked Sendable {
    private var next = 0
    private let lock = NSLock()

    public init() {}

    public func take(below limit: Int) -> Int? {
        lock.lock(); defer { lock.unlock() }
        guard next < limit else { return nil }
        next += 1
        return next - 1
    }
}
