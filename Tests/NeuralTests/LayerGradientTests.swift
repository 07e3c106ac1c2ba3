import Testing
import Neural
import Tensor

/// Every layer's backward pass agrees with central finite differences of its forward pass, for
/// the input gradient and every parameter gradient (see GradientCheck for the tolerance).
@Suite struct LayerGradientTests {
    let tolerance = 1e-2

    @Test func linear() {
        var g = SeededGenerator(seed: 1)
        let layer = Linear(5, 4, using: &g)
        let report = GradientCheck.check(layer, input: GradientCheck.random([3, 5], seed: 2))
        #expect(report.worst < tolerance, "\(report)")
        #expect(report.parameters.keys.sorted() == ["bias", "weight"])
        // Leading dimensions are batch dimensions: (N, T, in) → (N, T, out).
        let tokens = GradientCheck.check(layer, input: GradientCheck.random([2, 3, 5], seed: 3))
        #expect(tokens.worst < tolerance, "\(tokens)")
        #expect(layer.forward(GradientCheck.random([2, 3, 5], seed: 3), training: false).shape == [2, 3, 4])
    }

    @Test(arguments: [(1, 1, 3), (2, 1, 3), (1, 0, 1), (2, 0, 1), (2, 2, 5), (3, 1, 2)])
    func conv2d(stride: Int, padding: Int, kernel: Int) {
        var g = SeededGenerator(seed: 3)
        let layer = Conv2d(2, 3, kernelSize: kernel, stride: stride, padding: padding, using: &g)
        let report = GradientCheck.check(layer, input: GradientCheck.random([2, 2, 7, 6], seed: 4))
        #expect(report.worst < tolerance, "stride \(stride) padding \(padding) kernel \(kernel): \(report)")
    }

    @Test func conv2dWithoutBias() {
        var g = SeededGenerator(seed: 5)
        let layer = Conv2d(3, 2, kernelSize: 3, padding: 1, bias: false, using: &g)
        let report = GradientCheck.check(layer, input: GradientCheck.random([2, 3, 5, 5], seed: 6))
        #expect(report.worst < tolerance, "\(report)")
        #expect(layer.parameters.count == 1)
    }

    @Test(arguments: [true, false])
    func batchNorm2d(training: Bool) {
        let layer = BatchNorm2d(3)
        // Non-trivial affine and running statistics so every term of the formulas matters.
        layer.weight.value = GradientCheck.random([3], seed: 7)
        layer.bias.value = GradientCheck.random([3], seed: 8)
        layer.runningMean.value = GradientCheck.random([3], seed: 9, scale: 0.3)
        layer.runningVar.value = Tensor(shape: [3], data: [0.5, 1.5, 2])
        let report = GradientCheck.check(layer, input: GradientCheck.random([4, 3, 3, 2], seed: 10), training: training,
                                         prepare: { layer.momentum = 0 })
        #expect(report.worst < tolerance, "training \(training): \(report)")
    }

    @Test func relu() {
        // Inputs kept away from the kink at 0 by more than ε.
        var x = GradientCheck.random([2, 3, 4], seed: 11)
        x.data = x.data.map { $0 >= 0 ? $0 + 0.05 : $0 - 0.05 }
        let report = GradientCheck.check(ReLU(), input: x)
        #expect(report.worst < tolerance, "\(report)")
    }

    @Test(arguments: [(2, 2, 0), (3, 2, 1), (3, 1, 1), (2, 3, 0)])
    func maxPool2d(kernel: Int, stride: Int, padding: Int) {
        // Distinct values 0.1 apart (shuffled), so a ±ε nudge never changes which value is the maximum.
        var g = SeededGenerator(seed: 12)
        let count = 2 * 2 * 7 * 6
        let values = (0..<count).map { Float($0) * 0.1 - 5 }.shuffled(using: &g)
        let layer = MaxPool2d(kernelSize: kernel, stride: stride, padding: padding)
        let report = GradientCheck.check(layer, input: Tensor(shape: [2, 2, 7, 6], data: values))
        #expect(report.worst < tolerance, "kernel \(kernel) stride \(stride) padding \(padding): \(report)")
    }

    @Test(arguments: [(1, 1), (2, 3), (3, 2), (5, 4)])
    func adaptiveAvgPool2d(outH: Int, outW: Int) {
        let layer = AdaptiveAvgPool2d(outputHeight: outH, outputWidth: outW)
        let report = GradientCheck.check(layer, input: GradientCheck.random([2, 2, 7, 5], seed: 13))
        #expect(report.worst < tolerance, "output \(outH)x\(outW): \(report)")
    }

    @Test func flatten() {
        let report = GradientCheck.check(Flatten(), input: GradientCheck.random([2, 3, 2, 2], seed: 14))
        #expect(report.worst < tolerance, "\(report)")
    }

    @Test func dropout() {
        // The same mask for every evaluation: reseed before each forward.
        let layer = Dropout(0.4)
        let report = GradientCheck.check(layer, input: GradientCheck.random([3, 10], seed: 15), prepare: { layer.reseed(7) })
        #expect(report.worst < tolerance, "\(report)")
    }

    @Test func sequentialOfConvBatchNormReluPool() {
        var g = SeededGenerator(seed: 16)
        // No conv bias: before a batch norm its true gradient is zero, which a relative measure cannot check.
        let model = Sequential([Conv2d(2, 3, kernelSize: 3, padding: 1, bias: false, using: &g), BatchNorm2d(3), ReLU(),
                                MaxPool2d(kernelSize: 2), AdaptiveAvgPool2d(), Flatten(), Linear(3, 2, using: &g)])
        // A smaller step: nudging one conv weight moves every normalised value, and at ε = 3e-3 some cross
        // the ReLU kink (measured: error 0.03 at 3e-3, 3e-5 at 1e-3).
        let report = GradientCheck.check(model, input: GradientCheck.random([3, 2, 6, 6], seed: 17), eps: 1e-3)
        #expect(report.worst < tolerance, "\(report)")
        #expect(report.parameters.keys.sorted() == ["0.weight", "1.bias", "1.weight", "6.bias", "6.weight"])
    }

    @Test func crossEntropyGradientMatchesFiniteDifferences() {
        let logits = GradientCheck.random([4, 5], seed: 18, scale: 2)
        let labels = [0, 3, 4, 1]
        let loss = CrossEntropyLoss()
        let (_, analytic) = loss(logits, labels)
        var x = logits
        var worst = 0.0
        for i in 0..<x.count {
            let v = x.data[i]
            x.data[i] = v + 1e-2; let up = Double(loss(x, labels).loss)
            x.data[i] = v - 1e-2; let down = Double(loss(x, labels).loss)
            x.data[i] = v
            worst = max(worst, abs((up - down) / 2e-2 - Double(analytic.data[i])))
        }
        #expect(worst < 1e-3, "largest difference \(worst)")
    }
}
