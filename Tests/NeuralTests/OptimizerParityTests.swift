import Testing
import Neural
import Tensor
import _TestSupport

/// Two training steps of a tiny CNNModel (dropout off, BatchNorm in training mode) with SGD, Adam and
/// AdamW end with PyTorch's weights and running statistics (fixtures from neural_parity.py).
///
/// The AdamW case freezes block_1.0.weight and the conv biases: a conv bias before training-mode
/// BatchNorm has a true gradient of zero, and Adam would turn its rounding noise into ±lr steps.
///
/// Tolerance: relative to each tensor's largest magnitude (at least 1e-2), 1e-4 for SGD and 1e-3 for
/// Adam/AdamW. The gradients agree to Float32 rounding; SGD passes that on linearly, while Adam's
/// m / sqrt(v) step has the relative error of the gradient itself, large where a gradient is tiny
/// (measured worst: about 1.2e-4 of the weight scale, i.e. about 1e-3 of one step of lr 1e-2).
@Suite struct OptimizerParityTests {
    func run(_ name: String, tolerance: Double = 1e-4, makeOptimizer: (Sequential) -> Optimizer) throws {
        let fixture = try ParityFixture(name)
        var g = SeededGenerator(seed: 0)
        let model = StudyModel.cnnModel(hiddenUnits: 4, outputClasses: 8, using: &g)
        for d in model.dropoutLayers { d.p = 0 }
        try StateDict.load(fixture.state("initial/"), into: model)
        for p in model.parameters where (fixture.index["frozen"] as! [String]).contains(p.name) { p.requiresGrad = false }
        let optimizer = makeOptimizer(model)
        let x = try fixture.tensor("input"), labels = try fixture.ints("labels")
        let expectedLosses = fixture.index["losses"] as! [Double]
        for step in 0..<2 {
            optimizer.zeroGrad()
            let (loss, dLogits) = CrossEntropyLoss()(model.forward(x, training: true), labels)
            _ = model.backward(dLogits)
            optimizer.step()
            #expect(abs(Double(loss) - expectedLosses[step]) < 1e-5, "\(name) step \(step): loss \(loss) vs \(expectedLosses[step])")
        }
        let expected = try fixture.state("final/")
        var worst = (0.0, "")
        for p in stateTensors(of: model) {
            let reference = expected[p.name]!
            let scale = max(1e-2, Double(reference.data.map { abs($0) }.max() ?? 0))
            let difference = maxAbsDifference(p.value.data, reference.data) / scale
            if difference > worst.0 { worst = (difference, p.name) }
        }
        #expect(worst.0 < tolerance, "\(name): largest scaled difference \(worst.0) in \(worst.1)")
        print("\(name): largest scaled difference \(worst.0) in \(worst.1)")
    }

    @Test func sgdWithNesterovMomentumAndWeightDecay() throws {
        try run("step_sgd") { SGD(parameters: $0.parameters, learningRate: 0.1, momentum: 0.9, weightDecay: 1e-3, nesterov: true) }
    }

    @Test func adamWithL2WeightDecay() throws {
        try run("step_adam", tolerance: 1e-3) { Adam(parameters: $0.parameters, learningRate: 1e-2, weightDecay: 1e-2) }
    }

    @Test func adamWWithTwoGroupsAndAFrozenTensor() throws {
        var optimizer: Adam?
        try run("step_adamw", tolerance: 1e-3) { model in
            let features = model.parameters.filter { $0.name.hasPrefix("block_") }
            let head = model.parameters.filter { $0.name.hasPrefix("classifier") }
            let o = Adam.adamW([ParameterGroup(features, learningRate: 1e-2),
                                ParameterGroup(head, learningRate: 3e-3, weightDecay: 0.05)], learningRate: 1e-3)
            optimizer = o
            return o
        }
        // Frozen tensors got no moment estimates: 28 tensors (6 convs, 6 batch norms, 2 linears, 2 each)
        // less block_1.0.weight and the 6 conv biases.
        let trainable = 28 - 7
        #expect(optimizer?.stateCount == trainable)
    }
}
