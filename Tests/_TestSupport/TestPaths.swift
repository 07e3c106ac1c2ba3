import Foundation

/// Where tests find committed fixtures and the shared dataset.
public enum TestPaths {
    /// The repository root (this file is `<root>/Tests/_TestSupport/TestPaths.swift`).
    public static let repositoryRoot: URL = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()

    /// `Tests/Fixtures/<name>`.
    public static func fixture(_ name: String) -> URL {
        repositoryRoot.appendingPathComponent("Tests/Fixtures").appendingPathComponent(name)
    }

    /// The PBC dataset: `$BLOODSTUDY_DATA`, else `../shared/data/pbc/PBC_dataset_normal_DIB` beside
    /// the repository; nil when neither exists (tests that need it then skip and say so).
    public static let sharedDataset: URL? = {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["BLOODSTUDY_DATA"], fm.fileExists(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        let beside = repositoryRoot.deletingLastPathComponent()
            .appendingPathComponent("shared/data/pbc/PBC_dataset_normal_DIB")
        return fm.fileExists(atPath: beside.path) ? beside : nil
    }()

    /// A fresh empty temporary folder, removed by the caller when done.
    public static func temporaryFolder(_ label: String = "test") throws -> URL {
        let url = FileManager.default.temporaryDirectory
            .appendingPathComponent("bloodstudy-\(label)-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: url, withIntermediateDirectories: true)
        return url
    }
}
