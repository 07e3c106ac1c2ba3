import Foundation

/// The first error thrown by any worker of a parallel loop (later ones are dropped).
final class FirstError: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Error?

    var error: Error? { lock.withLock { stored } }
    var isSet: Bool { lock.withLock { stored != nil } }
    func set(_ error: Error) { lock.withLock { if stored == nil { stored = error } } }
}

/// A counter shared by the workers of a parallel loop, for progress reports.
final class Counter: @unchecked Sendable {
    private let lock = NSLock()
    private var value = 0

    /// Adds one and returns the new count.
    func increment() -> Int { lock.withLock { value += 1; return value } }
}
