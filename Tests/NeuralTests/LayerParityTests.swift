import Testing
import Neural
import Tensor
import _TestSupport

/// Layers in configurations the study's networks do not use (strided, padded, overlapping windows)
/// give PyTorch's outputs and, for L = Σ y · r, PyTorch's input and weight gradients
/// (fixture "layers" from Tests/Fixtures/tools/neural_parity.py). Tolerance 1e-5 absolute: values
/// are of order one and the sums have at most 27 terms in Float32.
@Suite struct LayerParityTests {
    func check(_ layer: Layer, _ name: String, _ fixture: ParityFixture) throws -> Double {
        let x = try fixture.tensor("input")
        let y = layer.forward(x, training: true)
        let expected = try fixture.tensor("\(name)_output")
        #expect(y.shape == expected.shape)
        let dx = layer.backward(try fixture.tensor("\(name)_r"))
        return max(maxAbsDifference(y.data, expected.data),
                   maxAbsDifference(dx.data, try fixture.tensor("\(name)_input_grad").data))
    }

    @Test func stridedPaddedConvolutionWithoutBias() throws {
        let fixture = try ParityFixture("layers")
        var g = SeededGenerator(seed: 0)
        let conv = Conv2d(3, 4, kernelSize: 3, stride: 2, padding: 1, bias: false, using: &g)
        conv.weight.value = try fixture.tensor("conv.weight")
        let difference = try check(conv, "conv", fixture)
        let weightDifference = maxAbsDifference(conv.weight.grad.data, try fixture.tensor("conv_weight_grad").data)
        #expect(max(difference, weightDifference) < 1e-5, "output/input grad \(difference), weight grad \(weightDifference)")
    }

    @Test func paddedOverlappingMaxPool() throws {
        let difference = try check(MaxPool2d(kernelSize: 3, stride: 2, padding: 1), "maxpool", try ParityFixture("layers"))
        #expect(difference < 1e-6, "largest difference \(difference)")
    }

    @Test func adaptiveAveragePoolWithUnevenWindows() throws {
        let difference = try check(AdaptiveAvgPool2d(outputHeight: 3, outputWidth: 2), "adaptive", try ParityFixture("layers"))
        #expect(difference < 1e-5, "largest difference \(difference)")
    }
}
