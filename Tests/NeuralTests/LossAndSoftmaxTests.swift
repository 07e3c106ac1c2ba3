import Foundation
import Testing
import Neural
import Tensor

@Suite struct LossAndSoftmaxTests {
    @Test func crossEntropyMatchesHandComputation() {
        // Two rows: loss_n = log Σ exp(z) − z[y].
        let z = Tensor(shape: [2, 3], data: [1, 2, 3, 0, 0, 0])
        let (loss, _) = CrossEntropyLoss()(z, [2, 0])
        let expected = ((log(exp(1.0) + exp(2.0) + exp(3.0)) - 3) + log(3.0)) / 2
        #expect(abs(Double(loss) - expected) < 1e-6)
    }

    @Test func crossEntropyIsStableForHugeLogits() {
        // Max subtraction keeps exp finite: logits of 1e4 still give a finite loss.
        let (loss, gradient) = CrossEntropyLoss()(Tensor(shape: [1, 3], data: [10_000, 0, -10_000]), [1])
        #expect(loss.isFinite && abs(loss - 10_000) < 1e-2)
        #expect(gradient.data.allSatisfy { $0.isFinite })
    }

    @Test func softmaxRowsSumToOne() {
        let p = softmax(GradientCheck.random([5, 8], seed: 3, scale: 10))
        for i in 0..<5 {
            let row = p.data[(i * 8)..<(i * 8 + 8)]
            #expect(abs(row.reduce(0, +) - 1) < 1e-5)
            #expect(row.allSatisfy { $0 >= 0 })
        }
    }

    @Test func dropoutKeepsExpectationAndIsIdentityInEval() {
        let layer = Dropout(0.25, seed: 1)
        let x = Tensor(shape: [100_000], repeating: 1)
        let y = layer.forward(x, training: true)
        // Inverted scaling: survivors are 1 / 0.75, the mean stays near 1, about a quarter are zero.
        let zeros = y.data.filter { $0 == 0 }.count
        #expect(abs(Double(zeros) / 100_000 - 0.25) < 0.01)
        #expect(abs(y.data.reduce(0, +) / 100_000 - 1) < 0.01)
        #expect(layer.forward(x, training: false) == x)
    }

    @Test func batchNormUpdatesRunningStatisticsWithUnbiasedVariance() {
        let layer = BatchNorm2d(1)
        let x = Tensor(shape: [2, 1, 1, 2], data: [1, 2, 3, 6])
        _ = layer.forward(x, training: true)
        // mean 3, biased var 3.5, unbiased 14/3; running = 0.9 · initial + 0.1 · batch.
        #expect(abs(layer.runningMean.value.data[0] - 0.3) < 1e-6)
        #expect(abs(layer.runningVar.value.data[0] - (0.9 + 0.1 * 14 / 3)) < 1e-6)
        #expect(layer.numBatchesTracked.value.data[0] == 1)
    }
}
