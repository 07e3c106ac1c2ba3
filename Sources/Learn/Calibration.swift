/// How well a classifier's confidence (its largest class probability) matches how often it is
/// right: the test images are put in equal-width bins of confidence, (i/B, (i+1)/B] for i in 0..<B,
/// and the expected calibration error is the average gap between each bin's accuracy and mean
/// confidence, weighted by the bin's share of the images (Guo et al., 2017, with B = 15).
///
///     let calibration = Calibration(probabilities: p, labels: y, classes: 8)
///     calibration.expectedError   // 0.021
///     calibration.bins            // what the reliability diagram draws
public struct Calibration: Sendable, Equatable, Codable {
    public struct Bin: Sendable, Equatable, Codable {
        /// The bin's confidence range (lower, upper].
        public var lower: Double
        public var upper: Double
        public var count: Int
        /// Mean confidence and accuracy of the images in the bin; NaN when it is empty.
        public var meanConfidence: Double
        public var accuracy: Double
    }

    public let bins: [Bin]
    /// Σ_b (n_b / N)·|accuracy_b − confidence_b| over the non-empty bins; NaN for no images.
    public let expectedError: Double
    /// The largest such gap over the non-empty bins (maximum calibration error).
    public let maximumError: Double

    /// From (N, K) row-major probabilities: confidence is the row's largest probability, the
    /// prediction its first arg-max (numpy's `argmax`), right when it equals the label.
    public init(probabilities: [Double], labels: [Int], classes: Int, binCount: Int = 15) {
        precondition(probabilities.count == labels.count * classes, "\(probabilities.count) probabilities for \(labels.count) images of \(classes) classes")
        var confidences: [Double] = [], correct: [Bool] = []
        for (i, label) in labels.enumerated() {
            let row = probabilities[(i * classes)..<((i + 1) * classes)]
            var best = row.startIndex
            for j in row.indices where row[j] > row[best] { best = j }
            confidences.append(row[best]); correct.append(best - row.startIndex == label)
        }
        self.init(confidences: confidences, correct: correct, binCount: binCount)
    }

    public init(confidences: [Double], correct: [Bool], binCount: Int = 15) {
        precondition(confidences.count == correct.count && binCount > 0, "\(confidences.count) confidences, \(correct.count) outcomes")
        // numpy's linspace(0, 1, B + 1): i·(1/B), the last edge exactly 1.
        let step = 1.0 / Double(binCount)
        let edges = (0...binCount).map { $0 == binCount ? 1.0 : Double($0) * step }
        var sums = [(count: Int, confidence: Double, right: Int)](repeating: (0, 0, 0), count: binCount)
        for (confidence, isRight) in zip(confidences, correct) {
            // The bin with lower < confidence <= upper; a confidence of 0 falls in none.
            guard let b = (0..<binCount).first(where: { confidence > edges[$0] && confidence <= edges[$0 + 1] }) else { continue }
            sums[b].count += 1; sums[b].confidence += confidence; sums[b].right += isRight ? 1 : 0
        }
        let n = Double(confidences.count)
        var expected = 0.0, maximum = 0.0
        bins = (0..<binCount).map { b in
            let s = sums[b]
            guard s.count > 0 else { return Bin(lower: edges[b], upper: edges[b + 1], count: 0, meanConfidence: .nan, accuracy: .nan) }
            let confidence = s.confidence / Double(s.count), accuracy = Double(s.right) / Double(s.count)
            expected += abs(accuracy - confidence) * (Double(s.count) / n)
            maximum = max(maximum, abs(accuracy - confidence))
            return Bin(lower: edges[b], upper: edges[b + 1], count: s.count, meanConfidence: confidence, accuracy: accuracy)
        }
        expectedError = confidences.isEmpty ? .nan : expected
        maximumError = confidences.isEmpty ? .nan : maximum
    }
}
