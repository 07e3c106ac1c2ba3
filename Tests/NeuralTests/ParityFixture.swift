import Foundation
import Neural
import Tensor
import _TestSupport

/// Reads one case written by Tests/Fixtures/tools/neural_parity.py: `index.json` plus one `.npy`
/// per tensor, named by its PyTorch state_dict key.
struct ParityFixture {
    let folder: URL
    let index: [String: Any]

    init(_ name: String) throws {
        folder = TestPaths.fixture("neural/\(name)")
        let data = try Data(contentsOf: folder.appendingPathComponent("index.json"))
        index = try JSONSerialization.jsonObject(with: data) as! [String: Any]
    }

    var keys: [String] { index["keys"] as! [String] }
    var config: [String: Any] { index["config"] as? [String: Any] ?? [:] }

    func tensor(_ file: String) throws -> Tensor {
        let array = try NPYArray(contentsOf: folder.appendingPathComponent(file + ".npy"))
        return Tensor(shape: array.shape, data: array.floats)
    }

    func ints(_ file: String) throws -> [Int] {
        try NPYArray(contentsOf: folder.appendingPathComponent(file + ".npy")).ints
    }

    /// The state_dict stored under `prefix` ("" or "initial/", "final/").
    func state(_ prefix: String = "") throws -> [String: Tensor] {
        var out: [String: Tensor] = [:]
        for key in keys { out[key] = try tensor(prefix + key) }
        return out
    }
}
