import Foundation
import Report

/// The model card of one model of this run, under the headings of Mitchell et al., "Model Cards
/// for Model Reporting" (FAT* 2019): details, intended use, factors, metrics, evaluation and
/// training data, quantitative analyses, caveats and recommendations.
///
/// Built by the report from what the run already holds (the page's `models.<key>.*` headlines,
/// the split sizes, the deviations of the model's steps and the dataset card), so it needs no
/// step of its own and lists any metric a model step adds later. It is appended to the model's
/// page and published as `cards/<key>.md`, Markdown with Hugging Face model-card front matter.
struct ModelCard {
    /// The results.json model key (`cnn`, `logistic_regression`).
    var key: String
    var name: String
    /// The page the card is on.
    var pageID: String
    /// This run's `models.<key>.*` headlines, in the page's order.
    var metrics: [Headline]
    /// Settings of this run that differ from the documented study and touch this model.
    var deviations: [Deviation]
    var split: (train: Int?, validation: Int?, test: Int?)
    var dataset: DatasetCardPage
    var profile: String
    var seed: UInt64
    var architecture: String

    /// The card of the model whose page is `section`, nil when the page reports no model.
    init?(section: (id: String, title: String), run: StudyRun, deviations: [Deviation], dataset: DatasetCardPage) {
        let headlines = run.results[section.id]?.headlines ?? []
        guard let accuracy = headlines.first(where: { $0.key.hasPrefix("models.") && $0.key.hasSuffix(".test_accuracy") }) else {
            return nil
        }
        let key = String(accuracy.key.dropFirst("models.".count).dropLast(".test_accuracy".count))
        self.key = key
        name = DocumentedResults.models.first { $0.key == key }?.name ?? section.title
        pageID = section.id
        metrics = headlines.filter { $0.key.hasPrefix("models.\(key).") }
        // The model's own steps (`cnn`, `cnn-train`) and the data steps every model reads.
        self.deviations = deviations.filter { d in
            guard let step = d.step else { return false }
            if step == section.id || step.hasPrefix(section.id + "-") { return true }
            // The data steps also claim the networks' input settings; only their data settings touch every model.
            return ["audit", "split"].contains(step) && (d.what.hasPrefix("data.") || d.what.hasPrefix("split."))
        }
        func int(_ key: String) -> Int? {
            for (id, _) in run.sections { if let h = run.results[id]?.headlines.first(where: { $0.key == key }), case let .int(n) = h.value { return n } }
            return nil
        }
        split = (int("split.train"), int("split.val"), int("split.test"))
        self.dataset = dataset
        profile = run.profile.rawValue
        seed = run.seed
        let kind = NetworkKind.allCases.first { $0.id == section.id }
        let backbone = headlines.first { $0.key == "models.\(key).backbone" }.flatMap { h -> String? in
            if case let .string(b) = h.value, b.hasPrefix("efficientnet-lite") { return b } else { return nil }
        }
        if let kind, let backbone {
            architecture = "\(SubstituteBackbone.displayName(backbone)) (ImageNet weights) fine-tuned with \(kind.displayName)'s recipe from the documented study, "
                + "standing in for the study's \(kind.studyClassName), whose ImageNet checkpoint cannot be downloaded here"
        } else {
            architecture = kind.map { "\($0.studyClassName), a network of the documented study" } ?? "\(section.title), as in the documented study"
        }
    }

    func value(_ metric: String) -> JSONValue? { metrics.first { $0.key == "models.\(key).\(metric)" }?.value }

    // MARK: Content shared by the page and the Markdown file

