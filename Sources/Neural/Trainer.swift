import Foundation
import Tensor

/// The study's `train_model` and `test_model`: seeded shuffled mini-batches, a validation pass per
/// epoch, a history of loss, accuracy and weighted precision/recall/F1, early stopping with the best
/// weights restored, and test evaluation with confusion matrix and class probabilities.
///
///     let history = Trainer.fit(model, optimizer: adam, train: trainSource, validation: valSource,
///                               config: TrainingConfig(epochs: 40, earlyStopping: EarlyStopping(patience: 10, minDelta: 1e-4)),
///                               classes: 8) { done, total in print(done, total) }
public enum Trainer {
    /// Trains `model` in place and returns its history. `progress(done, total)` is called after every
    /// batch (training and validation) of every epoch; `total` assumes all epochs run and the last call
    /// reports `done == total` even when early stopping ends the run sooner.
    public static func fit(_ model: Layer, optimizer: Optimizer, loss: CrossEntropyLoss = CrossEntropyLoss(),
                           train: BatchSource, validation: BatchSource, config: TrainingConfig, classes: Int,
                           progress: ((Int, Int) -> Void)? = nil) -> TrainingHistory {
        var state = TrainerState()
        fit(model, optimizer: optimizer, loss: loss, train: train, validation: validation, config: config, classes: classes,
            state: &state, epochStarting: { _ in }, epochFinished: { _ in }, progress: progress)
        return state.history
    }

    /// Trains `model` from `state` (a fresh `TrainerState()` or one saved after an epoch of an
    /// interrupted run, with the model's weights and the optimizer's state restored to that epoch)
    /// and leaves the final state in `state`.
    ///
    /// `epochStarting(epoch)` runs before each epoch (0-based), e.g. to reseed dropout masks from
    /// the epoch so a resumed run draws the same ones; `epochFinished(state)` runs after each
    /// epoch's validation and early-stopping decision, e.g. to save a checkpoint. The shuffled
    /// order depends only on (seed, epoch), so a run resumed after epoch e continues exactly as the
    /// uninterrupted run would.
    public static func fit(_ model: Layer, optimizer: Optimizer, loss: CrossEntropyLoss = CrossEntropyLoss(),
                           train: BatchSource, validation: BatchSource, config: TrainingConfig, classes: Int,
                           state: inout TrainerState,
                           epochStarting: (Int) throws -> Void, epochFinished: (TrainerState) throws -> Void,
                           progress: ((Int, Int) -> Void)? = nil) rethrows {
        precondition(config.batchSize > 0 && config.epochs >= 0, "TrainingConfig needs a positive batch size and epochs ≥ 0")
        let trainBatches = (train.count + config.batchSize - 1) / config.batchSize
        let evalBatch = config.evaluationBatchSize ?? config.batchSize
        let valBatches = (validation.count + evalBatch - 1) / evalBatch
        let total = config.epochs * (trainBatches + valBatches)
        var done = min(total, state.history.epochs * (trainBatches + valBatches))
        if let stop = config.earlyStopping, state.history.epochs == 0, state.history.log.isEmpty {
            state.history.log.append("Early stopping enabled: Monitoring '\(stop.metric.rawValue)', Patience=\(stop.patience), "
                                     + "Mode='\(stop.metric.minimises ? "min" : "max")', Min Delta=\(stop.minDelta)")
        }
        for epoch in state.history.epochs..<max(state.history.epochs, config.epochs) where !state.finished {
            try epochStarting(epoch)
            let started = Date()
            // A fresh, seed-derived order every epoch (DataLoader(shuffle=True) draws one per epoch too).
            var generator = SeededGenerator.stream(seed: config.seed, UInt64(epoch))
            let order = Array(0..<train.count).shuffled(using: &generator)
            var metrics = ClassificationMetrics(classes: classes)
            var lossSum = 0.0
            for b in 0..<trainBatches {
                let indices = Array(order[(b * config.batchSize)..<min(train.count, (b + 1) * config.batchSize)])
                let (images, labels) = train.batch(indices)
                optimizer.zeroGrad()
                let logits = model.forward(images, training: true)
                let (value, gradient) = loss(logits, labels)
                _ = model.backward(gradient)
                optimizer.step()
                lossSum += Double(value) * Double(labels.count)
                metrics.add(labels: labels, predictions: argmax(logits))
                done += 1
                progress?(done, total)
            }
            var history = state.history
            history.trainLoss.append(lossSum / Double(max(1, train.count)))
            history.trainAccuracy.append(metrics.accuracy)
            history.trainPrecision.append(metrics.weightedPrecision)
            history.trainRecall.append(metrics.weightedRecall)
            history.trainF1.append(metrics.weightedF1)

            let val = evaluate(model, on: validation, classes: classes, batchSize: evalBatch, loss: loss) {
                done += 1; progress?(done, total)
            }
            history.valLoss.append(val.loss)
            history.valAccuracy.append(val.accuracy)
            history.valPrecision.append(val.precision)
            history.valRecall.append(val.recall)
            history.valF1.append(val.f1)
            history.epochSeconds.append(Date().timeIntervalSince(started))
            history.bestEpoch = epoch + 1
            state.history = history
            if epoch + 1 == config.epochs { state.finished = true }

            if let stop = config.earlyStopping {
                let current = state.history.values(of: stop.metric)[epoch]
                let improved: Bool
                if let b = state.best {
                    improved = stop.metric.minimises ? current < b.value - stop.minDelta : current > b.value + stop.minDelta
                } else {
                    improved = current.isFinite
                }
                if improved {
                    state.best = BestEpoch(value: current, epoch: epoch + 1, weights: stop.restoreBestWeights ? StateDict.snapshot(model) : [])
                    state.epochsWithoutImprovement = 0
                } else {
                    state.epochsWithoutImprovement += 1
                    state.history.log.append("Epoch \(epoch + 1): No improvement in \(stop.metric.rawValue) for \(state.epochsWithoutImprovement) epoch(s).")
                }
                if let b = state.best { state.history.bestEpoch = b.epoch }
                if state.epochsWithoutImprovement >= stop.patience {
                    state.history.stoppedEarly = true
                    state.finished = true
                    state.history.log.append("Early stopping triggered after \(epoch + 1) epochs.")
                    state.history.log.append("Monitored metric '\(stop.metric.rawValue)' did not improve for \(stop.patience) epochs.")
                    if let b = state.best, stop.restoreBestWeights {
                        state.history.log.append("Loading best model weights found during training.")
                        StateDict.restore(b.weights, into: model)
                    }
                }
            }
            if state.finished { state.history.log.append("Finished training loop.") }
            try epochFinished(state)
        }
        if !state.finished && state.history.epochs >= config.epochs {
            state.finished = true
            state.history.log.append("Finished training loop.")
        }
        // Runs on every call that ends a finished training (also a resumed one whose last epoch was
        // saved before the restore), so the model always ends with the best epoch's weights.
        if let stop = config.earlyStopping, stop.restoreBestWeights, stop.restoreBestWhenEpochsRunOut,
           state.finished, !state.history.stoppedEarly, let b = state.best, b.epoch != state.history.epochs {
            state.history.log.append("Epochs ran out before early stopping; loading the best model weights (epoch \(b.epoch)).")
            StateDict.restore(b.weights, into: model)
        }
        if done < total { progress?(total, total) }
    }

