import Foundation
import Learn
import Plot
import Report

/// The closing page (step `comparison`): every model of this run in one table beside the documented
/// numbers, each documented number beside this run's scored with the study's own definition, a
/// grouped bar chart of test accuracy (documented vs this run), and a conclusion generated from
/// this run's numbers only. Reads the `summary` artifact (`ModelSummary`) of each model step in
/// `modelSteps`; a step missing from the run is left out and said so.
public struct ComparisonSection: ComputedSection {
    public let id = "comparison"
    public let title = "Model comparison"
    /// The steps that write a `summary`, in the study's order of models.
    public let modelSteps: [String]
    public var dependencies: [String] { modelSteps }
    public let usesDataset = false
    /// 4: compute then page; the study-defined scores beside the documented numbers; SimpleNN's defect.
    public let version = 4
    public var configKeys: [String] { [] }

    public init(modelSteps: [String]) { self.modelSteps = modelSteps }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        // The conclusion explains differences with the networks' settings.
        StepInputs().adding("networks", config.networks)
    }

    /// The models' summaries (in the study's order), the steps that left none, and what the page's
    /// explanations of differences read: the networks' settings and the run's seed (the bootstrap's).
    public struct Result: Codable, Sendable, Equatable {
        public var summaries: [ModelSummary]
        public var missing: [String]
        public var networks: NetworksConfig
        public var seed: UInt64

        public init(summaries: [ModelSummary], missing: [String], networks: NetworksConfig, seed: UInt64) {
            self.summaries = summaries; self.missing = missing; self.networks = networks; self.seed = seed
        }
    }

    public func compute(_ context: StudyContext) throws -> Result {
        var summaries: [ModelSummary] = []
        var missing: [String] = []
        for step in modelSteps {
            do { summaries.append(try context.upstream(step).read(ModelSummary.self, "summary")) } catch { missing.append(step) }
        }
        // The study's order (DocumentedResults.models), then anything else.
        let order = DocumentedResults.models.map(\.key)
        summaries.sort { (order.firstIndex(of: $0.key) ?? order.count) < (order.firstIndex(of: $1.key) ?? order.count) }
        return Result(summaries: summaries, missing: missing, networks: context.config.networks, seed: context.seed)
    }

    public func page(_ result: Result) -> SectionResult {
        let (summaries, missing) = (result.summaries, result.missing)
        let comparison = ModelComparison(summaries: summaries, networks: result.networks, seed: result.seed)
        var cells: [Cell] = [.markdown(comparison.introduction)]
        cells.append(.code(source: "pd.DataFrame(results).sort_values('test_accuracy')",
                           outputs: [.table(comparison.table)] + (missing.isEmpty ? [] : [.warning("No summary from: \(missing.joined(separator: ", "))")])))
        if let likeForLike = comparison.studyDefinedTable {
            cells.append(.markdown(comparison.studyDefinedIntroduction))
            cells.append(.code(source: "StudyDefinedMetrics(definition, labels: y_test, predictions: y_pred, batchSize: batch_size)  # per network",
                               outputs: [.table(likeForLike)]))
        }
        if summaries.contains(where: { $0.key == NetworkKind.simpleNN.resultsKey }) {
            cells += NetworkPage.simpleNNDefectCells(heading: "## The documented SimpleNN number comes from an untrained network")
        }
        if !summaries.isEmpty {
            cells.append(.code(source: "px.bar(results, x='model', y=['documented', 'this_run'], barmode='group')",
                               outputs: [.figure(comparison.figure)]))
        }
        if let paired = comparison.pairedTable {
            cells.append(.code(source: "paired_bootstrap(model_a, model_b, n_resamples=\(ModelUncertainty.resampleCount))  # same resamples for both",
                               outputs: [.table(paired)]))
        }
        cells.append(.markdown(comparison.conclusion))
        var headlines: [Headline] = []
        if let best = comparison.best {
            headlines.append(Headline("comparison.best_model", .string(best.key), label: "Best model of this run (test accuracy)"))
        }
        if let holds = comparison.studyOrderingHolds {
            headlines.append(Headline("comparison.ordering_holds", .bool(holds),
                                      label: "The study's ordering SimpleNN < LightCNN < CNN holds in this run"))
        }
        headlines += comparison.pairedHeadlines
        return SectionResult(cells: cells, headlines: headlines)
    }
}

