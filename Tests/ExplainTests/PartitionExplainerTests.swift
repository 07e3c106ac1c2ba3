import Explain
import Neural
import Tensor
import Testing
import _TestSupport

@Suite struct PartitionExplainerTests {
    private func explain(_ maskValue: String) throws -> shap.PartitionExplainer.Explanation {
        let model = try ExplainFixture.model()
        let masker = try #require(shap.ImageMasker(maskValue, height: 16, width: 16, channels: 3))
        let explainer = shap.PartitionExplainer(model: shap.PartitionExplainer.softmaxModel(model, height: 16, width: 16),
                                                masker: masker)
        return explainer.explain(try ExplainFixture.image(0), maxEvals: 200)
    }

    /// Agreement with shap 0.51's PartitionExplainer (same masker, budget 200, outputs 0..7) on
    /// the tiny LightCNN's softmax. Tolerance 1e-4 absolute: the model is float32 on both sides
    /// (summation order differs by ~1e-7); the queue order, batches and budget are shap's, so any
    /// slip there would move values by far more.
    @Test(arguments: [("blur(5,5)", "blur"), ("inpaint_telea", "telea")])
    func matchesShap(_ maskValue: String, fixture: String) throws {
        let e = try explain(maskValue)
        let reference = try ExplainFixture.array("partition_\(fixture)_values")   // (16, 16, 3, 8)
        let base = try ExplainFixture.array("partition_\(fixture)_base").values
        for k in 0..<8 { #expect(abs(e.baseValues[k] - base[k]) <= 1e-6, "base value of class \(k)") }
        var worst = 0.0
        for f in 0..<768 { for k in 0..<8 { worst = max(worst, abs(e.values[k][f] - reference.values[f * 8 + k])) } }
        let scale = reference.values.map(abs).max()!
        print("partition \(maskValue): largest difference from shap \(worst), largest value \(scale)")
        #expect(worst < 1e-4, "\(maskValue): largest difference from shap \(worst)")
        // The values themselves are small (~1e-4 per feature), so also hold them to 1% of the
        // largest: a wrong queue order or budget moves them by far more.
        #expect(worst < 0.01 * scale, "\(maskValue): largest difference from shap \(worst) of \(scale)")
        #expect(scale > 1e-5, "the reference must not be trivially zero")
        #expect(e.evaluations <= 201)
    }

    /// Owen values sum to f(x) − f(fully masked) for every class, to 1e-3 relative.
    @Test(arguments: ["blur(5,5)", "inpaint_telea"])
    func additivity(_ maskValue: String) throws {
        let e = try explain(maskValue)
        for k in 0..<8 {
            let delta = e.outputs[k] - e.baseValues[k]
            let total = e.values[k].reduce(0, +)
            #expect(abs(total - delta) <= 1e-3 * max(abs(delta), 1e-6), "\(maskValue) class \(k): \(total) against \(delta)")
        }
    }

    /// The partition is shap's: a binary tree over all H·W·C features whose leaves are each
    /// feature once, with every node's features the union of its children's.
    @Test func partitionTreeCoversEveryFeatureOnce() {
        let tree = PartitionTree(height: 5, width: 7, channels: 3)
        let m = tree.leafCount
        #expect(tree.size[tree.root - m] == m)
        var rootMask = [Bool](repeating: false, count: m)
        tree.mark(tree.root, in: &rootMask)
        #expect(rootMask.allSatisfy { $0 })
        for row in 0..<(m - 1) {
            var l = [Bool](repeating: false, count: m), r = l, whole = l
            tree.mark(tree.left[row], in: &l); tree.mark(tree.right[row], in: &r); tree.mark(row + m, in: &whole)
            #expect(!zip(l, r).contains { $0 && $1 }, "children of node \(row + m) overlap")
            #expect(zip(l, r).map { $0 || $1 } == whole)
            #expect(whole.filter { $0 }.count == tree.size[row])
        }
        for leaf in 0..<m {
            var mask = [Bool](repeating: false, count: m)
            tree.mark(leaf, in: &mask)
            #expect(mask.firstIndex(of: true) == leaf)
        }
    }
}
