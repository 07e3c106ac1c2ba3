import Testing
import Neural
import Tensor

@Suite struct TrainerTests {
    /// Two classes of 1x4x4 images: class 1 is brighter. Deterministic.
    func toyData(_ n: Int, seed: UInt64) -> InMemoryBatchSource {
        var g = SeededGenerator(seed: seed)
        var data: [Float] = [], labels: [Int] = []
        for i in 0..<n {
            let y = i % 2
            labels.append(y)
            for _ in 0..<16 { data.append(Float(y) * 0.8 + Float(g.nextGaussian() * 0.3)) }
        }
        return InMemoryBatchSource(images: Tensor(shape: [n, 1, 4, 4], data: data), labels: labels)
    }

    func toyModel(seed: UInt64) -> Sequential {
        var g = SeededGenerator(seed: seed)
        return Sequential([Conv2d(1, 4, kernelSize: 3, padding: 1, using: &g), BatchNorm2d(4), ReLU(),
                           AdaptiveAvgPool2d(), Flatten(), Dropout(0.2, seed: 3), Linear(4, 2, using: &g)])
    }

    @Test func weightedMetricsMatchHandComputation() {
        // true 0: predicted 0,0,1; true 1: predicted 1; true 2: predicted 0,2. Class 2's precision is 1.
        var m = ClassificationMetrics(classes: 3)
        m.add(labels: [0, 0, 0, 1, 2, 2], predictions: [0, 0, 1, 1, 0, 2])
        #expect(abs(m.accuracy - 4.0 / 6) < 1e-12)
        // precision: 2/3, 1/2, 1; recall: 2/3, 1, 1/2; supports 3, 1, 2.
        #expect(abs(m.weightedPrecision - (3 * 2.0 / 3 + 1 * 0.5 + 2 * 1) / 6) < 1e-12)
        #expect(abs(m.weightedRecall - (3 * 2.0 / 3 + 1 * 1 + 2 * 0.5) / 6) < 1e-12)
        let f1 = [2.0 / 3, 2 * 0.5 / 1.5, 2 * 0.5 / 1.5]
        #expect(abs(m.weightedF1 - (3 * f1[0] + 1 * f1[1] + 2 * f1[2]) / 6) < 1e-12)
        // A class never predicted has precision 0 (zero_division = 0).
        var n = ClassificationMetrics(classes: 2)
        n.add(labels: [0, 1], predictions: [0, 0])
        #expect(n.precision(of: 1) == 0)
    }

    @Test func trainingLearnsToyProblemAndIsDeterministic() {
        func run() -> (TrainingHistory, Evaluation, [(Int, Int)]) {
            let model = toyModel(seed: 1)
            var calls: [(Int, Int)] = []
            let history = Trainer.fit(model, optimizer: Adam(parameters: model.parameters, learningRate: 0.05),
                                      train: toyData(64, seed: 2), validation: toyData(32, seed: 3),
                                      config: TrainingConfig(epochs: 8, batchSize: 16, seed: 5), classes: 2) { calls.append(($0, $1)) }
            return (history, Trainer.evaluate(model, on: toyData(40, seed: 4), classes: 2), calls)
        }
        let (history, test, calls) = run()
        // Loss falls and the held-out accuracy is high on this separable problem.
        #expect(history.epochs == 8)
        #expect(history.trainLoss.last! < history.trainLoss.first!)
        #expect(history.valAccuracy.last! >= 0.9, "\(history.valAccuracy)")
        #expect(test.accuracy >= 0.9)
        // Probabilities are softmax rows; the confusion matrix counts every test example.
        #expect(test.probabilities.shape == [40, 2])
        #expect(test.confusionMatrix.joined().reduce(0, +) == 40)
        // Progress counts every batch: 8 epochs × (4 train + 2 validation) batches.
        #expect(calls.count == 48 && calls.last! == (48, 48))
        // Same seed, same history.
        let (again, _, _) = run()
        #expect(again.trainLoss == history.trainLoss && again.valLoss == history.valLoss)
    }

