import Foundation
import Report
import Tensor

/// Turns a finished `StudyRun` into the site document: front-page cards, the results table
/// (documented value beside this run's), the deviations table and one notebook section per step.
public enum StudyReport {
    /// Builds the site document. `dataset` is the dataset card with this run's audit; without
    /// one, the card is looked up in the dataset folder only (no shipped cards, no audit facts).
    public static func document(for run: StudyRun, profileDeviations: [Deviation],
                                dataset: DatasetCardPage? = nil) throws -> SiteDocument {
        let dataset = try dataset ?? DatasetCardPage(
            located: DatasetCard.locate(datasetRoot: run.datasetRoot, shipped: nil, fingerprint: run.dataset.sha256),
            audit: nil, fingerprint: run.dataset)
        let card = dataset.located.card
        let deviations = ranDeviations(run, profileDeviations: profileDeviations)
        let results = ResultsFile(run: run, deviations: deviations)
        let pages = run.sections.filter { run.pages.contains($0.id) }.map { section in
            var cells = run.results[section.id]?.cells ?? []
            if let model = ModelCard(section: section, run: run, deviations: deviations, dataset: dataset) {
                cells += model.cells
            }
            return NotebookSection(id: section.id, title: section.title, cells: cells.map { credited($0, by: card) })
        }
        let notebook = Notebook(
            title: card.siteTitle,
            abstract: abstract(run, results: results, dataset: card),
            sections: [dataset.section] + pages)
        return SiteDocument(
            notebook: notebook,
            cards: [dataset.frontCard, runCard(run)],
            results: resultsTable(results),
            deviations: deviations.isEmpty ? nil : Table(
                caption: "Settings of this run (profile \(run.profile.rawValue)) that differ from the documented study",
                columns: ["Step", "What", "Documented", "This run", "Why"],
                rows: deviations.map { [$0.stepTitle ?? "", $0.what, $0.documented, $0.thisRun, $0.why] }),
            resultsJSON: try results.jsonData(),
            footer: card.creditLine,
            steps: stepsTable(run))
    }

    /// A cell with `ImageCredit.placeholder` in its figure captions replaced by the card's credit.
    static func credited(_ cell: Cell, by card: DatasetCard) -> Cell {
        guard case let .code(source, outputs) = cell else { return cell }
        return .code(source: source, outputs: outputs.map { output in
            guard case var .figure(figure) = output, figure.caption.contains(ImageCredit.placeholder) else { return output }
            figure.caption = figure.caption.replacingOccurrences(of: ImageCredit.placeholder, with: card.figureCredit)
            return .figure(figure)
        })
    }

    /// The deviations of steps that ran, each naming its step: a profile setting is kept only when
    /// a step of this run reads it (the first such step in run order owns the row), then each
    /// step's own deviations.
    static func ranDeviations(_ run: StudyRun, profileDeviations: [Deviation]) -> [Deviation] {
        let settings = profileDeviations.compactMap { deviation -> Deviation? in
            guard let step = run.sections.first(where: { deviation.isClaimed(by: run.configKeys[$0.id] ?? []) })
            else { return nil }
            return deviation.attributed(to: step.id, title: step.title)
        }
        let reported = run.sections.flatMap { step in
            (run.results[step.id]?.deviations ?? []).map { $0.attributed(to: step.id, title: step.title) }
        }
        return settings + reported
    }

    /// The opening paragraph, stating only what this run did.
    static func abstract(_ run: StudyRun, results: ResultsFile, dataset: DatasetCard) -> String {
        let computed = results.results.values.filter { !$0.thisRun.isNull }.count
        return """
            This site recomputes, from the raw images, a documented machine-learning study of microscope \
            images of eight kinds of normal blood cells. This run read the images of **\(dataset.name)** \
            ([dataset card](\(DatasetCardPage.id).html)), used the **\(run.profile.rawValue)** profile \
            with seed \(run.seed) (\(run.config.summary.trimmingCharacters(in: .punctuationCharacters))) and \
            ran \(run.records.count) section\(run.records.count == 1 ? "" : "s") and produced \(computed) of the headline numbers below. \
            Each number is shown beside the value the documented study printed; statements quoted from the \
            documented study are marked as such and are not findings of this run. The same content is \
            available as a Jupyter notebook ([study.ipynb](study.ipynb)) and as [results.json](results.json).
            """
    }

    static func runCard(_ run: StudyRun) -> Card {
        let rows: [(key: String, value: String)] = [
            ("Profile", run.profile.rawValue),
            ("Seed", String(run.seed)),
            ("Dataset hash", run.dataset.short),
            ("bloodstudy", StudyVersion.program),
            ("Swift", StudyVersion.swift),
            ("System", ProcessInfo.processInfo.operatingSystemVersionString),
            ("Matrix products", "float32 by \(GEMMBackend.current.rawValue); the rest by OpenBLAS (\(BLASKernelSelection.core ?? "kernels unknown"))"),
            ("Started", ISO8601DateFormatter().string(from: run.startedAt)),
            ("Wall time", ProgressReporter.duration(run.wallSeconds)),
            ("Cache", "\(run.cachedCount) of \(run.records.count) steps reused from the cache"),
        ]
        return Card(title: "This run", rows: rows, note: "The time of each step is in the table under the cards.")
    }

    /// Wall time of every step, one row each (the run card stays short).
    static func stepsTable(_ run: StudyRun) -> Table? {
        guard !run.records.isEmpty else { return nil }
        return Table(
            caption: "Time per step in this run",
            columns: ["Step", "Time", "How", "Computed in"],
            rows: run.records.map { record in
                [record.title, ProgressReporter.duration(record.seconds), record.cached ? "cached" : "computed",
                 ProgressReporter.duration(record.computeSeconds)]
            },
            note: "A cached step's time is the time to load its results; “Computed in” is the time it took when it was computed.")
    }

    static func resultsTable(_ results: ResultsFile) -> Table {
        let order = DocumentedResults.entries.map(\.key)
        let extra = results.results.keys.filter { !order.contains($0) }.sorted()
        let rows = (order + extra).compactMap { key -> [String]? in
            guard let value = results.results[key] else { return nil }
            return [value.label, value.documented.description,
                    value.thisRun.isNull ? "not computed" : value.thisRun.description, key]
        }
        return Table(caption: "Headline numbers: the documented study beside this run",
                     columns: ["Result", "Documented study", "This run", "Key in results.json"], rows: rows,
                     note: "“not computed” marks numbers this run's sections do not produce yet; “—” marks numbers the documented study does not state.")
    }
}
