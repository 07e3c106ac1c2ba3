import Foundation
import Learn
import Neural
import Tensor

/// The study's logistic regression on deep features (In [204]–[211]): features standardised with
/// the training part's mean and torch's unbiased deviation, one `Linear(F, K)` layer trained with
/// cross-entropy and Adam in seeded shuffled mini-batches, a validation pass every epoch, then
/// train / validation / test evaluation.
struct LogisticRegressionTraining {
    var epochs: Int
    var batchSize: Int
    var learningRate: Double

    struct Outcome {
        var history: Neural.TrainingHistory
        var seconds: Double
        var trainAccuracy: Double
        var validationAccuracy: Double
        var test: Evaluation
        var parameterCount: Int
        /// Features with zero deviation on the training part (scaled by 1e-6, as the study does).
        var constantFeatures: Int
    }

    /// A feature matrix (N, F) as batches of rows.
    static func source(_ x: Matrix<Float>, _ labels: [Int]) -> ClosureBatchSource {
        ClosureBatchSource(count: x.rows) { indices in
            (Tensor(shape: [indices.count, x.columns], data: x.rows(indices).storage), indices.map { labels[$0] })
        }
    }

    func run(_ parts: DeepFeatureParts, classes: Int, seed: UInt64, using generator: inout some RandomNumberGenerator,
             progress: @escaping (Int, Int) -> Void) -> Outcome {
        let scaler = TorchStandardizer.fit(parts.train)
        let train = Self.source(scaler.transform(parts.train), parts.trainLabels)
        let validation = Self.source(scaler.transform(parts.validation), parts.validationLabels)
        let test = Self.source(scaler.transform(parts.test), parts.testLabels)
        let model = Linear(parts.featureWidth, classes, using: &generator)
        let adam = Adam(parameters: model.parameters, learningRate: Float(learningRate))
        let started = Date()
        let history = Trainer.fit(model, optimizer: adam, train: train, validation: validation,
                                  config: TrainingConfig(epochs: epochs, batchSize: batchSize, seed: seed), classes: classes,
                                  progress: progress)
        let seconds = Date().timeIntervalSince(started)
        let trainEval = Trainer.evaluate(model, on: train, classes: classes, batchSize: batchSize)
        let validationEval = Trainer.evaluate(model, on: validation, classes: classes, batchSize: batchSize)
        let testEval = Trainer.evaluate(model, on: test, classes: classes, batchSize: batchSize)
        return Outcome(history: history, seconds: seconds, trainAccuracy: trainEval.accuracy,
                       validationAccuracy: validationEval.accuracy, test: testEval,
                       parameterCount: model.parameters.reduce(0) { $0 + $1.value.count },
                       constantFeatures: scaler.std.filter { $0 == 1e-6 }.count)
    }
}
