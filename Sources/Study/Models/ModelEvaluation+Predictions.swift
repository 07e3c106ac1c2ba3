import Foundation
import Report

extension ModelEvaluation {
    /// The site path of this model's predictions: `predictions/<key>.csv`.
    public var predictionsPath: String { "predictions/\(key).csv" }

    /// The test-set predictions as CSV: a header row, then one row per test image with its path
    /// (relative to the dataset folder), true class, predicted class and one probability column
    /// per class (`p_<class>`), in the test part's order. Fields with a comma, quote or line break
    /// are quoted (RFC 4180). Probabilities are written with enough digits to read back exactly.
    public func predictionsCSV() -> Data {
        let k = classNames.count
        var out = (["file", "true_class", "predicted_class"] + classNames.map { "p_\($0)" }).map(Self.csvField).joined(separator: ",") + "\n"
        for i in labels.indices {
            var fields = [Self.csvField(paths[i]), Self.csvField(classNames[labels[i]]), Self.csvField(classNames[predictions[i]])]
            for c in 0..<k { fields.append("\(probabilities[i * k + c])") }
            out += fields.joined(separator: ",") + "\n"
        }
        return Data(out.utf8)
    }

    /// The CSV as a file of the site, linked from the page.
    public var predictionsFile: FileOutput {
        FileOutput(path: predictionsPath, data: predictionsCSV(), label: "\(displayName): test-set predictions (CSV)",
                   description: "one row per test image: file, true class, predicted class and the probability of each class, "
                       + "enough to recompute every metric on this page with another tool.")
    }

    static func csvField(_ text: String) -> String {
        guard text.contains(where: { $0 == "," || $0 == "\"" || $0 == "\n" || $0 == "\r" }) else { return text }
        return "\"" + text.replacingOccurrences(of: "\"", with: "\"\"") + "\""
    }
}
