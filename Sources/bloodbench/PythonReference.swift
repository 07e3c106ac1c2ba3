import Foundation

/// Runs a reference script under `tools/bench/` with the reference venv's Python.
///
/// The venv is `$BLOODSTUDY_REF_VENV`, else `.cache/refvenv` (made by `tools/setup-reference-venv.sh`).
/// A script prints one JSON object on its last line of output, e.g. `{"value": 123.4}`; anything else
/// it prints is passed through. When the venv or a module is missing the result says so instead.
enum PythonReference {
    struct Outcome {
        var value: Double?
        /// Why `value` is nil (tool not installed, script failed).
        var note: String?
        var fields: [String: Any] = [:]
    }

    static var python: String {
        let venv = ProcessInfo.processInfo.environment["BLOODSTUDY_REF_VENV"] ?? ".cache/refvenv"
        return venv + "/bin/python"
    }

    /// Runs `tools/bench/<script>` with `arguments`; the JSON key `value` is the measurement.
    static func run(_ script: String, _ arguments: [String]) -> Outcome {
        guard FileManager.default.isExecutableFile(atPath: python) else {
            return Outcome(value: nil, note: "reference venv not found at \(python); run tools/setup-reference-venv.sh")
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: python)
        process.arguments = ["tools/bench/\(script)"] + arguments
        // Same thread count as ours, for a fair comparison.
        var env = ProcessInfo.processInfo.environment
        let threads = String(ProcessInfo.processInfo.activeProcessorCount)
        for key in ["OMP_NUM_THREADS", "OPENBLAS_NUM_THREADS", "MKL_NUM_THREADS"] where env[key] == nil { env[key] = threads }
        process.environment = env
        let out = Pipe()
        process.standardOutput = out
        do { try process.run() } catch {
            return Outcome(value: nil, note: "could not start \(python): \(error)")
        }
        let data = out.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        let text = String(decoding: data, as: UTF8.self)
        let lines = text.split(separator: "\n")
        for line in lines.dropLast() { FileHandle.standardError.write((line + "\n").data(using: .utf8)!) }
        guard let last = lines.last,
              let object = try? JSONSerialization.jsonObject(with: Data(last.utf8)) as? [String: Any] else {
            return Outcome(value: nil, note: "reference script \(script) failed (exit \(process.terminationStatus))")
        }
        if let missing = object["missing"] as? String {
            return Outcome(value: nil, note: "reference tool not installed: \(missing)", fields: object)
        }
        return Outcome(value: object["value"] as? Double, note: nil, fields: object)
    }
}
