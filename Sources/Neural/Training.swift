import Foundation
import Tensor

/// The validation quantity early stopping watches; loss is minimised, the others maximised
/// (the study's `early_stopping_metric` values).
public enum MonitoredMetric: String, Sendable, Codable, CaseIterable {
    case valLoss = "val_loss", valAccuracy = "val_acc", valPrecision = "val_precision",
         valRecall = "val_recall", valF1 = "val_f1_score"

    public var minimises: Bool { self == .valLoss }
}

/// Stop when `metric` has not improved by more than `minDelta` for `patience` epochs, then put back
/// the weights of the best epoch (as the study's `train_model`).
///
/// `restoreBestWhenEpochsRunOut` also puts them back when the last epoch ends before early stopping
/// triggers. The study does not (its 40 epochs outlast its patience); a run with fewer epochs ends
/// where the study's early stopping would still have chosen the best epoch's weights.
public struct EarlyStopping: Sendable, Codable {
    public var metric: MonitoredMetric
    public var patience: Int
    public var minDelta: Double
    public var restoreBestWeights: Bool
    public var restoreBestWhenEpochsRunOut: Bool

    public init(metric: MonitoredMetric = .valLoss, patience: Int, minDelta: Double = 0.001, restoreBestWeights: Bool = true,
                restoreBestWhenEpochsRunOut: Bool = false) {
        self.metric = metric; self.patience = patience; self.minDelta = minDelta; self.restoreBestWeights = restoreBestWeights
        self.restoreBestWhenEpochsRunOut = restoreBestWhenEpochsRunOut
    }
}

/// Settings of a training run: `epochs`, `batchSize` (32 as the study), `seed` for the shuffling,
/// optional `earlyStopping`, `evaluationBatchSize` (default: batchSize).
public struct TrainingConfig: Sendable, Codable {
    public var epochs: Int
    public var batchSize: Int
    public var seed: UInt64
    public var earlyStopping: EarlyStopping?
    public var evaluationBatchSize: Int?

    public init(epochs: Int, batchSize: Int = 32, seed: UInt64 = 42, earlyStopping: EarlyStopping? = nil,
                evaluationBatchSize: Int? = nil) {
        self.epochs = epochs; self.batchSize = batchSize; self.seed = seed
        self.earlyStopping = earlyStopping; self.evaluationBatchSize = evaluationBatchSize
    }
}

/// Per-epoch values, one entry per finished epoch. Losses are sample-weighted means over the epoch
/// and the other metrics are computed once over all of the epoch's predictions (the study averages
/// per-batch values instead; the two differ slightly, mostly through the smaller last batch).
/// Training metrics come from the training-mode forward passes, as in the study.
public struct TrainingHistory: Sendable, Codable {
    public var trainLoss: [Double] = [], trainAccuracy: [Double] = [], trainPrecision: [Double] = []
    public var trainRecall: [Double] = [], trainF1: [Double] = []
    public var valLoss: [Double] = [], valAccuracy: [Double] = [], valPrecision: [Double] = []
    public var valRecall: [Double] = [], valF1: [Double] = []
    /// Seconds each epoch took (training and validation).
    public var epochSeconds: [Double] = []
    /// 1-based epoch whose weights the model holds at the end (the best one when they were restored).
    public var bestEpoch: Int?
    /// True when early stopping ended the run before `epochs`.
    public var stoppedEarly = false
    /// Messages in the study's words ("Epoch 3: No improvement in val_loss for 1 epoch(s).").
    public var log: [String] = []

    public var epochs: Int { trainLoss.count }

    public func values(of metric: MonitoredMetric) -> [Double] {
        switch metric {
        case .valLoss: return valLoss
        case .valAccuracy: return valAccuracy
        case .valPrecision: return valPrecision
        case .valRecall: return valRecall
        case .valF1: return valF1
        }
    }
}

/// What `evaluate` returns for a test set: loss, metrics, confusion matrix, and the softmax
/// probabilities (N, K) for ROC curves.
public struct Evaluation: Sendable {
    public var loss: Double
    public var metrics: ClassificationMetrics
    public var labels: [Int]
    public var predictions: [Int]
    /// Softmax of the logits, (N, K).
    public var probabilities: Tensor

    public var accuracy: Double { metrics.accuracy }
    public var precision: Double { metrics.weightedPrecision }
    public var recall: Double { metrics.weightedRecall }
    public var f1: Double { metrics.weightedF1 }
    /// counts[true][predicted].
    public var confusionMatrix: [[Int]] { metrics.counts }
}
