/// torchmetrics' multiclass reductions (torchmetrics 1.x, top-1 predictions), so that this run's
/// predictions can be scored exactly as the study scored its own.
///
/// Per class c: tp, fp, fn counted over the given images. `micro` pools the counts (for top-1
/// multiclass predictions accuracy, precision, recall and F1 are all the share right); `macro`
/// averages the per-class score over the classes that occur among the labels or the predictions
/// (`tp + fp + fn > 0`: a class predicted but absent scores 0, a class absent from both is left
/// out); `weighted` averages it with the class's support (`tp + fn`). A score with a zero
/// denominator is 0 (`zero_division=0`).
public enum TorchMetrics {
    public enum Average: String, Codable, Sendable { case micro, macro, weighted }

    struct Counts {
        var tp: [Double], fp: [Double], fn: [Double]

        init(labels: [Int], predictions: [Int], classes: Int) {
            tp = [Double](repeating: 0, count: classes); fp = tp; fn = tp
            for (t, p) in zip(labels, predictions) {
                if t == p { tp[t] += 1 } else { fp[p] += 1; fn[t] += 1 }
            }
        }

        func reduce(_ average: Average, _ score: (Double, Double, Double) -> (Double, Double)) -> Double {
            func divide(_ a: Double, _ b: Double) -> Double { b == 0 ? 0 : a / b }
            switch average {
            case .micro:
                let (n, d) = score(tp.reduce(0, +), fp.reduce(0, +), fn.reduce(0, +))
                return divide(n, d)
            case .macro, .weighted:
                var total = 0.0, weights = 0.0
                for c in tp.indices {
                    let (n, d) = score(tp[c], fp[c], fn[c])
                    let weight = average == .weighted ? tp[c] + fn[c] : (tp[c] + fp[c] + fn[c] > 0 ? 1 : 0)
                    total += weight * divide(n, d); weights += weight
                }
                return divide(total, weights)
            }
        }
    }

    /// `MulticlassAccuracy(average=...)`: per class tp / (tp + fn).
    public static func accuracy(labels: [Int], predictions: [Int], classes: Int, average: Average) -> Double {
        Counts(labels: labels, predictions: predictions, classes: classes).reduce(average) { tp, _, fn in (tp, tp + fn) }
    }

    /// `MulticlassPrecision(average=..., zero_division=0)`: per class tp / (tp + fp).
    public static func precision(labels: [Int], predictions: [Int], classes: Int, average: Average) -> Double {
        Counts(labels: labels, predictions: predictions, classes: classes).reduce(average) { tp, fp, _ in (tp, tp + fp) }
    }

    /// `MulticlassRecall(average=..., zero_division=0)`: per class tp / (tp + fn).
    public static func recall(labels: [Int], predictions: [Int], classes: Int, average: Average) -> Double {
        accuracy(labels: labels, predictions: predictions, classes: classes, average: average)
    }

    /// `MulticlassF1Score(average=..., zero_division=0)`: per class 2tp / (2tp + fp + fn).
    public static func f1(labels: [Int], predictions: [Int], classes: Int, average: Average) -> Double {
        Counts(labels: labels, predictions: predictions, classes: classes).reduce(average) { tp, fp, fn in (2 * tp, 2 * tp + fp + fn) }
    }

    /// The mean over consecutive batches of `batchSize` images (the last one may be smaller) of
    /// `metric` computed on each batch alone: what the study's `test_model` prints, as it adds a
    /// metric's `forward` value per batch and divides by `len(test_loader)`.
    public static func batchAveraged(labels: [Int], predictions: [Int], batchSize: Int,
                                     _ metric: (_ labels: [Int], _ predictions: [Int]) -> Double) -> Double {
        precondition(batchSize > 0, "batch size must be positive")
        guard !labels.isEmpty else { return 0 }
        var sum = 0.0, batches = 0
        for start in stride(from: 0, to: labels.count, by: batchSize) {
            let end = min(start + batchSize, labels.count)
            sum += metric(Array(labels[start..<end]), Array(predictions[start..<end]))
            batches += 1
        }
        return sum / Double(batches)
    }
}

