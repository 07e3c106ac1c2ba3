import Foundation
import Learn
import Plot
import Report

extension ModelEvaluation {
    /// The evaluation cells every model page shows, in this order: the test metrics beside the
    /// documented ones, the classification report (scikit-learn's text), the confusion matrix, the
    /// ROC figure (per class with AUC, micro-average, and TPR/FPR against the threshold) with the
    /// AUC table, and the link to the predictions file.
    ///
    /// - Parameter captionNote: appended to every figure caption (for example which backbone or
    ///   weights the model used), so that a figure seen alone still says so.
    public func cells(captionNote: String = "") -> [Cell] {
        let note = captionNote.isEmpty ? "" : " " + captionNote
        return [
            .markdown(narrative),
            .code(source: "print(classification_report(y_test_true, y_test_pred, target_names=target_names, zero_division=0))",
                  outputs: [.text(report.text(targetNames: classNames)), .table(documentedTable)]),
            .code(source: "confusion_matrix(y_test_true, y_test_pred)",
                  outputs: [.figure(confusionFigure(note: note))]),
            .code(source: "plot_roc_and_threshold_curves(y_test_true, y_test_probs, num_classes, target_names)",
                  outputs: rocOutputs(note: note)),
            .code(source: "predictions.to_csv(\"\(predictionsPath)\")", outputs: [.file(predictionsFile)]),
        ]
    }

    private var narrative: String {
        let missing = roc.perClass.enumerated().filter { $0.element == nil }.map { classNames[$0.offset] }
        var text = """
            ## Test set

            On the \(Fmt.int(labels.count)) test images the \(displayName) is right for \
            **\(Fmt.fixed(100 * testAccuracy, 2))%** of them; macro F1 \(Fmt.fixed(macroF1)), weighted F1 \
            \(Fmt.fixed(weightedF1)), micro-average ROC AUC \(auc(microAUC)) and macro-average AUC \(auc(roc.macroAUC)).
            """
        if let worst = report.perClass.indices.min(by: { report.perClass[$0].f1 < report.perClass[$1].f1 }) {
            text += " The hardest class for it is **\(classNames[worst])** (F1 \(Fmt.fixed(report.perClass[worst].f1)))."
        }
        if !missing.isEmpty {
            text += " No test image is of class \(missing.joined(separator: ", ")), so its ROC curve is not drawn and the macro-average AUC is undefined."
        }
        return text
    }

    private func auc(_ value: Double) -> String { value.isFinite ? Fmt.fixed(value, 4) : "undefined" }

    /// This run's test metrics beside the documented study's (DocumentedResults).
    public var documentedTable: Table {
        func documented(_ metric: String) -> String {
            DocumentedResults.entry("models.\(key).\(metric)")?.value.description ?? "—"
        }
        let source = DocumentedResults.entry("models.\(key).test_accuracy")?.source ?? "not stated"
        return Table(caption: "\(displayName): test metrics, documented study and this run",
                     columns: ["Metric", "Documented", "This run"],
                     rows: [["Test accuracy", documented("test_accuracy"), Fmt.fixed(testAccuracy, 4)],
                            ["Macro F1", documented("macro_f1"), Fmt.fixed(macroF1, 4)],
                            ["Weighted F1", documented("weighted_f1"), Fmt.fixed(weightedF1, 4)],
                            ["Micro-average AUC", documented("micro_auc"), auc(microAUC)]],
                     note: "Documented values: \(source).")
    }

    private func confusionFigure(note: String) -> FigureOutput {
        let k = classNames.count
        let figure = Figure(width: 200 + 62.0 * Double(k), height: 150 + 50.0 * Double(k))
        let axes = figure.addAxes()
        axes.heatmap(report.confusion.map { $0.map(Double.init) }, rowLabels: classNames, columnLabels: classNames, colormap: .rdPu)
        axes.title = "Confusion Matrix (\(displayName), test set)"
        axes.xLabel = "Predicted Labels"; axes.yLabel = "True Labels"
        // The largest off-diagonal cell, the confusion the page's reader looks for first.
        var worst = (t: 0, p: 0, n: 0)
        for t in 0..<k { for p in 0..<k where t != p && report.confusion[t][p] > worst.n { worst = (t, p, report.confusion[t][p]) } }
        let confusionText = worst.n > 0
            ? " The most frequent confusion: \(Fmt.int(worst.n)) \(classNames[worst.t]) images predicted as \(classNames[worst.p])."
            : " No test image is misclassified."
        return FigureOutput(rendered: figure.render(),
                            caption: "Test images of each true class (rows) by predicted class (columns) in this run.\(confusionText)\(note)",
                            alt: "Heat map of \(k) by \(k) counts: true class by predicted class for the \(displayName) on the test set.")
    }

    private func rocOutputs(note: String) -> [CellOutput] {
        let curves = classNames.indices.map { c -> ROCCurve in
            guard let curve = roc.perClass[c] else {
                return ROCCurve(name: classNames[c], fpr: [], tpr: [], thresholds: [], auc: .nan)
            }
            return ROCCurve(name: classNames[c], fpr: curve.fpr, tpr: curve.tpr, thresholds: curve.plottedThresholds, auc: roc.classAUC[c])
        }
        let micro = ROCCurve(name: "Micro-Average", fpr: roc.micro.fpr, tpr: roc.micro.tpr,
                             thresholds: roc.micro.plottedThresholds, auc: roc.microAUC)
        let figure = Charts.roc(curves, micro: roc.microAUC.isFinite ? micro : nil,
                                title: "Model Performance Analysis: \(displayName)")
        let best = classNames.indices.filter { roc.classAUC[$0].isFinite }.max { roc.classAUC[$0] < roc.classAUC[$1] }
        let worst = classNames.indices.filter { roc.classAUC[$0].isFinite }.min { roc.classAUC[$0] < roc.classAUC[$1] }
        var caption = "One-vs-rest ROC curves of the test set in this run (left; micro-average AUC \(auc(roc.microAUC)))"
        if let best, let worst {
            caption += ", from \(classNames[worst]) (AUC \(auc(roc.classAUC[worst]))) to \(classNames[best]) (AUC \(auc(roc.classAUC[best])))"
        }
        caption += "; right: each class's true (solid) and false (dashed) positive rate at every decision threshold.\(note)"
        var rows = classNames.indices.map { c in [classNames[c], auc(roc.classAUC[c]), "\(report.perClass[c].support)"] }
        rows.append(["Micro-average", auc(roc.microAUC), "\(labels.count * classNames.count) pairs"])
        rows.append(["Macro-average (roc_auc_score, ovr)", auc(roc.macroAUC), "\(labels.count)"])
        let table = Table(caption: "\(displayName): ROC AUC per class (one-vs-rest) and averaged, test set",
                          columns: ["Class", "AUC", "Positives"], rows: rows,
                          note: "Macro-average: the mean of the per-class AUCs, undefined when a class has no test image.")
        return [.figure(FigureOutput(rendered: figure.render(), caption: caption,
                                     alt: "Two panels: ROC curves per class with the diagonal and the micro-average, and true and false positive rates against the decision threshold.")),
                .table(table)]
    }
}
