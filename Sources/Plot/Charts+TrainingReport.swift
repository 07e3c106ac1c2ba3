/// Per-epoch training history of a model.
public struct TrainingHistory: Sendable {
    public var trainLoss: [Double]
    public var validationLoss: [Double]
    public var trainAccuracy: [Double]
    public var validationAccuracy: [Double]
    public var validationPrecision: [Double]
    public var validationRecall: [Double]
    public var validationF1: [Double]
    public init(trainLoss: [Double], validationLoss: [Double], trainAccuracy: [Double], validationAccuracy: [Double],
                validationPrecision: [Double] = [], validationRecall: [Double] = [], validationF1: [Double] = []) {
        self.trainLoss = trainLoss; self.validationLoss = validationLoss
        self.trainAccuracy = trainAccuracy; self.validationAccuracy = validationAccuracy
        self.validationPrecision = validationPrecision; self.validationRecall = validationRecall
        self.validationF1 = validationF1
    }
}

extension Charts {
    /// "Model Performance Metrics" (the study's `plot_model_performance`): 2×2 of loss, accuracy,
    /// validation precision/recall/F1 and the confusion matrix (RdPu, counts in cells), with the
    /// model-details box at the top left.
    ///
    /// - Parameters:
    ///   - confusion: `confusion[true][predicted]` counts of the last epoch.
    ///   - details: lines of the details box, e.g. [("Model Name:", "SimpleNN"), …].
    public static func trainingReport(_ history: TrainingHistory, confusion: [[Double]], classNames: [String],
                                      details: [(bold: String, text: String)] = [],
                                      width: Double = 1000, height: Double = 780) -> Figure {
        let palette = (train: Color(hex: "#4B0082")!, val: Color(hex: "#FF6347")!, precision: Color(hex: "#F72585")!,
                       recall: Color(hex: "#4361EE")!, f1: Color(hex: "#3A0CA3")!)
        let figure = Figure(width: width, height: height, title: "Model Performance Metrics")
        if !details.isEmpty { figure.textBox = TextBox(lines: details) }
        figure.verticalSpacing = 24
        let axes = figure.subplots(rows: 2, columns: 2)
        let (loss, accuracy, metrics, matrix) = (axes[0], axes[1], axes[2], axes[3])
        loss.line(history.trainLoss, color: palette.train, width: 2, marker: .circle, markerSize: 4, label: "Train Loss")
        loss.line(history.validationLoss, color: palette.val, width: 2, marker: .circle, markerSize: 4, label: "Validation Loss")
        loss.title = "Loss"; loss.xLabel = "Epochs"; loss.yLabel = "Loss"
        accuracy.line(history.trainAccuracy, color: palette.train, width: 2, marker: .circle, markerSize: 4, label: "Train Accuracy")
        accuracy.line(history.validationAccuracy, color: palette.val, width: 2, marker: .circle, markerSize: 4, label: "Validation Accuracy")
        accuracy.title = "Accuracy"; accuracy.xLabel = "Epochs"; accuracy.yLabel = "Accuracy"
        metrics.line(history.validationPrecision, color: palette.precision, width: 2, marker: .circle, markerSize: 4, label: "Validation Precision")
        metrics.line(history.validationRecall, color: palette.recall, width: 2, marker: .circle, markerSize: 4, label: "Validation Recall")
        metrics.line(history.validationF1, color: palette.f1, width: 2, marker: .circle, markerSize: 4, label: "Validation F1 Score")
        metrics.title = "Validation Metrics"; metrics.xLabel = "Epochs"; metrics.yLabel = "Score"
        for a in [loss, accuracy, metrics] { a.legend = .best; a.gridDash = .dashed; a.xTickFormat = .automatic }
        matrix.heatmap(confusion, rowLabels: classNames, columnLabels: classNames, colormap: .rdPu)
        matrix.title = "Confusion Matrix"; matrix.xLabel = "Predicted Labels"; matrix.yLabel = "True Labels"
        return figure
    }
}
