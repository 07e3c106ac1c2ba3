import Foundation
import Neural
import Report
import Tensor

/// Trains one of the study's networks (step `<id>-train`, no page of its own): the study's optimizer,
/// learning rates, batch size and early stopping, at the profile's image size, epochs and subsets;
/// then evaluates it on the test part. Artifacts: `model.safetensors` (trained weights, `state_dict`
/// names), `history` (`Neural.TrainingHistory`), `evaluation` (`NetworkEvaluation`), `training`
/// (`NetworkTrainingInfo`) and `summary` (`ModelSummary`, for the comparison).
///
/// Training saves its state after every epoch in the step's resume folder, so a run interrupted
/// mid-training continues from its last finished epoch with the same result.
///
/// As a `ComputedSection` its result is the training record and the deviations the network's
/// start raised; its page (no cells: `NetworkPageSection` is the network's page) lists those.
public struct NetworkTrainSection: ComputedSection {
    public let kind: NetworkKind
    public var id: String { "\(kind.id)-train" }
    public var title: String { "Training: \(kind.displayName)" }
    public let dependencies = ["split"]
    /// 2: Winograd weight gradients; 3: oneDNN's sgemm, 16-lane GELU and attention softmax (the
    /// trained weights differ from the earlier versions' in rounding). The substitute backbones
    /// (`networks.<key>.substitute`) changed only the inputs of ResNet18's and ViT-B/16's steps.
    /// Computing then paging (the stored `Result`) changed no trained number, so no version bump:
    /// entries from before keep their stored page (`page(cachedIn:)`).
    public let version = 3
    public let hasPage = false
    public var configKeys: [String] { ["networks.\(kind.resultsKey)"] }

    /// The weights folder whose ImageNet checkpoint (when the profile asks for one) is part of the
    /// step's inputs, so fetching the weights later retrains; the run reads `context.weights`.
    public let weights: URL?

    public init(_ kind: NetworkKind, weights: URL? = nil) { self.kind = kind; self.weights = weights }

    /// Tests only: stop (throw) right after this epoch is saved, as a killed run would stop.
    var stopAfterEpoch: Int?

    struct Interrupted: Error, CustomStringConvertible {
        var epoch: Int
        var description: String { "training interrupted after epoch \(epoch)" }
    }

    public func inputs(_ config: StudyConfig) throws -> StepInputs {
        let settings = kind.config(config)
        var inputs = StepInputs().adding("network", kind.resultsKey).adding("settings", settings)
        // The weights file is part of the inputs only by name and size: hashing 330 MB on every run
        // would cost seconds; a different download of the same name and size is not expected.
        if settings.pretrained, let file = Self.weightsFile(kind, folder: weights) {
            inputs = inputs.adding("weights", file)
        } else if let substitute = try SubstituteBackbone.resolve(kind, settings: settings, folder: weights) {
            inputs = inputs.adding("substitute", substitute.fingerprint)
        }
        return inputs
    }

    /// The checkpoint `run` would load from `folder`, as "<file name> <bytes>".
    static func weightsFile(_ kind: NetworkKind, folder: URL?) -> String? {
        guard let folder else { return nil }
        for candidate in kind.pretrainedCandidates {
            if let url = PretrainedWeights.locate(in: folder, model: candidate) {
                let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
                return "\(url.lastPathComponent) \(size)"
            }
        }
        return nil
    }

    /// What training recorded (`training` artifact) and how the run departs from the study's network.
    public struct Result: Codable, Sendable, Equatable {
        public var info: NetworkTrainingInfo
        public var deviations: [Deviation]

        public init(info: NetworkTrainingInfo, deviations: [Deviation]) { self.info = info; self.deviations = deviations }
    }

    public func page(_ result: Result) -> SectionResult { SectionResult(cells: [], deviations: result.deviations) }

    /// A cache entry trained before the step stored its result (no `computed.json`) keeps its stored
    /// page: what training computes did not change, so the networks are not trained again.
    public func page(cachedIn artifacts: ArtifactReader) throws -> SectionResult? {
        guard FileManager.default.fileExists(atPath: artifacts.folder.appendingPathComponent(ComputedResultArtifact.name + ".json").path) else {
            return nil
        }
        return page(try artifacts.read(Result.self, ComputedResultArtifact.name))
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let settings = kind.config(context.config)
        let split = try context.upstream("split").read(SplitSection.Split.self, "split")
        if let substitute = try SubstituteBackbone.resolve(kind, settings: settings, folder: context.weights) {
            return try fit(substitutePlan(substitute, settings: settings, split: split, context: context),
                           settings: settings, split: split, context: context)
        }
        return try fit(studyPlan(settings: settings, split: split, context: context), settings: settings, split: split, context: context)
    }