/// The comparison's content, computed from the summaries (and the profile, to explain differences).
struct ModelComparison {
    let summaries: [ModelSummary]
    let networks: NetworksConfig
    /// Bootstrap intervals of each model (by key), from its per-image record; missing for a summary without one.
    let intervals: [String: (accuracy: ConfidenceInterval, macroF1: ConfidenceInterval)]
    /// Paired bootstrap of every pair of models with per-image records (first minus second).
    let pairs: [PairedComparison]

    /// This run's test predictions of each network (by key) scored with the study's definition of its printed numbers.
    let studyMetrics: [String: StudyDefinedMetrics]

    init(summaries: [ModelSummary], config: StudyConfig, seed: UInt64) {
        self.init(summaries: summaries, networks: config.networks, seed: seed)
    }

    init(summaries: [ModelSummary], networks: NetworksConfig, seed: UInt64) {
        self.summaries = summaries; self.networks = networks
        var study: [String: StudyDefinedMetrics] = [:]
        for s in summaries {
            guard let kind = NetworkKind.allCases.first(where: { $0.resultsKey == s.key }),
                  let labels = s.testLabels, let predictions = s.testPredictions, let k = s.classCount,
                  labels.count == predictions.count else { continue }
            study[s.key] = StudyDefinedMetrics(NetworkPage.studyDefinition(kind), labels: labels, predictions: predictions,
                                               classes: k, batchSize: kind.settings(networks).batchSize)
        }
        studyMetrics = study
        let bootstrapSeed = ModelUncertainty.seed(forRun: seed)
        var intervals: [String: (accuracy: ConfidenceInterval, macroF1: ConfidenceInterval)] = [:]
        for s in summaries {
            guard let labels = s.testLabels, let predictions = s.testPredictions, let k = s.classCount,
                  !labels.isEmpty, labels.count == predictions.count else { continue }
            let b = ClassificationBootstrap(labels: labels, predictions: predictions, classes: k,
                                            resamples: BootstrapResamples(count: labels.count, resamples: ModelUncertainty.resampleCount, seed: bootstrapSeed))
            intervals[s.key] = (b.accuracyInterval, b.macroF1Interval)
        }
        self.intervals = intervals
        pairs = PairedComparison.all(summaries, seed: bootstrapSeed)
    }

    func documented(_ key: String, _ metric: String) -> Double? {
        guard let value = DocumentedResults.entry("models.\(key).\(metric)")?.value else { return nil }
        switch value {
        case let .double(d): return d
        case let .int(i): return Double(i)
        default: return nil
        }
    }

    var best: ModelSummary? { summaries.max { $0.testAccuracy < $1.testAccuracy } }

    /// Whether SimpleNN < LightCNN < CNN in test accuracy in this run (nil when one of them did not run).
    var studyOrderingHolds: Bool? {
        let accuracy = Dictionary(summaries.map { ($0.key, $0.testAccuracy) }, uniquingKeysWith: { a, _ in a })
        guard let s = accuracy["simple_nn"], let l = accuracy["light_cnn"], let c = accuracy["cnn"] else { return nil }
        return s < l && l < c
    }

    var introduction: String {
        """
        ## All models side by side

        Each row is one model of the study as this run trained and tested it, beside the study's printed \
        numbers (documented; "—" where the study printed none). Training times are this run's, on this machine; \
        the study's were not printed except for the decision tree. Where a model's settings differ from the \
        study's (image size, epochs, starting weights, training subset), its row says so in the last column and \
        the deviations table lists the settings.
        """
    }

    private func fmt(_ value: Double?, _ digits: Int = 4) -> String {
        guard let value, value.isFinite else { return "—" }
        return Fmt.fixed(value, digits)
    }

    private func withInterval(_ value: Double, _ interval: ConfidenceInterval?) -> String {
        guard let interval, value.isFinite else { return fmt(value) }
        return ModelEvaluation.withInterval(value, interval)
    }