    /// The card's headings and their markdown text, in Mitchell et al.'s order.
    var parts: [(heading: String, text: String)] {
        let card = dataset.located.card
        let n = { (x: Int?) in x.map { JSONValue.int($0).description } ?? "an unknown number of" }
        var details = [
            "- Model: \(name) (`\(key)` in results.json).",
            "- Architecture: \(architecture).",
            "- Trained by bloodstudy \(StudyVersion.program) in this run: profile \(profile), seed \(seed).",
        ]
        if case let .bool(pretrained)? = value("pretrained") {
            details.append(pretrained ? "- Started from pretrained weights (named on this page)." : "- Started from random weights.")
        }
        if let p = value("parameters")?.number { details.append("- Parameters: \(JSONValue.int(Int(p)).description).") }
        if let s = value("image_size")?.number { details.append("- Input: \(Int(s))x\(Int(s)) pixel images.") }
        if let e = value("epochs_run")?.number { details.append("- Epochs run: \(Int(e)).") }
        details.append("- Licence: the weights are derived from images under \(card.licence ?? "a licence the dataset card does not state"); "
            + "pretrained starting weights keep their own licences.")

        var outOfScope = ["- Diagnosis, screening or any decision about a person: the model was checked on \(card.name) only."]
        if let limits = card.knownLimits, !limits.isEmpty {
            outOfScope += limits.map { "- Images beyond what the data covers. \($0)" }
        } else {
            outOfScope.append("- Any images other than this dataset's: its card names no population, scanner, stain or site, so nothing is known about where the model would work.")
        }

        let evaluation = """
            The test part of this run's stratified split of \(card.name): \(n(split.test)) images, none of them used \
            for fitting or for choosing a model. Classes keep the shares they have in the folder (see the \
            [dataset card](\(DatasetCardPage.id).html)).
            """
        let training = """
            The training part of the same split: \(n(split.train)) images, with \(n(split.validation)) validation \
            images to watch training. A step that uses fewer images says so under Caveats.
            """
        var imbalance = ""
        if let classes = dataset.audit?.classes.filter({ $0.count > 0 }), let most = classes.map(\.count).max(),
           let least = classes.map(\.count).min(), least > 0 {
            imbalance = most == least ? "; in this dataset every class has \(Fmt.int(most)) images"
                : "; in this dataset the largest class has \(Fmt.fixed(Double(most) / Double(least), 1)) times the images of the smallest"
        }
        var caveats = [
            "- One run with one seed on one split of one dataset: the numbers carry the sampling error of \(n(split.test)) test images.",
        ]
        if profile != "paper" {
            caveats.append("- Profile \(profile) reduces the documented settings (listed below and on the front page); its numbers check the pipeline, not the study.")
        }
        caveats += deviations.map { d in
            let why = d.why.trimmingCharacters(in: .whitespaces)
            return "- \(d.stepTitle.map { $0 + ": " } ?? "")`\(d.what)` is \(d.thisRun) (documented: \(d.documented)). "
                + why + (why.hasSuffix(".") ? "" : ".")
        }
        caveats.append("- Recommendation: evaluate on images from other sources (donors, sites, equipment, staining) before relying on it anywhere else.")

        return [
            ("Model details", details.joined(separator: "\n")),
            ("Intended use", "Reproducing and checking the documented study, and comparing image classifiers on \(card.name), for research and teaching."),
            ("Out-of-scope use", outOfScope.joined(separator: "\n")),
            ("Factors", "The class is the only factor recorded with each image; the per-class results are in the tables of this page. "
                + "Where the images came from (donor, disease, equipment, stain, site, date) is not recorded per image, so the model was not evaluated across it."),
            ("Metrics", "Test accuracy (share of test images whose most probable class is the true one); macro F1 (the mean of the per-class F1 scores, "
                + "so small classes weigh as much as large ones\(imbalance)); weighted F1; "
                + "micro-average one-vs-rest ROC AUC. The predicted class is the most probable one; no threshold is tuned."),
            ("Evaluation data", evaluation),
            ("Training data", training),
            ("Quantitative analyses", "This run's numbers beside the documented study's (every `models.\(key).*` value of results.json):"),
            ("Caveats and recommendations", caveats.joined(separator: "\n")),
        ]
    }

    /// Every metric: label, this run, documented.
    var metricRows: [[String]] {
        metrics.map { h in
            let documented = DocumentedResults.entry(h.key)
            return [documented?.label ?? h.label ?? h.key, h.value.isNull ? "not computed" : h.value.description,
                    documented?.value.description ?? "—"]
        }
    }

    // MARK: Page cells

    var cells: [Cell] {
        var cells: [Cell] = [.markdown("## Model card\n\nThe model card of \(name) (Mitchell et al., *Model Cards for Model Reporting*, 2019), made from this run.")]
        for part in parts {
            cells.append(.markdown("### \(part.heading)\n\n\(part.text)"))
            if part.heading == "Quantitative analyses" {
                cells.append(.code(source: "card = ModelCard(\"\(key)\")", outputs: [
                    .table(Table(caption: "\(name): this run's results beside the documented study", columns: ["Result", "This run", "Documented study"], rows: metricRows)),
                ]))
            }
        }
        cells.append(.code(source: "card.write(\"\(Self.path(key))\")", outputs: [
            .file(FileOutput(path: Self.path(key), data: Data(markdown.utf8), label: "Model card of \(name) (Markdown)",
                             description: "The same card with Hugging Face model-card front matter; its model-index holds this run's test metrics.")),
        ]))
        return cells
    }

    static func path(_ key: String) -> String { "cards/\(key).md" }
}
