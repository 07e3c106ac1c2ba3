import Foundation
import Learn
import Neural
import Plot
import Report
import Tensor

/// Logistic regression on the deep features, as the study ran it (In [204]–[213]): standardised
/// features, one linear layer, cross-entropy, Adam, seeded mini-batches, the profile's epochs; then
/// the test evaluation every model page shares and the study's t-SNE of the test features.
public struct LogisticRegressionSection: StudySection {
    public let id = "logistic-regression"
    public let title = "Logistic regression on deep features"
    public let dependencies = ["split", "deep-features"]
    public let usesDataset = false
    public let version = 2
    public let configKeys = ["logistic_regression"]
    static let key = "logistic_regression"
    static let displayName = "Logistic regression"

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("logistic_regression", config.logisticRegression)
    }

    static let reference = Cell.reference(
        text: """
            Final Accuracy (LR):
              Train: 0.9972
              Validation: 0.9641
              Test: 0.9665
            … The model achieves a test accuracy above 95% across all samples, indicating strong generalization to unseen data. Both macro and weighted averages for precision, recall, and F1-score are above 0.96 … The Micro-Average AUC of 0.999.
            """,
        source: "documented study, In [211] and the ROC analysis after In [213] (ViT-B/16 features)")

    public func run(_ context: StudyContext) throws -> SectionResult {
        let (index, loaded) = try DeepFeatureParts.load(context)
        guard let parts = loaded else {
            return FeatureModelPages.skipped(key: Self.key, title: title, index: index, reference: Self.reference)
        }
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
        let featureName = "\(index.backboneName) Features"
        let tsne = FeatureModelPages.testTSNE(parts, featureName: featureName, using: &generator) { done, _ in
            context.progress(trainingUnits + done, total)
        }
        let summary = evaluation.summary(parameterCount: outcome.parameterCount, trainingSeconds: outcome.seconds, imageSize: nil,
                                         weights: parts.weightsText,
                                         note: "\(config.epochs) epochs on \(parts.featureWidth) features per image")
        try context.artifacts.write(summary, as: "summary")

        let substitute = parts.substituteNote.map { " " + $0 } ?? ""
        var cells: [Cell] = [
            .markdown(narrative(parts, outcome: outcome, config: config, substitute: substitute)),
            .code(source: """
                    X_train_scaled, X_val_scaled, X_test_scaled = scale_features(X_train, X_val, X_test)  # training mean, torch.std (unbiased)
                    lr_model = nn.Linear(\(parts.featureWidth), \(classes))  # CrossEntropyLoss, Adam(lr=\(config.learningRate))
                    train_lr_model(lr_model, criterion, optimizer, train_loader_lr, val_loader_lr, device, num_epochs=\(config.epochs))  # batch_size=\(config.batchSize), shuffle=True (seeded)
                    """,
                  outputs: [.text(printed(outcome)), .figure(curves(outcome.history, substitute: substitute))]),
        ]
        if let note = parts.substituteNote { cells.append(.code(source: "// deep-features backbone", outputs: [.warning(note)])) }
        cells += evaluation.cells(captionNote: parts.substituteNote ?? "")
        let quality = evaluation.qualityCells(seed: context.seed, datasetRoot: context.datasetRoot, captionNote: parts.substituteNote ?? "")
        cells += quality.cells
        cells.append(.markdown(StudyPlotTSNE.narrative(images: parts.test.rows, seconds: tsne.seconds)))
        cells.append(.code(source: StudyPlotTSNE.source, outputs: [tsne.output]))
        cells.append(Self.reference)
        context.progress(total, total)
        var headlines = evaluation.headlines(trainingSeconds: outcome.seconds, pretrained: true)
        headlines += quality.headlines
        headlines += [Headline("models.logistic_regression.train_accuracy", .double(outcome.trainAccuracy), label: "Logistic regression: train accuracy"),
                      Headline("models.logistic_regression.val_accuracy", .double(outcome.validationAccuracy), label: "Logistic regression: validation accuracy")]
        return SectionResult(cells: cells, headlines: headlines,
                             deviations: [parts.substituteDeviation(model: Self.displayName)].compactMap { $0 })
    }

    private func narrative(_ parts: DeepFeatureParts, outcome: LogisticRegressionTraining.Outcome,
                           config: LogisticRegressionConfig, substitute: String) -> String {
        """
        ## A linear model on deep features

        The study's benchmark classifier: each image's \(parts.featureWidth) deep features (from \
        \(parts.index.backboneName)), standardised with the training part's mean and standard deviation, go through \
        one linear layer to \(parts.index.classes.count) class scores, trained with cross-entropy and Adam \
        (learning rate \(config.learningRate), batch \(config.batchSize), \(config.epochs) epochs, seeded shuffling) \
        on the \(Fmt.int(parts.train.rows)) training images.\(substitute) Training took \(Fmt.seconds(outcome.seconds)); \
        accuracy **\(Fmt.fixed(outcome.trainAccuracy, 4))** on the training part, **\(Fmt.fixed(outcome.validationAccuracy, 4))** \
        on validation and **\(Fmt.fixed(outcome.test.accuracy, 4))** on the \(Fmt.int(parts.test.rows)) test images \
        (the study: 0.9972, 0.9641 and 0.9665 with ViT-B/16 features).\(constantNote(outcome))
        """
    }

    /// The study's scaling divides a feature that is constant on the training part by 1e-6, so a
    /// validation or test image where it is not constant gets a very large value; say so when it happens.
    private func constantNote(_ outcome: LogisticRegressionTraining.Outcome) -> String {
        guard outcome.constantFeatures > 0 else { return "" }
        return " \(outcome.constantFeatures) feature\(outcome.constantFeatures == 1 ? " is" : "s are") constant on the training part; "
            + "as in the study (`std[std == 0] = 1e-6`) \(outcome.constantFeatures == 1 ? "its" : "their") deviation is set to 1e-6, so an image "
            + "outside the training part where \(outcome.constantFeatures == 1 ? "it differs" : "they differ") gets very large scaled values, "
            + "which can lift the validation loss far above the training loss."
    }

    private func printed(_ outcome: LogisticRegressionTraining.Outcome) -> String {
        """
        Training PyTorch Logistic Regression model...
        Logistic Regression training finished. Total time: \(String(format: "%.2f", outcome.seconds))s

        Final Accuracy (LR):
          Train: \(String(format: "%.4f", outcome.trainAccuracy))
          Validation: \(String(format: "%.4f", outcome.validationAccuracy))
          Test: \(String(format: "%.4f", outcome.test.accuracy))
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
