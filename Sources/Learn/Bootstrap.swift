/// Percentile bootstrap of a test set: draw `resamples` samples of the test images with
/// replacement, recompute a metric on each, and read the 2.5th and 97.5th percentiles of the
/// recomputed values as a 95% interval (Efron's percentile interval).
///
/// The resample indices are those of `numpy.random.RandomState(seed).randint(0, n, size=(B, n))`,
/// so a reader can redraw them in Python; every model of a run is resampled with the same indices,
/// which makes the difference of two models on the same test images a paired bootstrap.
///
///     let draws = BootstrapResamples(count: labels.count, resamples: 1000, seed: 42)
///     let b = ClassificationBootstrap(labels: labels, predictions: predictions, classes: 8, resamples: draws)
///     b.accuracyInterval   // ConfidenceInterval(low: 0.951, high: 0.967, level: 0.95)
public struct BootstrapResamples: Sendable {
    /// Test-set size n and number of resamples B.
    public let count: Int
    public let resamples: Int
    /// (B, n) row-major: resample b takes the images `indices[b * n ..< (b + 1) * n]`.
    public let indices: [Int]

    /// Given indices (a test feeds numpy's), (B, n) row-major, each in 0..<count.
    public init(count: Int, indices: [Int]) {
        precondition(count > 0 && indices.count % count == 0, "\(indices.count) resample indices are not a multiple of \(count)")
        precondition(indices.allSatisfy { $0 >= 0 && $0 < count }, "a resample index is outside 0..<\(count)")
        self.count = count; self.resamples = indices.count / count; self.indices = indices
    }

    /// numpy's `RandomState(seed).randint(0, count, size=(resamples, count))`.
    public init(count: Int, resamples: Int = 1000, seed: UInt32) {
        precondition(count > 0 && resamples > 0, "a bootstrap needs at least one image and one resample")
        var state = NumPyRandomState(seed: seed)
        self.count = count; self.resamples = resamples
        indices = (0..<(count * resamples)).map { _ in state.randint(count) }
    }

    /// The indices of resample `b`.
    public func resample(_ b: Int) -> ArraySlice<Int> { indices[(b * count)..<((b + 1) * count)] }
}

/// A two-sided interval of a bootstrapped statistic.
public struct ConfidenceInterval: Codable, Sendable, Equatable {
    public var low: Double
    public var high: Double
    /// 0.95 for a 95% interval.
    public var level: Double

    public init(low: Double, high: Double, level: Double) { self.low = low; self.high = high; self.level = level }

    public func contains(_ value: Double) -> Bool { low <= value && value <= high }
    /// The interval lies entirely above or entirely below zero (for a difference: the two differ).
    public var excludesZero: Bool { low > 0 || high < 0 }
}

public enum Bootstrap {
    /// numpy's `percentile(values, q)` with the default (linear) method; `q` in [0, 100].
    /// NaN values are dropped first (as `nanpercentile`); NaN when none is left.
    public static func percentile(_ values: [Double], _ q: Double) -> Double {
        let sorted = values.filter { !$0.isNaN }.sorted()
        guard !sorted.isEmpty else { return .nan }
        let quantile = q / 100
        let n = Double(sorted.count)
        // numpy's _compute_virtual_index with alpha = beta = 1, then _get_indexes and _lerp.
        let virtual = n * quantile + (1 + quantile * (1 - 1 - 1)) - 1
        let previous = max(0, min(Double(sorted.count - 1), virtual.rounded(.down)))
        let next = min(Double(sorted.count - 1), previous + 1)
        let gamma = virtual - virtual.rounded(.down)
        let a = sorted[Int(previous)], b = sorted[Int(next)]
        if virtual <= 0 { return sorted[0] }
        if virtual >= n - 1 { return sorted[sorted.count - 1] }
        let difference = b - a
        return gamma >= 0.5 ? b - difference * (1 - gamma) : a + difference * gamma
    }

