import Foundation
import Neural
import Tensor

/// What a network's training step records besides the weights (`training` artifact): sizes, the
/// optimizer, which weights it started from, and the time it took.
public struct NetworkTrainingInfo: Codable, Sendable, Equatable {
    public var key: String
    public var name: String
    public var parameters: Int
    public var trainableParameters: Int
    public var imageSize: Int
    public var epochsRun: Int
    public var epochsPlanned: Int
    public var bestEpoch: Int?
    public var stoppedEarly: Bool
    public var optimizer: String
    /// True when the network started from ImageNet weights.
    public var pretrained: Bool
    /// "random initialisation" or "ImageNet weights <file> sha256 <short>".
    public var weights: String
    /// Seconds of training (every epoch's training and validation pass, including epochs run before
    /// an interruption) and of the test evaluation.
    public var trainSeconds: Double
    public var evaluationSeconds: Double
    public var trainImages: Int
    public var validationImages: Int
    public var testImages: Int
    /// The epoch an interrupted training was resumed after (nil when it ran in one go).
    public var resumedAfterEpoch: Int?
    /// The substitute backbone that ran the study's recipe (nil: the study's own network ran).
    public var substitute: SubstituteRun?
}

/// The test-set evaluation of a trained network (`evaluation` artifact): per test image its path,
/// true class, predicted class and class probabilities (softmax of the logits).
public struct NetworkEvaluation: Codable, Sendable, Equatable {
    public var classes: [String]
    public var paths: [String]
    public var labels: [Int]
    public var predictions: [Int]
    /// One row of `classes.count` probabilities per test image.
    public var probabilities: [[Double]]
    public var loss: Double
}

/// The seeded per-class samples a network trains and is evaluated on.
enum NetworkSubset {
    /// `perClass` items of each class drawn with `generator` (all when 0 or fewer), in their original order.
    static func perClass(_ items: [SplitSection.Item], _ perClass: Int, using generator: inout SeededGenerator) -> [SplitSection.Item] {
        guard perClass > 0 else { return items }
        var keep = Set<Int>()
        let labels = Set(items.map(\.label)).sorted()
        for label in labels {
            let members = items.indices.filter { items[$0].label == label }
            keep.formUnion(members.shuffled(using: &generator).prefix(perClass))
        }
        return items.indices.filter(keep.contains).map { items[$0] }
    }
}
