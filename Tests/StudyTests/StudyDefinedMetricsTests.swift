import Study
import Testing

/// torchmetrics' reductions (1.x) and the study's batch means, against values worked out by hand.
@Suite("The study's definitions of its printed network metrics")
struct StudyDefinedMetricsTests {
    // Three classes, four images: class 0 all right (3), one class-1 image predicted as 2.
    // tp = [3, 0, 0], fp = [0, 0, 1], fn = [0, 1, 0]; class 3 (when there are 4) occurs nowhere.
    let labels = [0, 0, 0, 1]
    let predictions = [0, 0, 0, 2]

    @Test("micro pools the counts; macro averages over the classes that occur in labels or predictions")
    func accuracyAverages() {
        #expect(TorchMetrics.accuracy(labels: labels, predictions: predictions, classes: 3, average: .micro) == 0.75)
        // Recall per class: 1, 0, and 0 for class 2 (predicted, never true: 0/0 → 0, but it counts).
        #expect(abs(TorchMetrics.accuracy(labels: labels, predictions: predictions, classes: 3, average: .macro) - 1.0 / 3) < 1e-15)
        // A class absent from both labels and predictions is left out of the macro mean.
        #expect(abs(TorchMetrics.accuracy(labels: labels, predictions: predictions, classes: 4, average: .macro) - 1.0 / 3) < 1e-15)
    }

    @Test("weighted precision, recall and F1 weigh each class by its support; zero division gives 0")
    func weightedScores() {
        // Precision 1, 0 (0/0), 0 (0/1) with supports 3, 1, 0: (3·1 + 1·0 + 0·0) / 4.
        #expect(TorchMetrics.precision(labels: labels, predictions: predictions, classes: 3, average: .weighted) == 0.75)
        #expect(TorchMetrics.recall(labels: labels, predictions: predictions, classes: 3, average: .weighted) == 0.75)
        // F1 per class 2·3 / 6 = 1, 0 / 1 = 0, 0 / 1 = 0.
        #expect(TorchMetrics.f1(labels: labels, predictions: predictions, classes: 3, average: .weighted) == 0.75)
        #expect(abs(TorchMetrics.f1(labels: labels, predictions: predictions, classes: 3, average: .macro) - 1.0 / 3) < 1e-15)
        // Micro precision and F1 of top-1 predictions are the share right.
        #expect(TorchMetrics.precision(labels: labels, predictions: predictions, classes: 3, average: .micro) == 0.75)
        #expect(TorchMetrics.f1(labels: labels, predictions: predictions, classes: 3, average: .micro) == 0.75)
    }

    @Test("test_model's batch means: the last, smaller batch weighs as much as a full one")
    func batchMeans() {
        // Batches of 4: the four images above, then one class-1 image predicted right.
        let labels = self.labels + [1], predictions = self.predictions + [1]
        let macro = StudyDefinedMetrics(.batchMeanMacroAccuracy, labels: labels, predictions: predictions, classes: 3, batchSize: 4)
        // (1/3 + 1) / 2: the second batch holds only class 1, all right.
        #expect(abs(macro.accuracy - 2.0 / 3) < 1e-15)
        // Weighted precision: batch 1 0.75, batch 2 1.
        #expect(macro.precision == 0.875)
        #expect(macro.recall == 0.875)
        #expect(macro.f1 == 0.875)
        let micro = StudyDefinedMetrics(.batchMeanMicroAccuracy, labels: labels, predictions: predictions, classes: 3, batchSize: 4)
        // (0.75 + 1) / 2, where the whole set's share right is 4 / 5.
        #expect(micro.accuracy == 0.875)
        let whole = StudyDefinedMetrics(.wholeSetMicro, labels: labels, predictions: predictions, classes: 3, batchSize: 4)
        #expect(whole.accuracy == 0.8 && whole.precision == 0.8 && whole.recall == 0.8 && whole.f1 == 0.8)
        // One batch holding every image is the whole-set value.
        let single = StudyDefinedMetrics(.batchMeanMicroAccuracy, labels: labels, predictions: predictions, classes: 3, batchSize: 32)
        #expect(single.accuracy == 0.8)
    }
}