    var table: Table {
        let rows = summaries.map { s -> [String] in
            [s.displayName,
             withInterval(s.testAccuracy, intervals[s.key]?.accuracy), fmt(documented(s.key, "test_accuracy")),
             withInterval(s.macroF1, intervals[s.key]?.macroF1), fmt(documented(s.key, "macro_f1")),
             fmt(s.weightedF1), fmt(documented(s.key, "weighted_f1")),
             fmt(s.microAUC), fmt(documented(s.key, "micro_auc")),
             s.parameterCount.map(Fmt.int) ?? "—",
             Fmt.seconds(s.trainingSeconds),
             s.imageSize.map { "\($0)x\($0)" } ?? "features",
             s.weights + (s.note.isEmpty ? "" : "; " + s.note)]
        }
        return Table(caption: "Every model of this run beside the documented study (test part)",
                     columns: ["Model", "Test accuracy", "Documented", "Macro F1", "Documented", "Weighted F1", "Documented",
                               "Micro AUC", "Documented", "Parameters", "Training time", "Input", "Weights and notes"],
                     rows: rows,
                     note: "Documented values are the study's printed reports (DocumentedResults); this run's columns are the standard metrics over the whole test set. The networks' documented numbers were computed otherwise (torchmetrics' macro accuracy for SimpleNN and ViT-B/16, means over test batches, ResNet18's micro F1): the next table compares each of them with this run's number of the same definition. "
                        + "In brackets: the bootstrap 95% interval (\(Fmt.int(ModelUncertainty.resampleCount)) resamples of each model's test images).")
    }

    var figure: FigureOutput {
        let names = summaries.map(\.displayName)
        let figure = Figure(width: max(700, 120 * Double(names.count) + 160), height: 460,
                            title: "Test accuracy: documented study vs this run")
        let axes = figure.addAxes()
        let documentedValues = summaries.map { documented($0.key, "test_accuracy") ?? .nan }
        axes.groupedBars(categories: names, series: [
            ("Documented", documentedValues, Color(hex: "#9E9E9E")!),
            ("This run", summaries.map(\.testAccuracy), Color(hex: "#4B0082")!),
        ])
        // The "This run" bars sit at i + 0.2 (two series in a group 0.8 wide).
        let withIntervals = summaries.map { intervals[$0.key]?.accuracy }
        Charts.errorBars(on: axes, xs: summaries.indices.map { Double($0) + 0.2 }, low: withIntervals.map { $0?.low ?? .nan },
                         high: withIntervals.map { $0?.high ?? .nan })
        axes.yLimits = 0...1.05
        axes.yLabel = "Test accuracy"; axes.xLabel = "Model"
        axes.legend = .best
        let best = self.best.map { " Highest in this run: \($0.displayName) (\(Fmt.fixed($0.testAccuracy, 4)))." } ?? ""
        let random = summaries.filter { $0.weights.hasPrefix("random") && ["resnet18", "vit"].contains($0.key) }.map(\.displayName)
        let randomNote = random.isEmpty ? "" : " \(random.joined(separator: " and ")) started from random initialisation in this run, not from ImageNet weights as in the study."
            + Self.substituteNote(summaries)
        return FigureOutput(rendered: figure.render(),
                            caption: "Test accuracy of each model: the documented study (grey; missing where not printed) and this run (purple: the share of test images right), with this run's bootstrap 95% interval (black bars). The study's network numbers were computed otherwise (see the table of same-definition numbers).\(best)\(randomNote)",
                            alt: "Grouped bar chart of test accuracy for \(names.count) models, documented beside this run: "
                                + zip(names, summaries).map { "\($0) \(Fmt.fixed($1.testAccuracy, 3))" }.joined(separator: ", ") + ".")
    }

