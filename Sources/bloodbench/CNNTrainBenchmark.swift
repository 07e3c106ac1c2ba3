import Foundation
import Neural
import Tensor

/// `cnn-train-64` and `cnn-train-224`: training throughput of the study's CNNModel (hidden units 64,
/// 8 classes, batch 32, Adam lr 1e-4) on random images of the given size, ours and PyTorch's
/// (tools/bench/cnn_train.py) with the same thread count, in images per second.
enum CNNTrainBenchmark {
    static func make(size: Int, steps: Int) -> Benchmark {
        Benchmark(name: "cnn-train-\(size)",
                  summary: "CNNModel training steps at \(size)x\(size), batch 32, images/s vs PyTorch CPU.") { _ in
            let batch = 32
            var g = SeededGenerator(seed: 0)
            let model = StudyModel.cnnModel(hiddenUnits: 64, outputClasses: 8, using: &g)
            let optimizer = Adam(parameters: model.parameters, learningRate: 1e-4)
            let x = Tensor(shape: [batch, 3, size, size], data: (0..<(batch * 3 * size * size)).map { _ in Float.random(in: 0..<1, using: &g) })
            let y = (0..<batch).map { _ in Int.random(in: 0..<8, using: &g) }
            func step() {
                optimizer.zeroGrad()
                let (_, gradient) = CrossEntropyLoss()(model.forward(x, training: true), y)
                _ = model.backward(gradient)
                optimizer.step()
            }
            let (ours, reference, rounds) = NeuralTiming.againstPyTorch(script: "cnn_train.py", size: size, batch: batch,
                                                                        steps: steps, step)
            let plain = NeuralTiming.sameRunComparisons(batch: batch, steps: steps, step)
            return BenchmarkResult(name: "cnn-train-\(size)", ours: ours, reference: reference.value, unit: "images/s",
                                   higherIsBetter: true, referenceTool: "PyTorch \(Parallel.threadCount) threads",
                                   note: reference.note)
                .withThroughput(flopsPerImage: DirectFLOPs.cnnTraining(size: size), sgemmGflops: DirectFLOPs.sgemmRate())
                .with(details: [rounds] + plain)
        }
    }

    static let size64 = make(size: 64, steps: 5)
    static let size224 = make(size: 224, steps: 2)
}
