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
        precondition(config.batchSize > 0 && config.epochs >= 0, "TrainingConfig needs a positive batch size and epochs ≥ 0")
        var history = TrainingHistory()
        let trainBatches = (train.count + config.batchSize - 1) / config.batchSize
        let evalBatch = config.evaluationBatchSize ?? config.batchSize
        let valBatches = (validation.count + evalBatch - 1) / evalBatch
        let total = config.epochs * (trainBatches + valBatches)
        var done = 0
        var best: (value: Double, epoch: Int, weights: [Tensor])?
        var epochsWithoutImprovement = 0
        if let stop = config.earlyStopping {
            history.log.append("Early stopping enabled: Monitoring '\(stop.metric.rawValue)', Patience=\(stop.patience), "
                               + "Mode='\(stop.metric.minimises ? "min" : "max")', Min Delta=\(stop.minDelta)")
        }
        for epoch in 0..<config.epochs {
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

            guard let stop = config.earlyStopping else { continue }
            let current = history.values(of: stop.metric)[epoch]
            let improved: Bool
            if let b = best {
                improved = stop.metric.minimises ? current < b.value - stop.minDelta : current > b.value + stop.minDelta
            } else {
                improved = current.isFinite
            }
            if improved {
                best = (current, epoch + 1, stop.restoreBestWeights ? StateDict.snapshot(model) : [])
                epochsWithoutImprovement = 0
            } else {
                epochsWithoutImprovement += 1
                history.log.append("Epoch \(epoch + 1): No improvement in \(stop.metric.rawValue) for \(epochsWithoutImprovement) epoch(s).")
            }
            if let b = best { history.bestEpoch = b.epoch }
            if epochsWithoutImprovement >= stop.patience {
                history.stoppedEarly = true
                history.log.append("Early stopping triggered after \(epoch + 1) epochs.")
                history.log.append("Monitored metric '\(stop.metric.rawValue)' did not improve for \(stop.patience) epochs.")
                if let b = best, stop.restoreBestWeights {
                    history.log.append("Loading best model weights found during training.")
                    StateDict.restore(b.weights, into: model)
                }
                break
            }
        }
        if done < total { progress?(total, total) }
        history.log.append("Finished training loop.")
        return history
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