    /// The study's own network at the profile's settings: ImageNet weights when asked for and
    /// present, else random initialisation.
    func studyPlan(settings: NetworkConfig, split: SplitSection.Split, context: StudyContext) throws -> TrainingPlan {
        let subsets = try TrainingSubsets(kind, split: split, trainPerClass: settings.trainImagesPerClass,
                                          evalPerClass: settings.evalImagesPerClass, batchSize: settings.batchSize, context: context)
        let side = settings.imageSize
        let loadTotal = subsets.imageCount
        func images(_ items: [SplitSection.Item], offset: Int) throws -> InMemoryBatchSource {
            let tensor = try NetworkInputs.load(items: items, imageSize: side, datasetRoot: context.datasetRoot) { done, _ in
                context.progressHandler(offset + done, loadTotal)
            }
            return InMemoryBatchSource(images: tensor, labels: items.map(\.label))
        }
        let train = try images(subsets.train, offset: 0)
        let validation = try images(subsets.validation, offset: subsets.train.count)
        let test = try images(subsets.test, offset: subsets.train.count + subsets.validation.count)

        var generator = context.generator(stream: 0)
        let model = kind.build(config: settings, classes: split.classes.count, using: &generator)
        let start = try startingWeights(model, settings: settings, context: context)
        var deviations: [Deviation] = []
        if settings.pretrained && !start.pretrained {
            deviations.append(Deviation(what: "\(kind.displayName) starting weights", documented: "ImageNet weights",
                                        thisRun: "random initialisation",
                                        why: "no ImageNet checkpoint for \(kind.displayName) in the weights folder (run `bloodstudy fetch-weights`)"
                                            + (settings.substitute.map { $0.backbone == "none" ? "" : " and no imported \(SubstituteBackbone.displayName($0.backbone)) weights to run the study's recipe on (`make report` imports them)" } ?? "")))
        }
        return TrainingPlan(model: model, optimizer: try kind.makeOptimizer(for: model, config: settings),
                            optimizerDescription: kind.optimizerDescription(settings), reseeders: kind.dropouts(of: model).map { d in { d.reseed($0) } },
                            subsets: subsets, train: train, validation: validation, test: test, imageSize: side,
                            epochs: settings.epochs, saved: model, architecture: nil, start: start, deviations: deviations)
    }

