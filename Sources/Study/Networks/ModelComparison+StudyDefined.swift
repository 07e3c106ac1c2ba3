import Report

extension ModelComparison {
    var studyDefinedIntroduction: String {
        """
        ## Each documented number beside this run's of the same definition

        The study did not compute its networks' printed numbers as this report computes its own: `test_model` adds each \
        metric's value on one test batch of \(DocumentedResults.networkBatchSize) images and divides by the number of batches, \
        with torchmetrics' macro (class-balanced) accuracy for SimpleNN and ViT-B/16 and its micro accuracy for LightCNN and \
        CNNModel, and weighted precision, recall and F1; `ResNetTrainer.test` computes torchmetrics' micro accuracy, precision, \
        recall and F1 over the whole test set (all four equal the share right). Here each documented number stands beside \
        this run's test predictions scored with that same definition; the feature models' documented numbers are \
        scikit-learn's, the same definition as this run's standard metrics.
        """
    }

    /// One row per model with documented numbers: the documented value and this run's of the same definition.
    var studyDefinedTable: Table? {
        func fmt(_ v: Double?) -> String { v.map { $0.isFinite ? Fmt.fixed($0, 4) : "—" } ?? "—" }
        var rows: [[String]] = []
        for s in summaries {
            if let study = studyMetrics[s.key], let line = DocumentedResults.networkTestLines[s.key] {
                rows.append([s.displayName, study.definition.description,
                             fmt(line.accuracy), fmt(study.accuracy), fmt(s.testAccuracy),
                             fmt(line.precision), fmt(study.precision),
                             fmt(line.recall), fmt(study.recall),
                             fmt(line.f1), fmt(study.f1)])
            } else if let accuracy = documented(s.key, "test_accuracy") {
                rows.append([s.displayName, "scikit-learn's accuracy and weighted F1 over the whole test set (as this run's standard metrics)",
                             fmt(accuracy), fmt(s.testAccuracy), fmt(s.testAccuracy),
                             "—", "—", "—", "—",
                             fmt(documented(s.key, "weighted_f1")), fmt(s.weightedF1)])
            }
        }
        guard !rows.isEmpty else { return nil }
        return Table(caption: "The documented test numbers beside this run's, each scored with the documented number's own definition",
                     columns: ["Model", "The study's definition", "Accuracy: documented", "This run (same definition)", "This run (standard: share right)",
                               "Precision: documented", "This run (same definition)", "Recall: documented", "This run (same definition)",
                               "F1: documented", "This run (same definition)"],
                     rows: rows,
                     note: "The networks' same-definition values are `models.<network>.study_accuracy`, `study_precision`, `study_recall` and `study_f1` in results.json; "
                        + "the standard ones `models.<network>.test_accuracy` and `weighted_f1`. Batch means are over this run's test order and batch size.")
    }
}
