import Foundation
import Learn
import Neural
import Plot
import Report
import Tensor

/// Logistic regression on the deep features, as the study ran it (In [204]–[213]): standardised
/// features, one linear layer, cross-entropy, Adam, seeded mini-batches, the profile's epochs; then
/// the test evaluation every model page shares and the study's t-SNE of the test features.
public struct LogisticRegressionSection: ComputedSection {
    public let id = "logistic-regression"
    public let title = "Logistic regression on deep features"
    public let dependencies = ["split", "deep-features"]
    public let usesDataset = false
    public let version = 3
    public let configKeys = ["logistic_regression"]
    static let key = "logistic_regression"
    static let keys = FeatureModelKeys.logisticRegression
    static let displayName = "Logistic regression"

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("logistic_regression", config.logisticRegression)
    }

    static var reference: Cell {
        let printed = DocumentedResults.logisticRegressionAccuracies
        return Cell.reference(
            text: """
                Final Accuracy (LR):
                  Train: \(Fmt.fixed(printed.train, 4))
                  Validation: \(Fmt.fixed(printed.validation, 4))
                  Test: \(Fmt.fixed(printed.test, 4))
                … The model achieves a test accuracy above 95% across all samples, indicating strong generalization to unseen data. Both macro and weighted averages for precision, recall, and F1-score are above 0.96 … The Micro-Average AUC of \(DocumentedResults.entry("models.logistic_regression.micro_auc")?.value.number.map { String($0) } ?? "—").
                """,
            source: "documented study, In [211] and the ROC analysis after In [213] (ViT-B/16 features)")
    }

    /// What the training and evaluation found: everything the page shows.
    public struct Result: Codable, Sendable {
        /// Nil when the deep-features step extracted no features (the page says why).
        var trained: Trained?

        struct Trained: Codable, Sendable {
            var features: FeatureSource
            var epochs: Int, batchSize: Int, learningRate: Double
            var metrics: FeatureModelMetrics
            var history: Neural.TrainingHistory
            var constantFeatures: Int
            var evaluation: StoredEvaluation
            /// The run's seed, which draws the page's bootstrap resamples.
            var seed: UInt64
            var tsne: TestEmbedding
        }
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let (index, loaded) = try DeepFeatureParts.load(context)
        guard let parts = loaded else { return Result(trained: nil) }
        let config = context.config.logisticRegression
        guard config.optimizer.lowercased() == "adam" else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)",
                                       detail: "logistic_regression.optimizer is '\(config.optimizer)'; the study (and this program) use 'adam'")
        }
        let classes = index.classes.count
        var generator = context.generator(stream: 1)
        // Progress: the training batches and validation passes, then t-SNE iterations.
        let tsneIterations = 1000
        let trainBatches = (parts.train.rows + config.batchSize - 1) / config.batchSize
        let valBatches = (parts.validation.rows + config.batchSize - 1) / config.batchSize
        let trainingUnits = config.epochs * (trainBatches + valBatches)
        let total = trainingUnits + tsneIterations
        let training = LogisticRegressionTraining(epochs: config.epochs, batchSize: config.batchSize, learningRate: config.learningRate)
        let outcome = training.run(parts, classes: classes, seed: context.seed ^ 0x4C52, using: &generator) { done, _ in
            context.progress(done, total)
        }
        let evaluation = ModelEvaluation(key: Self.key, displayName: Self.displayName, classNames: index.classes,
                                         paths: parts.testPaths, labels: outcome.test.labels, predictions: outcome.test.predictions,
                                         probabilities: outcome.test.probabilities.data)
        let tsne = FeatureModelPages.testTSNE(parts, using: &generator) { done, _ in
            context.progress(trainingUnits + done, total)
        }
        let summary = evaluation.summary(parameterCount: outcome.parameterCount, trainingSeconds: outcome.seconds, imageSize: nil,
                                         weights: parts.weightsText,
                                         note: "\(config.epochs) epochs on \(parts.featureWidth) features per image")
        try context.artifacts.write(summary, as: "summary")
        context.progress(total, total)
        return Result(trained: .init(
            features: parts.source, epochs: config.epochs, batchSize: config.batchSize, learningRate: config.learningRate,
            metrics: FeatureModelMetrics(evaluation, trainAccuracy: outcome.trainAccuracy, validationAccuracy: outcome.validationAccuracy,
                                         trainSeconds: outcome.seconds),
            history: outcome.history, constantFeatures: outcome.constantFeatures,
            evaluation: StoredEvaluation(evaluation, datasetRoot: context.datasetRoot), seed: context.seed, tsne: tsne))
    }

    public func page(_ result: Result) -> SectionResult {
        guard let run = result.trained else {
            return FeatureModelPages.skipped(keys: Self.keys, title: title, reason: DeepFeaturesIndex.missingFeaturesReason,
                                             reference: Self.reference)
        }
        let parts = run.features, metrics = run.metrics
        let evaluation = run.evaluation.evaluation
        let substitute = parts.substituteNote.map { " " + $0 } ?? ""
        var cells: [Cell] = [
            .markdown(narrative(run, substitute: substitute)),
            .code(source: """
                    X_train_scaled, X_val_scaled, X_test_scaled = scale_features(X_train, X_val, X_test)  # training mean, torch.std (unbiased)
                    lr_model = nn.Linear(\(parts.featureWidth), \(evaluation.classNames.count))  # CrossEntropyLoss, Adam(lr=\(run.learningRate))
                    train_lr_model(lr_model, criterion, optimizer, train_loader_lr, val_loader_lr, device, num_epochs=\(run.epochs))  # batch_size=\(run.batchSize), shuffle=True (seeded)
                    """,
                  outputs: [.text(printed(metrics)), .figure(curves(run.history, substitute: substitute)), .table(accuracyTable(metrics))]),
        ]
        if let note = parts.substituteNote { cells.append(.code(source: "// deep-features backbone", outputs: [.warning(note)])) }
        cells += evaluation.cells(captionNote: parts.substituteNote ?? "")
        cells += FeatureModelPages.studyComparisonCells(evaluation, keys: Self.keys, metrics: metrics, study: DocumentedResults.logisticRegressionReport,
                                                        studyAUC: DocumentedResults.logisticRegressionClassAUC,
                                                        captionNote: parts.substituteNote ?? "")
        let quality = evaluation.qualityCells(seed: run.seed, thumbnails: run.evaluation.thumbnails, keys: Self.keys.uncertainty, captionNote: parts.substituteNote ?? "")
        cells += quality.cells
        cells.append(.markdown(StudyPlotTSNE.narrative(images: parts.testImages, seconds: run.tsne.seconds)))
        cells.append(.code(source: StudyPlotTSNE.source,
                           outputs: [FeatureModelPages.testTSNEOutput(run.tsne, classes: evaluation.classNames,
                                                                      featureName: "\(parts.backboneName) Features",
                                                                      featureWidth: parts.featureWidth, substituteNote: parts.substituteNote)]))
        cells.append(Self.reference)
        let headlines = metrics.headlines(Self.keys, displayName: Self.displayName)
        return SectionResult(cells: cells, headlines: headlines.prefix(6) + quality.headlines + headlines.dropFirst(6),
                             deviations: [parts.substituteDeviation(model: Self.displayName)].compactMap { $0 })
    }

    /// Train, validation and test accuracy beside the study's printed ones.
    private func accuracyTable(_ metrics: FeatureModelMetrics) -> Table {
        let printed = DocumentedResults.logisticRegressionAccuracies
        return Table(caption: "Logistic regression: accuracy per part of the split, documented study and this run",
                     columns: ["Part", "Documented", "This run"],
                     rows: [["Train", Fmt.fixed(printed.train, 4), Fmt.fixed(metrics.trainAccuracy, 4)],
                            ["Validation", Fmt.fixed(printed.validation, 4), Fmt.fixed(metrics.validationAccuracy, 4)],
                            ["Test", Fmt.fixed(printed.test, 4), Fmt.fixed(metrics.testAccuracy, 4)]],
                     note: "Accuracy: the share of the part's images classified right. Documented values: \(printed.source) (ViT-B/16 features).")
    }

    private func narrative(_ run: Result.Trained, substitute: String) -> String {
        let parts = run.features, m = run.metrics, printed = DocumentedResults.logisticRegressionAccuracies
        return """
        ## A linear model on deep features

        The study's benchmark classifier: each image's \(parts.featureWidth) deep features (from \
        \(parts.backboneName)), standardised with the training part's mean and standard deviation, go through \
        one linear layer to \(run.evaluation.classNames.count) class scores, trained with cross-entropy and Adam \
        (learning rate \(run.learningRate), batch \(run.batchSize), \(run.epochs) epochs, seeded shuffling) \
        on the \(Fmt.int(parts.trainImages)) training images.\(substitute) Training took \(Fmt.seconds(m.trainSeconds)); \
        accuracy **\(Fmt.fixed(m.trainAccuracy, 4))** on the training part, **\(Fmt.fixed(m.validationAccuracy, 4))** \
        on validation and **\(Fmt.fixed(m.testAccuracy, 4))** on the \(Fmt.int(parts.testImages)) test images \
        (the study: \(Fmt.fixed(printed.train, 4)), \(Fmt.fixed(printed.validation, 4)) and \(Fmt.fixed(printed.test, 4)) with ViT-B/16 features).\(constantNote(run.constantFeatures))
        """
    }

    /// The study's scaling divides a feature that is constant on the training part by 1e-6, so a
    /// validation or test image where it is not constant gets a very large value; say so when it happens.
    private func constantNote(_ constantFeatures: Int) -> String {
        guard constantFeatures > 0 else { return "" }
        return " \(constantFeatures) feature\(constantFeatures == 1 ? " is" : "s are") constant on the training part; "
            + "as in the study (`std[std == 0] = 1e-6`) \(constantFeatures == 1 ? "its" : "their") deviation is set to 1e-6, so an image "
            + "outside the training part where \(constantFeatures == 1 ? "it differs" : "they differ") gets very large scaled values, "
            + "which can lift the validation loss far above the training loss."
    }

    private func printed(_ m: FeatureModelMetrics) -> String {
        """
        Training PyTorch Logistic Regression model...
        Logistic Regression training finished. Total time: \(String(format: "%.2f", m.trainSeconds))s

        Final Accuracy (LR):
          Train: \(String(format: "%.4f", m.trainAccuracy))
          Validation: \(String(format: "%.4f", m.validationAccuracy))
          Test: \(String(format: "%.4f", m.testAccuracy))
        """
    }

    /// Loss and accuracy per epoch, training and validation, side by side.
    private func curves(_ history: Neural.TrainingHistory, substitute: String) -> FigureOutput {
        let figure = Figure(width: 1000, height: 420, title: "Logistic regression: loss and accuracy per epoch")
        let (loss, accuracy) = figure.subplots(rows: 1, columns: 2).pair
        let epochs = (1...max(1, history.epochs)).map(Double.init)
        let train = Color(hex: "#4B0082")!, val = Color(hex: "#FF6347")!
        loss.line(Array(epochs.prefix(history.trainLoss.count)), history.trainLoss, color: train, width: 2, label: "Train Loss")
        loss.line(Array(epochs.prefix(history.valLoss.count)), history.valLoss, color: val, width: 2, label: "Validation Loss")
        loss.title = "Loss"; loss.xLabel = "Epoch"; loss.yLabel = "Cross-entropy"
        accuracy.line(Array(epochs.prefix(history.trainAccuracy.count)), history.trainAccuracy, color: train, width: 2, label: "Train Accuracy")
        accuracy.line(Array(epochs.prefix(history.valAccuracy.count)), history.valAccuracy, color: val, width: 2, label: "Validation Accuracy")
        accuracy.title = "Accuracy"; accuracy.xLabel = "Epoch"; accuracy.yLabel = "Accuracy"
        for a in [loss, accuracy] { a.legend = .best; a.gridDash = .dashed }
        let last = history.epochs
        let caption = last == 0 ? "No epoch ran." :
            "Training loss and accuracy are running means over each epoch's mini-batches (model in training mode); validation after each epoch. "
            + "After \(last) epochs: training loss \(Fmt.fixed(history.trainLoss[last - 1], 4)), validation loss \(Fmt.fixed(history.valLoss[last - 1], 4)), "
            + "validation accuracy \(Fmt.fixed(history.valAccuracy[last - 1], 4)).\(substitute)"
        return FigureOutput(rendered: figure.render(), caption: caption,
                            alt: "Two line charts over epochs: training and validation loss, and training and validation accuracy.")
    }
}