    /// Trains `plan.model` (resuming from the step's last saved epoch), evaluates it on the test
    /// images and writes the step's artifacts.
    func fit(_ plan: TrainingPlan, settings: NetworkConfig, split: SplitSection.Split, context: StudyContext) throws -> Result {
        let classes = split.classes.count, batch = settings.batchSize
        let subsets = plan.subsets
        // Progress in images prepared (decoded, or run through a frozen trunk), then (a new total,
        // so the time left is measured afresh) batches trained and evaluated: an image takes a
        // fraction of a batch's time, and one rate for both would promise seconds for minutes.
        let batchesPerEpoch = (subsets.train.count + batch - 1) / batch + (subsets.validation.count + batch - 1) / batch
        let fitTotal = plan.epochs * batchesPerEpoch
        let testBatches = (subsets.test.count + batch - 1) / batch
        let total = fitTotal + testBatches
        let report = context.progressHandler
        let model = plan.model, optimizer = plan.optimizer

        let store = TrainingResumeStore(folder: context.resumeFolder)
        var state = TrainerState()
        var resumedAfter: Int?
        if let saved = store.latest() {
            try StateDict.load(saved.model, into: model)
            try optimizer.loadState(saved.optimizer)
            state = saved.state
            resumedAfter = saved.epoch
            context.warn("resumed training of \(kind.displayName) after epoch \(saved.epoch) of an interrupted run")
        }
        let trainingSeed = context.seed ^ 0x6e65_7477_6f72_6b73
        let config = TrainingConfig(epochs: plan.epochs, batchSize: batch, seed: trainingSeed,
                                    earlyStopping: settings.earlyStoppingPatience > 0
                                        ? EarlyStopping(metric: .valLoss, patience: settings.earlyStoppingPatience,
                                                        minDelta: settings.earlyStoppingMinDelta,
                                                        restoreBestWhenEpochsRunOut: settings.restoreBestAtEnd)
                                        : nil)
        let reseeders = plan.reseeders
        try Trainer.fit(model, optimizer: optimizer, train: plan.train, validation: plan.validation, config: config,
                        classes: classes, state: &state,
                        epochStarting: { epoch in
                            // Masks from (seed, epoch, layer), so a resumed epoch draws what it would have.
                            for (j, reseed) in reseeders.enumerated() {
                                var g = SeededGenerator.stream(seed: trainingSeed &+ UInt64(epoch), UInt64(j))
                                reseed(g.next())
                            }
                        },
                        epochFinished: { state in
                            try store.save(state: state, model: model, optimizer: optimizer)
                            if let stop = stopAfterEpoch, state.history.epochs == stop, !state.finished { throw Interrupted(epoch: stop) }
                        },
                        progress: { done, _ in report(done, total) })

        let evaluationStart = Date()
        var evaluated = 0
        let evaluation = Trainer.evaluate(model, on: plan.test, classes: classes, batchSize: batch) {
            evaluated += 1; report(fitTotal + evaluated, total)
        }
        let evaluationSeconds = Date().timeIntervalSince(evaluationStart)
        let history = state.history

        try context.artifacts.write(data: NetworkCheckpoint.data(of: plan.saved, kind: kind, architecture: plan.architecture),
                                    as: NetworkCheckpoint.artifactName)
        try context.artifacts.write(history, as: "history")
        let k = classes
        let probabilities = (0..<subsets.test.count).map { i in (0..<k).map { Double(evaluation.probabilities.data[i * k + $0]) } }
        let tested = NetworkEvaluation(classes: split.classes, paths: subsets.test.map(\.path), labels: evaluation.labels,
                                       predictions: evaluation.predictions, probabilities: probabilities, loss: evaluation.loss)
        try context.artifacts.write(tested, as: "evaluation")
        let parameters = plan.saved.parameters
        let info = NetworkTrainingInfo(
            key: kind.resultsKey, name: kind.displayName,
            parameters: parameters.reduce(0) { $0 + $1.value.count },
            trainableParameters: parameters.filter(\.requiresGrad).reduce(0) { $0 + $1.value.count },
            imageSize: plan.imageSize, epochsRun: history.epochs, epochsPlanned: plan.epochs, bestEpoch: history.bestEpoch,
            stoppedEarly: history.stoppedEarly, optimizer: plan.optimizerDescription,
            pretrained: plan.start.pretrained, weights: plan.start.description,
            trainSeconds: history.epochSeconds.reduce(0, +), evaluationSeconds: evaluationSeconds,
            trainImages: subsets.train.count, validationImages: subsets.validation.count, testImages: subsets.test.count,
            resumedAfterEpoch: resumedAfter, substitute: plan.substitute)
        try context.artifacts.write(info, as: "training")
        var summary = NetworkPage.modelEvaluation(kind, evaluation: tested).summary(
            parameterCount: info.parameters, trainingSeconds: info.trainSeconds, imageSize: plan.imageSize, weights: info.weights,
            note: NetworkPage.summaryNote(info: info))
        if let substitute = plan.substitute {
            summary.displayName = "\(kind.displayName) recipe on \(substitute.displayName)"
            summary.substituteBackbone = substitute.backbone
        }
        try context.artifacts.write(summary, as: "summary")
        report(total, total)
        return Result(info: info, deviations: plan.deviations)
    }

    /// Where the network's weights start: ImageNet weights when the profile asks for them and the
    /// weights folder holds them, else the random initialisation it was built with.
    struct Start { var pretrained: Bool; var description: String }

    func startingWeights(_ model: Layer, settings: NetworkConfig, context: StudyContext) throws -> Start {
        guard settings.pretrained else { return Start(pretrained: false, description: "random initialisation") }
        for candidate in kind.pretrainedCandidates {
            guard let url = PretrainedWeights.locate(in: context.weights, model: candidate) else { continue }
            let archive = try PretrainedWeights.open(url)
            switch kind {
            case .resnet18:
                try PretrainedWeights.load(archive, into: model, convention: candidate.convention, prefix: "base.",
                                           ignoring: ["fc."])
            default:
                try PretrainedWeights.load(archive, into: model, convention: candidate.convention, keeping: ["heads.head."])
            }
            let digest = SHA256.hex(try Data(contentsOf: url, options: .alwaysMapped))
            return Start(pretrained: true, description: "ImageNet weights \(url.lastPathComponent) sha256 \(digest.prefix(12))")
        }
        context.warn("\(kind.displayName): no ImageNet weights in \(context.weights.lastPathComponent)/ "
                     + "(looked for \(kind.pretrainedCandidates.map(\.fileName).joined(separator: ", "))); "
                     + "training starts from random initialisation")
        return Start(pretrained: false, description: "random initialisation (ImageNet weights absent)")
    }
}
