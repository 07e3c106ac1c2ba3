import Foundation
#if canImport(Glibc)
import Glibc
#elseif canImport(Darwin)
import Darwin
#endif

/// A headless Chromium driven over the DevTools protocol on `--remote-debugging-pipe`: the
/// browser reads commands from its file descriptor 3 and writes replies and events to 4, each a
/// JSON object ended by a NUL byte. No network port, no Python, no npm.
public final class DevToolsPipe {
    public enum Failure: Error, CustomStringConvertible {
        case spawn(String)
        case closed
        case timeout(String)
        case protocolError(String)
        public var description: String {
            switch self {
            case .spawn(let s): "could not start the browser: \(s)"
            case .closed: "the browser closed its DevTools pipe"
            case .timeout(let s): "no answer from the browser within the time limit (\(s))"
            case .protocolError(let s): "DevTools error: \(s)"
            }
        }
    }

    private let pid: pid_t
    private let toBrowser: Int32
    private let fromBrowser: Int32
    private var buffer: [UInt8] = []
    private var nextID = 1
    private let profile: URL
    /// Events received while waiting for replies, oldest first.
    public private(set) var events: [[String: Any]] = []

    /// The first of `chromium`, `chromium-browser`, `google-chrome` on `PATH` (or `$CHROMIUM`).
    public static func findBrowser() -> String? {
        let env = ProcessInfo.processInfo.environment
        if let explicit = env["CHROMIUM"], FileManager.default.isExecutableFile(atPath: explicit) { return explicit }
        for folder in (env["PATH"] ?? "/usr/bin").split(separator: ":") {
            for name in ["chromium", "chromium-browser", "google-chrome"] {
                let path = "\(folder)/\(name)"
                if FileManager.default.isExecutableFile(atPath: path) { return path }
            }
        }
        return nil
    }

    /// Starts `browser` headless with a window of `width` x `height` CSS pixels.
    public init(browser: String, width: Int, height: Int) throws {
        profile = FileManager.default.temporaryDirectory.appendingPathComponent("devtools-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: profile, withIntermediateDirectories: true)
        var commands: [Int32] = [0, 0], replies: [Int32] = [0, 0]
        guard pipe(&commands) == 0, pipe(&replies) == 0 else { throw Failure.spawn("pipe: errno \(errno)") }
        // The browser gets only its two ends, as fds 3 and 4 (dup2 clears close-on-exec there).
        for fd in commands + replies { _ = fcntl(fd, F_SETFD, FD_CLOEXEC) }
        let arguments = [browser, "--headless", "--no-sandbox", "--disable-gpu", "--remote-debugging-pipe",
                         "--allow-file-access-from-files", "--no-first-run", "--no-default-browser-check",
                         "--hide-scrollbars", "--mute-audio", "--disable-dev-shm-usage", "--user-data-dir=\(profile.path)",
                         "--window-size=\(width),\(height)", "about:blank"]
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_adddup2(&actions, commands[0], 3)
        posix_spawn_file_actions_adddup2(&actions, replies[1], 4)
        posix_spawn_file_actions_addopen(&actions, 1, "/dev/null", O_WRONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 2, "/dev/null", O_WRONLY, 0)
        let argv = arguments.map { strdup($0) } + [nil]
        defer { argv.forEach { free($0) } }
        var child: pid_t = 0
        let status = posix_spawn(&child, browser, &actions, nil, argv, environ)
        close(commands[0]); close(replies[1])
        guard status == 0 else {
            close(commands[1]); close(replies[0])
            throw Failure.spawn("posix_spawn \(browser): error \(status)")
        }
        pid = child
        toBrowser = commands[1]
        fromBrowser = replies[0]
        signal(SIGPIPE, SIG_IGN)
    }

    deinit {
        close(toBrowser); close(fromBrowser)
        kill(pid, SIGTERM)
        var status: Int32 = 0
        waitpid(pid, &status, 0)
        try? FileManager.default.removeItem(at: profile)
    }

    /// Sends a command (to the page session `session` when given) and returns its `result`.
    @discardableResult
    public func send(_ method: String, _ params: [String: Any] = [:], session: String? = nil,
                     timeout: Double = 30) throws -> [String: Any] {
        let id = nextID
        nextID += 1
        var message: [String: Any] = ["id": id, "method": method, "params": params]
        if let session { message["sessionId"] = session }
        var bytes = [UInt8](try JSONSerialization.data(withJSONObject: message))
        bytes.append(0)
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(toBrowser, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure.closed }
            written += n
        }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let message = try nextMessage(until: deadline, waitingFor: method)
            if message["id"] as? Int == id {
                if let error = message["error"] as? [String: Any] {
                    throw Failure.protocolError("\(method): \(error["message"] as? String ?? "\(error)")")
                }
                return message["result"] as? [String: Any] ?? [:]
            }
            if message["method"] != nil { events.append(message) }
        }
    }

    /// Waits for an event named `method` (already received or still to come) and returns it.
    @discardableResult
    public func waitFor(event method: String, timeout: Double = 30) throws -> [String: Any] {
        if let k = events.firstIndex(where: { $0["method"] as? String == method }) { return events.remove(at: k) }
        let deadline = Date().addingTimeInterval(timeout)
        while true {
            let message = try nextMessage(until: deadline, waitingFor: method)
            if message["method"] as? String == method { return message }
            if message["method"] != nil { events.append(message) }
        }
    }

    /// Removes and returns the events received so far.
    public func drainEvents() -> [[String: Any]] {
        defer { events = [] }
        return events
    }

    /// Reads until one whole NUL-ended message is buffered, then decodes it.
    private func nextMessage(until deadline: Date, waitingFor what: String) throws -> [String: Any] {
        while true {
            if let end = buffer.firstIndex(of: 0) {
                let data = Data(buffer[..<end])
                buffer.removeSubrange(...end)
                guard let object = try JSONSerialization.jsonObject(with: data) as? [String: Any] else { continue }
                return object
            }
            let left = deadline.timeIntervalSinceNow
            guard left > 0 else { throw Failure.timeout(what) }
            var poller = pollfd(fd: fromBrowser, events: Int16(POLLIN), revents: 0)
            let ready = poll(&poller, 1, Int32(min(left, 1) * 1000))
            if ready <= 0 { continue }
            var chunk = [UInt8](repeating: 0, count: 1 << 16)
            let n = chunk.withUnsafeMutableBytes { read(fromBrowser, $0.baseAddress, $0.count) }
            guard n > 0 else { throw Failure.closed }
            buffer += chunk[..<n]
        }
    }
}