    /// Why a network's result may differ from the study's, from this run's settings.
    func reasons(for s: ModelSummary) -> [String] {
        guard let kind = NetworkKind.allCases.first(where: { $0.resultsKey == s.key }) else {
            return s.weights.lowercased().contains("substitute") ? ["features from a substitute backbone (\(s.weights))"] : []
        }
        let settings = kind.settings(networks)
        let (studySide, studyEpochs) = (DocumentedResults.networkImageSize, DocumentedResults.networkEpochs)
        var out: [String] = []
        if let backbone = s.substituteBackbone, let sub = settings.substitute {
            out.append("\(SubstituteBackbone.displayName(backbone)) with ImageNet weights instead of the study's \(kind.displayName)")
            if sub.imageSize < studySide { out.append("\(sub.imageSize)x\(sub.imageSize) inputs instead of \(studySide)x\(studySide)") }
            if sub.epochs < studyEpochs { out.append("at most \(sub.epochs) epoch\(sub.epochs == 1 ? "" : "s") instead of \(studyEpochs)") }
            if sub.trainImagesPerClass > 0 { out.append("\(sub.trainImagesPerClass) training images per class") }
            if sub.evalImagesPerClass > 0 { out.append("tested on \(sub.evalImagesPerClass) images per class") }
            return out
        }
        if settings.imageSize < studySide { out.append("\(settings.imageSize)x\(settings.imageSize) inputs instead of \(studySide)x\(studySide)") }
        if settings.epochs < studyEpochs { out.append("at most \(settings.epochs) epoch\(settings.epochs == 1 ? "" : "s") instead of \(studyEpochs)") }
        if settings.pretrained && s.weights.hasPrefix("random") { out.append("random initialisation instead of ImageNet weights") }
        if settings.trainImagesPerClass > 0 { out.append("\(settings.trainImagesPerClass) training images per class") }
        if settings.evalImagesPerClass > 0 { out.append("tested on \(settings.evalImagesPerClass) images per class") }
        return out
    }

