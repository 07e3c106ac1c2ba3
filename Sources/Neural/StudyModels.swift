import Tensor

// The three networks of the study, built from the layers with the study's exact structure and
// PyTorch's module names, so `StateDict.names(of:)` equals the PyTorch model's `state_dict()` keys.

/// Builders of the study's networks: `StudyModel.cnnModel(hiddenUnits: 64, using: &rng)`.
public enum StudyModel {
    /// Port of the study's `SimpleNN`: Flatten → Linear(in, hidden) → ReLU → Linear(hidden, out) → ReLU.
    ///
    /// The final ReLU is the study's own (unusual: logits cannot be negative); kept on purpose.
    /// Keys: `model_architecture.1.weight`, `model_architecture.1.bias`, `model_architecture.3.*`.
    ///
    /// - Parameters: `inputDimension` (C·H·W; the study uses 224·224·3), `hiddenUnits` (10),
    ///   `outputDimension` (8).
    public static func simpleNN(inputDimension: Int, hiddenUnits: Int = 10, outputDimension: Int = 8,
                         using generator: inout some RandomNumberGenerator) -> Sequential {
        let architecture = Sequential([Flatten(), Linear(inputDimension, hiddenUnits, using: &generator), ReLU(),
                                       Linear(hiddenUnits, outputDimension, using: &generator), ReLU()])
        return Sequential(named: [("model_architecture", architecture)])
    }

    /// Two (Conv 3x3 pad 1 → BatchNorm → ReLU) pairs, then MaxPool 2 and Dropout: the block both CNNs use.
    private static func convBlock(_ inChannels: Int, _ outChannels: Int, dropout: Float, seed: UInt64,
                           using generator: inout some RandomNumberGenerator) -> Sequential {
        Sequential([Conv2d(inChannels, outChannels, kernelSize: 3, padding: 1, using: &generator), BatchNorm2d(outChannels), ReLU(),
                    Conv2d(outChannels, outChannels, kernelSize: 3, padding: 1, using: &generator), BatchNorm2d(outChannels), ReLU(),
                    MaxPool2d(kernelSize: 2), Dropout(dropout, seed: seed)])
    }

    /// Port of the study's `LightCNN(input_shape, hidden_units, output_shape)`: three conv blocks with
    /// hidden, 2·hidden, 4·hidden channels (dropout 0.2, 0.2, 0.3), then a classifier
    /// AdaptiveAvgPool(1) → Flatten → Linear(4·hidden, 512) → ReLU → Dropout(0.5) → Linear(512, out).
    /// The study uses hidden_units 10 (10/20/40 channels).
    ///
    /// - Parameters: `inputChannels` (3), `hiddenUnits` (10), `outputClasses` (8), `dropoutSeed` for the
    ///   dropout masks (default 0).
    public static func lightCNN(inputChannels: Int = 3, hiddenUnits: Int = 10, outputClasses: Int = 8, dropoutSeed: UInt64 = 0,
                         using generator: inout some RandomNumberGenerator) -> Sequential {
        let h = hiddenUnits
        return Sequential(named: [
            ("block_1", convBlock(inputChannels, h, dropout: 0.2, seed: dropoutSeed &+ 1, using: &generator)),
            ("block_2", convBlock(h, 2 * h, dropout: 0.2, seed: dropoutSeed &+ 2, using: &generator)),
            ("block_3", convBlock(2 * h, 4 * h, dropout: 0.3, seed: dropoutSeed &+ 3, using: &generator)),
            ("classifier", Sequential([AdaptiveAvgPool2d(outputSize: 1), Flatten(), Linear(4 * h, 512, using: &generator), ReLU(),
                                       Dropout(0.5, seed: dropoutSeed &+ 4), Linear(512, outputClasses, using: &generator)])),
        ])
    }

    /// Port of the study's `CNNModel(input_channels, hidden_units, output_classes)`: three conv blocks
    /// with hidden, 2·hidden, 4·hidden channels (dropout 0.2, 0.3, 0.4), global average pooling `gap`,
    /// then a classifier Flatten → Linear(4·hidden, 256) → ReLU → Dropout(0.5) → Linear(256, out).
    /// The study uses hidden_units 64 (64/128/256 channels).
    ///
    /// - Parameters: `inputChannels` (3), `hiddenUnits` (64), `outputClasses` (8), `dropoutSeed` (0).
    public static func cnnModel(inputChannels: Int = 3, hiddenUnits: Int = 64, outputClasses: Int = 8, dropoutSeed: UInt64 = 0,
                         using generator: inout some RandomNumberGenerator) -> Sequential {
        let h = hiddenUnits
        return Sequential(named: [
            ("block_1", convBlock(inputChannels, h, dropout: 0.2, seed: dropoutSeed &+ 1, using: &generator)),
            ("block_2", convBlock(h, 2 * h, dropout: 0.3, seed: dropoutSeed &+ 2, using: &generator)),
            ("block_3", convBlock(2 * h, 4 * h, dropout: 0.4, seed: dropoutSeed &+ 3, using: &generator)),
            ("gap", AdaptiveAvgPool2d(outputSize: 1)),
            ("classifier", Sequential([Flatten(), Linear(4 * h, 256, using: &generator), ReLU(),
                                       Dropout(0.5, seed: dropoutSeed &+ 4), Linear(256, outputClasses, using: &generator)])),
        ])
    }
}

extension Sequential {
    /// Every dropout layer inside, depth first (to reseed them or set `p`).
    public var dropoutLayers: [Dropout] {
        children.flatMap { child -> [Dropout] in
            if let d = child.layer as? Dropout { return [d] }
            if let s = child.layer as? Sequential { return s.dropoutLayers }
            return []
        }
    }
}
