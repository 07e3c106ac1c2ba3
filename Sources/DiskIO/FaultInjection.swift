import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A test-only switch that makes the Nth file operation of a run fail, or kills the process there,
/// so that a harness (tools/fault-harness.sh) can prove that the next run loses nothing.
///
/// `$BLOODSTUDY_FAULT` = `KIND:N` fails the Nth operation of that kind (`write`, `rename`, `sync`,
/// `remove`, counted from 1 over the whole process) with an error; `kill-KIND:N` kills the process
/// with SIGKILL there instead. A write fault writes half of the data first, as a disk that fills up
/// would; a removal killed midway has removed one entry. `$BLOODSTUDY_FAULT_LOG` = a file: every
/// operation is appended to it as `KIND N PATH`, so the harness knows how many points a run has.
/// Without these variables nothing changes but a counter.
public final class FaultInjection: @unchecked Sendable {
    public static let variable = "BLOODSTUDY_FAULT"
    public static let logVariable = "BLOODSTUDY_FAULT_LOG"
    public static let shared = FaultInjection(environment: ProcessInfo.processInfo.environment)

    public enum Kind: String, CaseIterable, Sendable { case write, rename, sync, remove }

    struct Plan: Equatable { var kind: Kind; var index: Int; var kill: Bool }

    let plan: Plan?
    private let log: Int32
    private let lock = NSLock()
    private var counts: [Kind: Int] = [:]

    init(environment: [String: String]) {
        plan = environment[Self.variable].flatMap(Self.parse)
        if let path = environment[Self.logVariable], !path.isEmpty {
            log = open(path, O_WRONLY | O_CREAT | O_APPEND | O_CLOEXEC, 0o644)
        } else {
            log = -1
        }
    }

    /// `write:3`, `kill-rename:12`.
    static func parse(_ text: String) -> Plan? {
        let parts = text.split(separator: ":")
        guard parts.count == 2, let index = Int(parts[1]), index > 0 else { return nil }
        let kill = parts[0].hasPrefix("kill-")
        guard let kind = Kind(rawValue: String(kill ? parts[0].dropFirst(5) : parts[0])) else { return nil }
        return Plan(kind: kind, index: index, kill: kill)
    }

    /// Counts an operation of `kind` on `path`; when it is the planned one, runs `partially` (the
    /// part of the operation done before the fault) and throws, or kills the process.
    func before(_ kind: Kind, _ path: String, bytes: Int? = nil, partially: () throws -> Void) throws {
        lock.lock()
        let index = counts[kind, default: 0] + 1
        counts[kind] = index
        lock.unlock()
        if log >= 0 {
            let line = "\(kind.rawValue) \(index) \(path)\n"
            _ = line.withCString { systemWrite(log, $0, strlen($0)) }
        }
        guard let plan, plan.kind == kind, plan.index == index else { return }
        try partially()
        if plan.kill {
            if log >= 0 { fsync(log) }
            kill(getpid(), SIGKILL)
        }
        var error = FileOperationError(Self.operation(kind), path: path, code: kind == .write ? ENOSPC : EIO, bytes: bytes)
        error.injected = true
        throw error
    }

    /// Operations of each kind counted so far in this process.
    public var performed: [Kind: Int] {
        lock.lock(); defer { lock.unlock() }
        return counts
    }

    private static func operation(_ kind: Kind) -> FileOperationError.Operation {
        switch kind {
        case .write: .write
        case .rename: .rename
        case .sync: .sync
        case .remove: .remove
        }
    }
}
