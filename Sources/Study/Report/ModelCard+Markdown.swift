import Foundation
import Report

extension ModelCard {
    /// The card as a Markdown file with Hugging Face model-card front matter (YAML): licence,
    /// tags, the dataset, and a `model-index` whose results are this run's test metrics.
    var markdown: String {
        let card = dataset.located.card
        var lines = ["---"]
        lines.append("license: \(Self.yaml(card.spdxLicence ?? "unknown"))")
        lines.append("library_name: bloodstudy")
        lines.append("pipeline_tag: image-classification")
        lines += ["tags:", "- image-classification", "- bloodstudy", "- profile-\(Self.slug(profile))"]
        lines += ["datasets:", "- \(Self.yaml(card.name))"]
        lines += ["metrics:", "- accuracy", "- f1", "- roc_auc"]
        lines += ["model-index:", "- name: \(Self.yaml(key))", "  results:", "  - task:",
                  "      type: image-classification", "      name: Image classification",
                  "    dataset:", "      name: \(Self.yaml(card.name))",
                  "      type: \(Self.yaml(Self.slug(card.shortName ?? card.name)))", "      split: test",
                  "    metrics:"]
        // (headline, Hugging Face metric type, name, average)
        let indexed: [(String, String, String, String?)] = [
            ("test_accuracy", "accuracy", "Test accuracy", nil),
            ("macro_f1", "f1", "Macro F1", "macro"),
            ("weighted_f1", "f1", "Weighted F1", "weighted"),
            ("micro_auc", "roc_auc", "Micro-average ROC AUC", "micro"),
        ]
        for (metric, type, name, average) in indexed {
            guard let number = value(metric)?.number, number.isFinite else { continue }
            lines += ["    - type: \(type)", "      value: \(JSONValue.double(number).description)", "      name: \(Self.yaml(name))"]
            if let average { lines += ["      args:", "        average: \(average)"] }
        }
        lines.append("---")
        lines.append("")
        lines.append("# Model card: \(name)")
        lines.append("")
        lines.append("Made by bloodstudy from this run (Mitchell et al., *Model Cards for Model Reporting*, 2019). "
            + "Images: \(card.creditLine.dropFirst("Images: ".count))")
        for part in parts {
            lines += ["", "## \(part.heading)", "", part.text.replacingOccurrences(of: "](\(DatasetCardPage.id).html)", with: "](../\(DatasetCardPage.id).html)")]
            if part.heading == "Quantitative analyses" {
                lines += ["", "| Result | This run | Documented study |", "| --- | ---: | ---: |"]
                lines += metricRows.map { "| " + $0.map(Self.tableCell).joined(separator: " | ") + " |" }
            }
        }
        return lines.joined(separator: "\n") + "\n"
    }

    /// A YAML double-quoted scalar (JSON's string syntax, which YAML reads the same way).
    static func yaml(_ text: String) -> String {
        let data = (try? JSONSerialization.data(withJSONObject: text, options: [.fragmentsAllowed, .withoutEscapingSlashes])) ?? Data("\"\"".utf8)
        return String(decoding: data, as: UTF8.self)
    }

    /// Lower-case letters, digits and '-' ("Blood-cell images" → "blood-cell-images").
    static func slug(_ text: String) -> String {
        var out = ""
        for ch in text.lowercased().unicodeScalars {
            if ("a"..."z").contains(ch) || ("0"..."9").contains(ch) { out.unicodeScalars.append(ch) }
            else if !out.isEmpty, !out.hasSuffix("-") { out += "-" }
        }
        while out.hasSuffix("-") { out.removeLast() }
        return out.isEmpty ? "dataset" : out
    }

    /// A Markdown table cell: pipes escaped, line breaks as spaces.
    static func tableCell(_ text: String) -> String {
        text.replacingOccurrences(of: "|", with: "\\|").replacingOccurrences(of: "\n", with: " ")
    }
}
