import Tensor

/// Where a training run stands after a finished epoch: enough to continue it exactly (with the
/// model's weights and the optimizer's state of that epoch), as `Trainer.fit(…, state:…)` does.
public struct TrainerState: Sendable {
    /// Every finished epoch's values; `history.epochs` is the next epoch to run (0-based).
    public var history = TrainingHistory()
    /// Epochs since the monitored metric last improved (early stopping).
    public var epochsWithoutImprovement = 0
    /// The best epoch so far under early stopping, with its weights when they are to be restored.
    public var best: BestEpoch?
    /// True once the run ended: all epochs ran, or early stopping stopped it.
    public var finished = false

    public init() {}

    /// The small part of the state (all but the best weights), for saving as JSON.
    public struct Position: Codable, Sendable, Equatable {
        public var epochsWithoutImprovement: Int
        public var bestValue: Double?
        public var bestEpoch: Int?
        public var finished: Bool
    }

    public var position: Position {
        Position(epochsWithoutImprovement: epochsWithoutImprovement, bestValue: best?.value, bestEpoch: best?.epoch,
                 finished: finished)
    }

    /// A state rebuilt from a saved history, position and best weights.
    public init(history: TrainingHistory, position: Position, bestWeights: [Tensor]) {
        self.history = history
        epochsWithoutImprovement = position.epochsWithoutImprovement
        if let value = position.bestValue, let epoch = position.bestEpoch {
            best = BestEpoch(value: value, epoch: epoch, weights: bestWeights)
        }
        finished = position.finished
    }
}

/// The best epoch under early stopping: its monitored value, its 1-based number, and a snapshot of
/// the model's state tensors then (empty when best weights are not restored).
public struct BestEpoch: Sendable {
    public var value: Double
    public var epoch: Int
    public var weights: [Tensor]
}