/// How the study computed the test numbers it printed for a network (read from its code).
public enum StudyMetricDefinition: String, Codable, Sendable {
    /// `test_model` with `Accuracy(task="multiclass", num_classes=8, average="macro")` (SimpleNN,
    /// ViT-B/16): per batch the macro accuracy, and weighted precision, recall and F1; each the mean
    /// over the test batches.
    case batchMeanMacroAccuracy
    /// `test_model` with `Accuracy(task="multiclass", num_classes=8)` (micro, torchmetrics' default;
    /// LightCNN, CNNModel): per batch the micro accuracy, and weighted precision, recall and F1;
    /// each the mean over the test batches.
    case batchMeanMicroAccuracy
    /// `ResNetTrainer.test`: `Accuracy`, `Precision`, `Recall`, `F1Score(task="multiclass")`, all
    /// micro (the default), accumulated over the whole test set and computed once: each equals the
    /// share of test images right.
    case wholeSetMicro

    /// One sentence for pages and tables.
    public var description: String {
        switch self {
        case .batchMeanMacroAccuracy:
            "torchmetrics' macro (class-balanced) accuracy and weighted precision, recall and F1, each computed per test batch and averaged over the batches (`test_model`)"
        case .batchMeanMicroAccuracy:
            "torchmetrics' micro accuracy and weighted precision, recall and F1, each computed per test batch and averaged over the batches (`test_model`)"
        case .wholeSetMicro:
            "torchmetrics' micro accuracy, precision, recall and F1 over the whole test set, all equal to the share of test images right (`ResNetTrainer.test`)"
        }
    }
}

/// A network's test predictions scored with the study's own definition of its printed numbers.
public struct StudyDefinedMetrics: Codable, Sendable, Equatable {
    public var definition: StudyMetricDefinition
    /// Images per test batch the batch means are over (the network's `batch_size`).
    public var batchSize: Int
    public var accuracy: Double
    public var precision: Double
    public var recall: Double
    public var f1: Double

    public init(definition: StudyMetricDefinition, batchSize: Int, accuracy: Double, precision: Double, recall: Double, f1: Double) {
        self.definition = definition; self.batchSize = batchSize
        self.accuracy = accuracy; self.precision = precision; self.recall = recall; self.f1 = f1
    }

    /// Scores `predictions` (in test order) as `definition` says, with test batches of `batchSize`.
    public init(_ definition: StudyMetricDefinition, labels: [Int], predictions: [Int], classes: Int, batchSize: Int) {
        typealias T = TorchMetrics
        switch definition {
        case .wholeSetMicro:
            let share = T.accuracy(labels: labels, predictions: predictions, classes: classes, average: .micro)
            self.init(definition: definition, batchSize: batchSize, accuracy: share,
                      precision: T.precision(labels: labels, predictions: predictions, classes: classes, average: .micro),
                      recall: T.recall(labels: labels, predictions: predictions, classes: classes, average: .micro),
                      f1: T.f1(labels: labels, predictions: predictions, classes: classes, average: .micro))
        case .batchMeanMacroAccuracy, .batchMeanMicroAccuracy:
            let accuracyAverage: T.Average = definition == .batchMeanMacroAccuracy ? .macro : .micro
            func mean(_ metric: @escaping ([Int], [Int], Int, T.Average) -> Double, _ average: T.Average) -> Double {
                T.batchAveraged(labels: labels, predictions: predictions, batchSize: batchSize) { metric($0, $1, classes, average) }
            }
            self.init(definition: definition, batchSize: batchSize,
                      accuracy: mean({ T.accuracy(labels: $0, predictions: $1, classes: $2, average: $3) }, accuracyAverage),
                      precision: mean({ T.precision(labels: $0, predictions: $1, classes: $2, average: $3) }, .weighted),
                      recall: mean({ T.recall(labels: $0, predictions: $1, classes: $2, average: $3) }, .weighted),
                      f1: mean({ T.f1(labels: $0, predictions: $1, classes: $2, average: $3) }, .weighted))
        }
    }
}
