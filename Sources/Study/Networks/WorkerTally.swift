import Foundation

/// The first failure by item index, recorded from any thread.
final class FirstFailure: @unchecked Sendable {
    private let lock = NSLock()
    private var failure: (Int, any Error)?
    func record(_ index: Int, _ error: any Error) {
        lock.lock(); defer { lock.unlock() }
        if failure == nil || index < failure!.0 { failure = (index, error) }
    }
    var failed: Bool { lock.lock(); defer { lock.unlock() }; return failure != nil }
    var first: (any Error)? { lock.lock(); defer { lock.unlock() }; return failure?.1 }
}

/// A count shared by worker threads.
final class FinishedCount: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0
    func increment() -> Int { lock.lock(); defer { lock.unlock() }; value += 1; return value }
}