    /// Sets the weights of a Linear(16, 2) by epoch: epoch 1 a perfect classifier, later a reversed one.
    final class ScriptedOptimizer: Optimizer {
        var groups: [ParameterGroup]
        let stepsPerEpoch: Int
        var steps = 0
        init(_ parameters: [Parameter], stepsPerEpoch: Int) { groups = [ParameterGroup(parameters)]; self.stepsPerEpoch = stepsPerEpoch }
        func step() {
            let epoch = steps / stepsPerEpoch
            steps += 1
            let sign: Float = epoch == 0 ? 1 : -1
            let w = groups[0].parameters[0], b = groups[0].parameters[1]
            w.value = Tensor(shape: [2, 16], data: Array(repeating: -sign, count: 16) + Array(repeating: sign, count: 16))
            b.value = Tensor(shape: [2], data: [sign * 6.4, -sign * 6.4])
        }
    }

    @Test func earlyStoppingStopsAndRestoresTheBestWeights() {
        var g = SeededGenerator(seed: 1)
        let model = Sequential([Flatten(), Linear(16, 2, using: &g)])
        let optimizer = ScriptedOptimizer(model.parameters, stepsPerEpoch: 4)
        let history = Trainer.fit(model, optimizer: optimizer, train: toyData(64, seed: 2), validation: toyData(32, seed: 3),
                                  config: TrainingConfig(epochs: 20, batchSize: 16,
                                                         earlyStopping: EarlyStopping(metric: .valAccuracy, patience: 3)),
                                  classes: 2)
        // Epoch 1 is best; three epochs without improvement stop the run after epoch 4.
        #expect(history.epochs == 4 && history.stoppedEarly && history.bestEpoch == 1)
        #expect(history.log.contains("Epoch 4: No improvement in val_acc for 3 epoch(s)."))
        // The restored weights are epoch 1's: the validation accuracy is epoch 1's again.
        let val = Trainer.evaluate(model, on: toyData(32, seed: 3), classes: 2)
        #expect(val.accuracy == history.valAccuracy[0])
        #expect(history.valAccuracy[0] > history.valAccuracy[1])
    }

    /// Epochs that run out before the patience does: the best weights come back only when asked.
    @Test(arguments: [false, true]) func bestWeightsRestoredWhenEpochsRunOutOnlyWhenAsked(restore: Bool) {
        var g = SeededGenerator(seed: 1)
        let model = Sequential([Flatten(), Linear(16, 2, using: &g)])
        let optimizer = ScriptedOptimizer(model.parameters, stepsPerEpoch: 4)
        let history = Trainer.fit(model, optimizer: optimizer, train: toyData(64, seed: 2), validation: toyData(32, seed: 3),
                                  config: TrainingConfig(epochs: 3, batchSize: 16,
                                                         earlyStopping: EarlyStopping(metric: .valAccuracy, patience: 10,
                                                                                      restoreBestWhenEpochsRunOut: restore)),
                                  classes: 2)
        #expect(history.epochs == 3 && !history.stoppedEarly && history.bestEpoch == 1)
        #expect(history.valAccuracy[0] > history.valAccuracy[2])
        let val = Trainer.evaluate(model, on: toyData(32, seed: 3), classes: 2)
        // Restored: epoch 1's accuracy; not restored: the last epoch's.
        #expect(val.accuracy == history.valAccuracy[restore ? 0 : 2])
        #expect(history.log.contains { $0.hasPrefix("Epochs ran out before early stopping") } == restore)
    }

    @Test func frozenParametersAreNotUpdated() {
        var g = SeededGenerator(seed: 1)
        let layer = Linear(3, 2, using: &g)
        layer.weight.requiresGrad = false
        let before = layer.weight.value
        let optimizer = SGD(parameters: layer.parameters, learningRate: 0.1, momentum: 0.9)
        _ = layer.forward(Tensor(shape: [1, 3], data: [1, 2, 3]), training: true)
        _ = layer.backward(Tensor(shape: [1, 2], data: [1, 1]))
        optimizer.step()
        #expect(layer.weight.value == before)
        #expect(layer.weight.grad.data.allSatisfy { $0 == 0 })
        #expect(optimizer.stateCount == 1)
    }
}
