import Foundation
import Report

/// What a deep-feature EDA page says about the features it worked on, kept in its result so that
/// the page needs nothing else: nil in a result means the step extracted no features and the
/// section skipped (see ``DeepEDAInput``).
public struct DeepFeaturesDescription: Codable, Sendable, Equatable {
    /// "EfficientNet-Lite0 (ImageNet-1k) features", the feature name on figures.
    public var featureName: String
    /// The backbone's display name ("ViT-B/16").
    public var backboneName: String
    /// The sentence naming the backbone and saying how its numbers compare with the study's.
    public var backboneSentence: String

    public init(featureName: String, backboneName: String, backboneSentence: String) {
        self.featureName = featureName; self.backboneName = backboneName; self.backboneSentence = backboneSentence
    }

    init(_ input: DeepEDAInput) {
        self.init(featureName: input.featureName, backboneName: input.index.backboneName, backboneSentence: input.backboneSentence)
    }
}