    /// Runs `model` in evaluation mode over `source` in order: mean loss, metrics, predictions and
    /// softmax probabilities (N, K). `afterBatch` is called after each batch (progress reporting).
    public static func evaluate(_ model: Layer, on source: BatchSource, classes: Int, batchSize: Int = 32,
                                loss: CrossEntropyLoss = CrossEntropyLoss(), afterBatch: (() -> Void)? = nil) -> Evaluation {
        var metrics = ClassificationMetrics(classes: classes)
        var labels: [Int] = [], predictions: [Int] = []
        var probabilities: [Float] = []
        labels.reserveCapacity(source.count); predictions.reserveCapacity(source.count)
        probabilities.reserveCapacity(source.count * classes)
        var lossSum = 0.0
        var start = 0
        while start < source.count {
            let indices = Array(start..<min(source.count, start + batchSize))
            let (images, batchLabels) = source.batch(indices)
            let logits = model.forward(images, training: false)
            precondition(logits.shape == [indices.count, classes], "evaluate: model gave logits \(logits.shape), expected \([indices.count, classes])")
            lossSum += Double(loss(logits, batchLabels).loss) * Double(indices.count)
            let predicted = argmax(logits)
            metrics.add(labels: batchLabels, predictions: predicted)
            labels += batchLabels; predictions += predicted
            probabilities += softmax(logits).data
            start += batchSize
            afterBatch?()
        }
        return Evaluation(loss: lossSum / Double(max(1, source.count)), metrics: metrics, labels: labels,
                          predictions: predictions, probabilities: Tensor(shape: [source.count, classes], data: probabilities))
    }

    /// Index of each row's largest logit (first one on ties, as torch.argmax).
    public static func argmax(_ logits: Tensor) -> [Int] {
        let n = logits.shape[0], k = logits.shape[1]
        return (0..<n).map { i in
            var best = 0
            for j in 1..<k where logits.data[i * k + j] > logits.data[i * k + best] { best = j }
            return best
        }
    }
}
