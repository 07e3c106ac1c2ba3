import Explain
import Neural
import Tensor
import Testing
import _TestSupport

@Suite struct DeepExplainerTests {
    /// Agreement with shap 0.51's DeepExplainer (PyTorch) on the tiny LightCNN: conv, batch norm
    /// (eval), ReLU, max pool, average pool, flatten, linear and dropout (eval) all on the path.
    /// Tolerance 1e-4 absolute: both sides run float32 layers, whose summation orders differ by
    /// ~1e-6 relative on values of order 1e-2.
    @Test func matchesShapDeepExplainer() throws {
        let model = try ExplainFixture.model()
        let explainer = try shap.DeepExplainer(model: model, background: try ExplainFixture.tensor("deep_background"))
        let values = try explainer.shapValues(try ExplainFixture.tensor("deep_images"))
        let reference = try ExplainFixture.array("deep_values")   // (2, 8, 3, 16, 16)
        let expected = try ExplainFixture.array("deep_expected").values
        for k in 0..<8 { #expect(abs(explainer.expectedValue[k] - expected[k]) <= 1e-5, "expected value of class \(k)") }
        let size = 3 * 16 * 16
        var worst = 0.0
        for i in 0..<2 {
            for k in 0..<8 {
                for p in 0..<size {
                    worst = max(worst, abs(Double(values[i][k].data[p]) - reference.values[(i * 8 + k) * size + p]))
                }
            }
        }
        print("deep: largest difference from shap \(worst)")
        #expect(worst < 1e-4, "largest difference from shap \(worst)")
        #expect(reference.values.map(abs).max()! > 1e-3, "the reference must not be trivially zero")
    }

    /// Summation to delta: for each image and class, Σ values = f(x) − mean f(background), to 1e-3
    /// relative (of the larger of |f(x) − base| and 1e-3, so near-zero deltas are not over-judged).
    @Test func additivity() throws {
        let model = try ExplainFixture.model()
        let background = try ExplainFixture.tensor("deep_background")
        let images = try ExplainFixture.tensor("deep_images")
        let explainer = try shap.DeepExplainer(model: model, background: background)
        let values = try explainer.shapValues(images)
        let outputs = model.forward(images, training: false)
        for i in 0..<2 {
            for k in 0..<8 {
                let total = values[i][k].data.reduce(0.0) { $0 + Double($1) }
                let delta = Double(outputs.data[i * 8 + k]) - explainer.expectedValue[k]
                #expect(abs(total - delta) <= 1e-3 * max(abs(delta), 1e-3), "image \(i) class \(k): \(total) against \(delta)")
            }
        }
    }

    /// Parameter gradients and requiresGrad flags are left as they were.
    @Test func leavesTheModelUntouched() throws {
        let model = try ExplainFixture.model()
        let before = model.parameters.map(\.grad)
        _ = try shap.DeepExplainer(model: model, background: try ExplainFixture.tensor("deep_background"))
            .shapValues(try ExplainFixture.tensor("deep_images"))
        #expect(model.parameters.map(\.grad) == before)
        let allTrainable = model.parameters.allSatisfy { $0.requiresGrad }
        #expect(allTrainable)
    }

    @Test func rejectsLayersWithoutARule() {
        var rng = SeededGenerator(seed: 1)
        let net = Sequential([Linear(4, 4, using: &rng), GELU()])
        #expect(throws: (any Error).self) { try shap.DeepExplainer(model: net, background: Tensor(zeros: [2, 4])) }
    }
}
