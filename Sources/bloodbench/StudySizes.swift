import Foundation
import Study

/// The documented study's sizes the benchmarks mimic, read from its table (`DocumentedResults`),
/// written nowhere else.
enum StudySizes {
    /// Images of the study (17,092 documented).
    static let images = DocumentedResults.int("dataset.valid_images")!
    /// Images of its training part.
    static let trainingImages = DocumentedResults.int("split.train")!
    /// HOG PCA components for 95% and 99% of the variance.
    static let hogComponents95 = DocumentedResults.pcaHOGComponents[0.95]!
    static let hogComponents99 = DocumentedResults.pcaHOGComponents[0.99]!

    /// `n` with thousands separators, as the summaries write counts ("17,092").
    static func grouped(_ n: Int) -> String {
        let digits = String(n)
        var out = ""
        for (i, c) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(c)
        }
        return out
    }
}
