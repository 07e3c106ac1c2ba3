import Testing
import Neural
import Tensor
import _TestSupport

/// The study's three networks, loaded with PyTorch's random weights by state_dict name, give
/// PyTorch's logits (fixtures from Tests/Fixtures/tools/neural_parity.py).
///
/// Tolerance: 1e-4 relative to the largest logit magnitude of the batch. Both sides run Float32 with
/// different summation orders (BLAS blocking, im2col layout), so agreement is at the level of
/// Float32 rounding accumulated through six convolutions, about 1e-6 relative.
@Suite struct ModelParityTests {
    func build(_ fixture: ParityFixture) -> Sequential {
        var g = SeededGenerator(seed: 0)
        let c = fixture.config
        switch c["kind"] as! String {
        case "simple_nn":
            return StudyModel.simpleNN(inputDimension: c["input_dimension"] as! Int, hiddenUnits: c["hidden"] as! Int,
                                       outputDimension: c["classes"] as! Int, using: &g)
        case "light_cnn":
            return StudyModel.lightCNN(hiddenUnits: c["hidden"] as! Int, outputClasses: c["classes"] as! Int, using: &g)
        default:
            return StudyModel.cnnModel(hiddenUnits: c["hidden"] as! Int, outputClasses: c["classes"] as! Int, using: &g)
        }
    }

    /// max |a − b| / max |b|.
    func scaledDifference(_ a: Tensor, _ b: Tensor) -> Double {
        maxAbsDifference(a.data, b.data) / Double(b.data.map { abs($0) }.max()!)
    }

    @Test(arguments: ["simple_nn", "light_cnn", "cnn_model"])
    func logitsMatchPyTorch(case name: String) throws {
        let fixture = try ParityFixture(name)
        let model = build(fixture)
        // Names and their order equal PyTorch's state_dict keys.
        #expect(StateDict.names(of: model) == fixture.keys)
        try StateDict.load(fixture.state(), into: model)
        let x = try fixture.tensor("input")
        let eval = model.forward(x, training: false)
        let expected = try fixture.tensor("eval_logits")
        #expect(eval.shape == expected.shape)
        let evalDifference = scaledDifference(eval, expected)
        #expect(evalDifference < 1e-4, "\(name) eval: largest scaled difference \(evalDifference)")
        print("\(name) eval logits: largest scaled difference \(evalDifference)")
        if name != "simple_nn" {
            // Training mode with dropout off: BatchNorm normalises with the batch's own statistics.
            for d in model.dropoutLayers { d.p = 0 }
            let train = model.forward(x, training: true)
            let trainDifference = scaledDifference(train, try fixture.tensor("train_logits"))
            #expect(trainDifference < 1e-4, "\(name) train: largest scaled difference \(trainDifference)")
            print("\(name) train logits: largest scaled difference \(trainDifference)")
        }
    }

    @Test func loadingRejectsWrongShapesAndMissingNames() throws {
        let fixture = try ParityFixture("cnn_model")
        var g = SeededGenerator(seed: 0)
        let wider = StudyModel.cnnModel(hiddenUnits: 16, using: &g)
        #expect(throws: StateDictError.self) { try StateDict.load(fixture.state(), into: wider) }
        var partial = try fixture.state()
        partial["gap.weight"] = Tensor(zeros: [1])
        let model = build(fixture)
        #expect(throws: StateDictError.unexpected(["gap.weight"])) { try StateDict.load(partial, into: model) }
    }
}
