import Foundation
import Learn
import Report

/// The documented study's printed results of a classifier on deep features beside this run's:
/// its classification report class by class, and (logistic regression) its per-class AUCs.
extension FeatureModelPages {
    /// The study's classification report beside this run's, per class (matched by class name)
    /// and for the macro and weighted averages, with the accuracy; and, when the study stated
    /// them, its per-class AUCs beside this run's.
    static func studyComparisonCells(_ e: ModelEvaluation, keys: FeatureModelKeys, metrics: FeatureModelMetrics,
                                     study: DocumentedResults.ClassificationReportPrint,
                                     studyAUC: (values: [String: Double], source: String)? = nil,
                                     captionNote: String) -> [Cell] {
        let report = e.report
        func pair(_ documented: Double?, _ mine: Double, support: Int = 1) -> [String] {
            [documented.map { Fmt.fixed($0, 2) } ?? "—", support > 0 ? Fmt.fixed(mine, 2) : "—"]
        }
        var rows: [[String]] = []
        for (c, name) in e.classNames.enumerated() {
            let s = report.perClass[c], d = study.row(name)
            rows.append([name] + pair(d?.precision, s.precision, support: s.support) + pair(d?.recall, s.recall, support: s.support)
                        + pair(d?.f1, s.f1, support: s.support) + [d.map { Fmt.int($0.support) } ?? "—", Fmt.int(s.support)])
        }
        let n = e.labels.count
        rows.append(["macro avg"] + pair(study.macro.precision, report.macroAverage.precision) + pair(study.macro.recall, report.macroAverage.recall)
                    + pair(study.macro.f1, report.macroAverage.f1) + [Fmt.int(study.support), Fmt.int(n)])
        rows.append(["weighted avg"] + pair(study.weighted.precision, report.weightedAverage.precision)
                    + pair(study.weighted.recall, report.weightedAverage.recall) + pair(study.weighted.f1, report.weightedAverage.f1)
                    + [Fmt.int(study.support), Fmt.int(n)])
        rows.append(["accuracy", "", "", "", "", Fmt.fixed(study.accuracy, 2), Fmt.fixed(report.accuracy, 2), Fmt.int(study.support), Fmt.int(n)])
        let missing = study.rows.map(\.className).filter { !e.classNames.contains($0) }
        let table = Table(
            caption: "\(e.displayName): the study's classification report beside this run's, test set",
            columns: ["Class", "Precision (study)", "Precision (this run)", "Recall (study)", "Recall (this run)",
                      "F1 (study)", "F1 (this run)", "Support (study)", "Support (this run)"],
            rows: rows,
            note: "Study: \(study.source), two decimals as printed (ViT-B/16 features). This run: the same `classification_report` definitions on this run's test part; "
                + "macro avg is the unweighted mean over the classes, weighted avg the mean weighted by support."
                + (missing.isEmpty ? "" : " Classes of the study absent from this run: \(missing.joined(separator: ", ")).")
                + (captionNote.isEmpty ? "" : " " + captionNote))
        let macro = """
            Averaged over the classes without weights, this run's precision is \(Fmt.fixed(metrics.macroPrecision, 4)) and recall \
            \(Fmt.fixed(metrics.macroRecall, 4)) (the study: \(Fmt.fixed(study.macro.precision, 2)) and \(Fmt.fixed(study.macro.recall, 2))).
            """
        var outputs: [CellOutput] = [.table(table)]
        if let studyAUC {
            var aucRows = e.classNames.enumerated().map { c, name in
                [name, studyAUC.values[name].map { Fmt.fixed($0, 3) } ?? "—", metrics.classAUC[c].map { Fmt.fixed($0, 3) } ?? "undefined"]
            }
            aucRows.append(["Micro-average", DocumentedResults.entry(keys.microAUC)?.value.description ?? "—",
                            metrics.microAUC.map { Fmt.fixed($0, 3) } ?? "undefined"])
            let lowest = studyAUC.values.sorted { $0.value < $1.value || ($0.value == $1.value && $0.key < $1.key) }.prefix(2).map(\.key)
            let mine = e.classNames.indices.filter { metrics.classAUC[$0] != nil }
                .sorted { metrics.classAUC[$0]! < metrics.classAUC[$1]! || (metrics.classAUC[$0]! == metrics.classAUC[$1]! && $0 < $1) }
                .prefix(2).map { e.classNames[$0] }
            outputs.append(.table(Table(
                caption: "\(e.displayName): one-vs-rest ROC AUC per class, the study beside this run (test set)",
                columns: ["Class", "AUC (study)", "AUC (this run)"], rows: aucRows,
                note: "Study: \(studyAUC.source), three decimals. Its two lowest, \(lowest.joined(separator: " and ")), are the classes its "
                    + "discussion of monocyte / immature granulocyte similarity rests on; this run's two lowest: \(mine.isEmpty ? "none defined" : mine.joined(separator: " and ")).")))
        }
        return [
            .markdown("## The study's report beside this run's\n\n" + macro),
            .code(source: "print(classification_report(y_test_true, y_test_pred, target_names=target_names))  # the study's printed report beside this run's",
                  outputs: outputs),
        ]
    }
}