    var conclusion: String {
        guard let best else { return "## What this run found\n\nNo model step ran in this run, so there is nothing to compare." }
        var lines = ["## What this run found", ""]
        let ranked = summaries.sorted { $0.testAccuracy > $1.testAccuracy }
        let tied = summaries.filter { $0.testAccuracy == best.testAccuracy }
        lines.append((tied.count > 1
                      ? "In this run \(tied.map { "**\($0.displayName)**" }.joined(separator: ", ")) tie for the best test accuracy, "
                        + "\(Fmt.fixed(best.testAccuracy, 4)), so no single model is best. From best to worst: "
                      : (bestIsSeparated
                         ? "In this run the best model on the test part is **\(best.displayName)** with test accuracy "
                         : "In this run the highest test accuracy on the test part is **\(best.displayName)**'s, ")
                        + "\(Fmt.fixed(best.testAccuracy, 4)) (macro F1 \(Fmt.fixed(best.macroF1, 4))). From best to worst: ")
                     + ranked.map { "\($0.displayName) \(Fmt.fixed($0.testAccuracy, 3))" }.joined(separator: ", ") + ".")
        if let paired = bestAgainstOthers { lines.append(""); lines.append(paired) }
        if let studyBest = summaries.compactMap({ s in documented(s.key, "test_accuracy").map { (s, $0) } }).max(by: { $0.1 < $1.1 }) {
            lines.append("")
            lines.append(studyBest.0.key == best.key
                         ? "The study's best of these models was the same one (documented \(Fmt.fixed(studyBest.1, 4)))."
                         : "Among these models the study's best was \(studyBest.0.displayName) (documented \(Fmt.fixed(studyBest.1, 4))); in this run it reached \(Fmt.fixed(studyBest.0.testAccuracy, 4)).")
        }
        let substitutes = Self.substituteNote(summaries)
        if !substitutes.isEmpty { lines += ["", substitutes.trimmingCharacters(in: .whitespaces)] }
        var differences: [String] = []
        for s in summaries {
            guard let doc = documented(s.key, "test_accuracy") else { continue }
            let gap = s.testAccuracy - doc
            guard abs(gap) >= 0.05 else { continue }
            let why = reasons(for: s)
            differences.append("- **\(s.displayName)**: \(Fmt.fixed(s.testAccuracy, 4)) against the documented \(Fmt.fixed(doc, 4)) "
                               + "(\(gap > 0 ? "+" : "")\(Fmt.fixed(100 * gap, 1)) points)"
                               + (why.isEmpty ? "; this run used the study's settings, so the gap is not explained by a reduction." : "; this run differs in: \(why.joined(separator: ", ")).")
                               + (studyMetrics[s.key].map { " Scored as the study scored its own (\($0.definition.description)), this run's is \(Fmt.fixed($0.accuracy, 4))." } ?? "")
                               + (s.key == NetworkKind.simpleNN.resultsKey ? " The documented number is not a trained SimpleNN's (see above)." : "")
                               + documentedAgainstInterval(s, documented: doc))
        }
        if !differences.isEmpty {
            lines += ["", "Where this run differs from the study by 5 points or more:", ""] + differences
        }
        lines.append("")
        let accuracy = Dictionary(summaries.map { ($0.key, $0.testAccuracy) }, uniquingKeysWith: { a, _ in a })
        if let holds = studyOrderingHolds, let s = accuracy["simple_nn"], let l = accuracy["light_cnn"], let c = accuracy["cnn"] {
            let values = "SimpleNN \(Fmt.fixed(s, 4)), LightCNN \(Fmt.fixed(l, 4)), CNN \(Fmt.fixed(c, 4))"
            if holds {
                var line = "The study's ordering of its own networks, SimpleNN < LightCNN < CNN, **holds** in this run (\(values))."
                let steps = [("light_cnn", "simple_nn", "LightCNN above SimpleNN"), ("cnn", "light_cnn", "CNN above LightCNN")]
                    .compactMap { step in paired(step.0, step.1).map { (step.2, $0) } }
                if !steps.isEmpty {
                    let noisy = steps.filter { !$0.1.differ }
                    line += noisy.isEmpty
                        ? " The paired bootstrap confirms each step (" + steps.map { "\($0.0) by \($0.1.text)" }.joined(separator: "; ") + ")."
                        : " But the paired bootstrap cannot confirm " + noisy.map { "\($0.0) (\($0.1.text))" }.joined(separator: " or ")
                            + ", so that step of the ordering may be chance."
                }
                lines.append(line)
            } else {
                var why: [String] = []
                // With the paired bootstrap: is the reversal itself clear, or within the test set's noise?
                func verdict(_ a: String, _ b: String) -> String {
                    guard let p = paired(a, b) else { return "" }
                    return p.differ ? " (by \(p.text), a clear difference)" : " (\(p.text): the two cannot be told apart)"
                }
                if s >= l { why.append("SimpleNN is not below LightCNN" + verdict("simple_nn", "light_cnn")) }
                if l >= c { why.append("LightCNN is not below CNN" + verdict("light_cnn", "cnn")) }
                let settings = ["simple_nn", "light_cnn", "cnn"].compactMap { key in
                    summaries.first { $0.key == key }.map { s in (s, reasons(for: s)) }
                }.filter { !$0.1.isEmpty }.map { "\($0.0.displayName) ran with \($0.1.joined(separator: ", ")) (\($0.0.note))" }
                lines.append("The study's ordering SimpleNN < LightCNN < CNN **does not hold** in this run (\(values)): "
                             + why.joined(separator: " and ") + "."
                             + (settings.isEmpty ? "" : " In this run " + settings.joined(separator: "; ") + ", so the three did not get the study's training."))
            }
        } else {
            lines.append("The study's ordering SimpleNN < LightCNN < CNN cannot be checked: not all three networks ran.")
        }
        return lines.joined(separator: "\n")
    }

    /// Which rows ran a substitute backbone with the study's recipe, for the figure and the text.
    static func substituteNote(_ summaries: [ModelSummary]) -> String {
        let rows = summaries.compactMap { s in
            s.substituteBackbone.map { "\(s.displayName) ran \(DocumentedResults.models.first { $0.key == s.key }?.name ?? s.key)'s fine-tuning recipe on \(SubstituteBackbone.displayName($0)) with its ImageNet weights" }
        }
        guard !rows.isEmpty else { return "" }
        return " " + rows.joined(separator: "; ") + " (the study's ImageNet checkpoints cannot be downloaded here); the other networks are the study's own architectures."
    }
}
