import Foundation
import Neural
import Tensor
import _TestSupport

/// Reads Tests/Fixtures/explain, written by Tests/Fixtures/tools/shap_parity.py.
enum ExplainFixture {
    static let folder = TestPaths.fixture("explain")

    static func array(_ name: String) throws -> NPYArray {
        try NPYArray(contentsOf: folder.appendingPathComponent(name + ".npy"))
    }

    static func tensor(_ name: String) throws -> Tensor {
        let a = try array(name)
        return Tensor(shape: a.shape, data: a.floats)
    }

    /// The tiny LightCNN (hidden 2, 8 classes) with the fixture's weights, eval mode.
    static func model() throws -> Sequential {
        var rng = SeededGenerator(seed: 0)
        let net = StudyModel.lightCNN(inputChannels: 3, hiddenUnits: 2, outputClasses: 8, using: &rng)
        var state: [String: Tensor] = [:]
        for name in StateDict.names(of: net) {
            let a = try NPYArray(contentsOf: folder.appendingPathComponent("model/\(name).npy"))
            state[name] = Tensor(shape: a.shape, data: a.floats)
        }
        try StateDict.load(state, into: net)
        return net
    }

    /// Image `i` of images.npy as 16·16·3 bytes in (H, W, C) order.
    static func image(_ i: Int) throws -> [UInt8] {
        let a = try array("images")
        let size = a.shape[1] * a.shape[2] * a.shape[3]
        return Array(a.bytes[(i * size)..<((i + 1) * size)])
    }
}