    /// The percentile interval of bootstrapped values: the (1 − level)/2 and (1 + level)/2 quantiles.
    public static func interval(_ values: [Double], level: Double = 0.95) -> ConfidenceInterval {
        let tail = 100 * (1 - level) / 2
        return ConfidenceInterval(low: percentile(values, tail), high: percentile(values, 100 - tail), level: level)
    }
}

/// Accuracy, macro F1 and per-class recall of a classifier recomputed on every resample.
public struct ClassificationBootstrap: Sendable {
    public let classes: Int
    /// One value per resample.
    public let accuracy: [Double]
    /// Macro F1 over all `classes` (a class never true nor predicted in a resample counts 0, as
    /// scikit-learn's `f1_score(labels=range(K), average="macro", zero_division=0)`).
    public let macroF1: [Double]
    /// `recall[c][b]`: recall of class c on resample b; NaN when the resample holds no image of c.
    public let recall: [[Double]]

    public init(labels: [Int], predictions: [Int], classes: Int, resamples: BootstrapResamples) {
        precondition(labels.count == resamples.count && predictions.count == labels.count,
                     "\(labels.count) labels and \(predictions.count) predictions for resamples of \(resamples.count)")
        self.classes = classes
        var accuracy: [Double] = [], macroF1: [Double] = []
        var recall = [[Double]](repeating: [], count: classes)
        accuracy.reserveCapacity(resamples.resamples); macroF1.reserveCapacity(resamples.resamples)
        var truePositives = [Int](repeating: 0, count: classes)
        var trueCounts = truePositives, predictedCounts = truePositives
        for b in 0..<resamples.resamples {
            for c in 0..<classes { truePositives[c] = 0; trueCounts[c] = 0; predictedCounts[c] = 0 }
            for i in resamples.resample(b) {
                let t = labels[i], p = predictions[i]
                trueCounts[t] += 1; predictedCounts[p] += 1
                if t == p { truePositives[t] += 1 }
            }
            let correct = truePositives.reduce(0, +)
            accuracy.append(Double(correct) / Double(resamples.count))
            let f1 = (0..<classes).map { c -> Double in
                let denominator = trueCounts[c] + predictedCounts[c]
                return denominator == 0 ? 0 : 2 * Double(truePositives[c]) / Double(denominator)
            }
            macroF1.append(numpyMean(f1))
            for c in 0..<classes {
                recall[c].append(trueCounts[c] == 0 ? .nan : Double(truePositives[c]) / Double(trueCounts[c]))
            }
        }
        self.accuracy = accuracy; self.macroF1 = macroF1; self.recall = recall
    }

    public var accuracyInterval: ConfidenceInterval { Bootstrap.interval(accuracy) }
    public var macroF1Interval: ConfidenceInterval { Bootstrap.interval(macroF1) }
    public var recallIntervals: [ConfidenceInterval] { recall.map { Bootstrap.interval($0) } }
}

/// Two classifiers on the same test images, resampled together: the interval of their difference
/// in accuracy (first minus second). They differ at the 95% level when it excludes zero.
public enum PairedBootstrap {
    /// Per resample, accuracy of `first` minus accuracy of `second` (each a right/wrong per image).
    public static func accuracyDifferences(first: [Bool], second: [Bool], resamples: BootstrapResamples) -> [Double] {
        precondition(first.count == resamples.count && second.count == first.count,
                     "paired bootstrap of \(first.count) and \(second.count) outcomes with resamples of \(resamples.count)")
        return (0..<resamples.resamples).map { b in
            var a = 0, c = 0
            for i in resamples.resample(b) { a += first[i] ? 1 : 0; c += second[i] ? 1 : 0 }
            // As numpy's `first[idx].mean() - second[idx].mean()`.
            return Double(a) / Double(resamples.count) - Double(c) / Double(resamples.count)
        }
    }

    public static func accuracyDifference(first: [Bool], second: [Bool], resamples: BootstrapResamples,
                                          level: Double = 0.95) -> ConfidenceInterval {
        Bootstrap.interval(accuracyDifferences(first: first, second: second, resamples: resamples), level: level)
    }
}
