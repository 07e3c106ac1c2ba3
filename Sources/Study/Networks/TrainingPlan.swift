import Foundation
import Neural
import Tensor

/// What one network training needs, whichever network runs (the study's own, or the study's recipe
/// on a substitute backbone): the layer the loop trains, its optimizer and data, and what to save.
struct TrainingPlan {
    /// The layer `Trainer.fit` trains and evaluates (for ResNet18's recipe on a substitute: only the
    /// trainable tail, fed the frozen trunk's outputs).
    var model: Layer
    var optimizer: any ResumableOptimizer
    var optimizerDescription: String
    /// Restart the training's random streams (dropout masks, drop connect) from a seed, one per
    /// stream, at the start of every epoch, so a resumed epoch draws what it would have.
    var reseeders: [(UInt64) -> Void]
    var subsets: TrainingSubsets
    var train: BatchSource, validation: BatchSource, test: BatchSource
    var imageSize: Int
    var epochs: Int
    /// The whole network the checkpoint holds (for the partial recipe: frozen trunk and tail).
    var saved: Layer
    /// The checkpoint's `architecture` metadata, nil for the study's own networks.
    var architecture: String?
    var start: NetworkTrainSection.Start
    var deviations: [Deviation]
    var substitute: SubstituteRun? = nil
}

/// The seeded per-class samples a network trains, validates and is tested on.
struct TrainingSubsets {
    var train: [SplitSection.Item], validation: [SplitSection.Item], test: [SplitSection.Item]
    var imageCount: Int { train.count + validation.count + test.count }

    init(_ kind: NetworkKind, split: SplitSection.Split, trainPerClass: Int, evalPerClass: Int, batchSize: Int,
         context: StudyContext) throws {
        var sampling = context.generator(stream: 1)
        train = NetworkSubset.perClass(split.train, trainPerClass, using: &sampling)
        if train.count % batchSize == 1 && train.count > 1 {
            // A last batch of one image has one value per channel where BatchNorm meets a 1x1 map
            // (ResNet18's layer4 at small sizes), which BatchNorm cannot train on (PyTorch raises too).
            let dropped = train.removeLast()
            context.warn("\(kind.displayName): \(train.count + 1) training images leave a last batch of one; \(dropped.path) is left out of training")
        }
        validation = NetworkSubset.perClass(split.validation, evalPerClass, using: &sampling)
        test = NetworkSubset.perClass(split.test, evalPerClass, using: &sampling)
    }
}

/// Which substitute ran, recorded in the `training` artifact for the pages.
public struct SubstituteRun: Codable, Sendable, Equatable {
    /// `efficientnet-lite0` …
    public var backbone: String
    public var recipe: FineTuningRecipe
    /// Seconds spent running the frozen trunk once over every image (partial recipe), 0 otherwise.
    public var trunkSeconds: Double

    /// "EfficientNet-Lite0".
    public var displayName: String { SubstituteBackbone.displayName(backbone) }

    /// "ResNet18's recipe on EfficientNet-Lite0, ImageNet weights".
    func headline(for kind: NetworkKind) -> String {
        "\(kind.displayName)'s recipe on \(displayName), ImageNet weights"
    }
}
