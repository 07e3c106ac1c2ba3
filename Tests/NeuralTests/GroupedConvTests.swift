import Foundation
import Neural
import Tensor
import Testing
import _TestSupport

/// Grouped and depthwise convolution against `torch.nn.functional.conv2d` (fixture from
/// Tests/Fixtures/tools/lite0_fixtures.py), and finite-difference gradient checks.
///
/// Parity tolerance 1e-5 of the largest reference magnitude: both sides sum at most 18 Float32
/// products per output in different orders (about 1e-7 relative); any wrong index or padding
/// moves results by order one.
@Suite struct GroupedConvTests {
    static func fixture() throws -> SafetensorsFile {
        try SafetensorsFile(contentsOf: TestPaths.fixture("lite0/grouped_conv.safetensors"))
    }

    static func error(_ ours: Tensor, _ reference: Tensor) -> Double {
        #expect(ours.shape == reference.shape, "shape \(ours.shape) vs \(reference.shape)")
        let scale = reference.data.map { abs(Double($0)) }.max() ?? 1
        return maxAbsDifference(ours.data, reference.data) / max(scale, 1e-12)
    }

    @Test func groupsOfTwoMatchPyTorchForwardAndBackward() throws {
        let f = try Self.fixture()
        var g = SeededGenerator(seed: 1)
        let conv = GroupedConv2d(4, 6, kernelSize: 3, stride: 1, padding: .symmetric(1), groups: 2, using: &g)
        conv.weight.value = try f.tensor("w2"); conv.bias!.value = try f.tensor("b2")
        let y = conv.forward(try f.tensor("x"), training: true)
        #expect(Self.error(y, try f.tensor("y2")) < 1e-5)
        let dx = conv.backward(try f.tensor("ry2"))
        #expect(Self.error(dx, try f.tensor("gx2")) < 1e-5)
        #expect(Self.error(conv.weight.grad, try f.tensor("gw2")) < 1e-5)
        #expect(Self.error(conv.bias!.grad, try f.tensor("gb2")) < 1e-5)
    }

    @Test func depthwiseStrideTwoSamePaddingMatchesPyTorch() throws {
        let f = try Self.fixture()
        var g = SeededGenerator(seed: 2)
        let conv = GroupedConv2d(4, 4, kernelSize: 5, stride: 2, padding: .same, groups: 4, bias: false, using: &g)
        conv.weight.value = try f.tensor("wd")
        let y = conv.forward(try f.tensor("x"), training: true)
        #expect(y.shape == [2, 4, 5, 4])
        #expect(Self.error(y, try f.tensor("yd")) < 1e-5)
        let dx = conv.backward(try f.tensor("ryd"))
        #expect(Self.error(dx, try f.tensor("gxd")) < 1e-5)
        #expect(Self.error(conv.weight.grad, try f.tensor("gwd")) < 1e-5)
    }

    @Test(arguments: [(1, 3, 1), (2, 3, 2), (4, 5, 2), (4, 3, 1)])
    func gradientsMatchFiniteDifferences(groups: Int, kernel: Int, stride: Int) {
        var g = SeededGenerator(seed: UInt64(groups * 10 + kernel))
        let conv = GroupedConv2d(4, 8, kernelSize: kernel, stride: stride, padding: .same, groups: groups, using: &g)
        let report = GradientCheck.check(conv, input: GradientCheck.random([2, 4, 7, 6], seed: 5))
        #expect(report.worst < 1e-2, "\(report)")
    }

    @Test func relu6GradientMatchesFiniteDifferences() {
        // Inputs spread over (−9, 9) so both clamps are exercised; ε = 1e-2 stays clear of the kinks
        // except with probability about 4·(2ε/18) per element, handled by the 1e-2 bound on the worst entry.
        let x = GradientCheck.random([3, 40], seed: 12, scale: 4)
        let layer = ReLU6()
        let y = layer.forward(x, training: true)
        #expect(y.data.allSatisfy { $0 >= 0 && $0 <= 6 })
        #expect(zip(x.data, y.data).allSatisfy { $1 == min(max($0, 0), 6) })
        let report = GradientCheck.check(layer, input: x)
        #expect(report.worst < 1e-2, "\(report)")
    }
}
