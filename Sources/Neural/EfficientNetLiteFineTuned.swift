import Tensor

extension EfficientNetLite {
    /// Loads pretrained weights except the classifier `_fc.*` (which keeps its initialisation):
    /// the start of fine-tuning with a new head, as `load_pretrained_weights(..., load_fc=False)`.
    /// Every other tensor must be present with its shape, and no unknown tensor may be given.
    public func loadBackbone(_ tensors: [String: Tensor]) throws {
        let backbone = tensors.filter { !$0.key.hasPrefix("_fc.") }
        let needed = stateTensors.map(\.name).filter { !$0.hasPrefix("_fc.") }
        let missing = needed.filter { backbone[$0] == nil }
        if !missing.isEmpty { throw StateDictError.missing(missing) }
        let known = Set(needed)
        let extra = backbone.keys.filter { !known.contains($0) }.sorted()
        if !extra.isEmpty { throw StateDictError.unexpected(extra) }
        try StateDict.load(backbone, into: self, strict: false)
    }
}

/// ResNet18's recipe on an EfficientNet-Lite as one classifier of raw images, evaluation mode:
/// the frozen trunk through the inference plan (folded batch norms), then the fine-tuned tail.
/// What SHAP explains on the fine-tuned network's page.
public struct EfficientNetLiteFineTuned {
    public let plan: EfficientNetLite.InferencePlan
    public let tail: EfficientNetLiteTail

    /// `plan` is of the pretrained model the tail was taken from.
    public init(plan: EfficientNetLite.InferencePlan, tail: EfficientNetLiteTail) {
        precondition(plan.lastStageStart == tail.firstBlock, "EfficientNetLiteFineTuned: the plan and the tail come from different variants")
        self.plan = plan; self.tail = tail
    }

    /// Logits (N, classes) of images (N, 3, H, W), preprocessed as for training.
    public func logits(images: Tensor) -> Tensor {
        tail.forward(plan.trunkFeatures(images), training: false)
    }
}
