import Foundation
import Report
import Tensor

/// Turns a finished `StudyRun` into the site document: front-page cards, the results table
/// (documented value beside this run's), the deviations table and one notebook section per step.
public enum StudyReport {
    public static let title = "Blood-cell images: the study, recomputed"

    /// Credit and licence of the dataset, shown on every page.
    public static let credit = "Images: PBC dataset of normal peripheral blood cells, Acevedo A., Merino A., Alférez S., Molina Á., Boldú L., Rodellar J. (2020), Data in Brief 30, 105474, DOI 10.17632/snkd93bnjr.1, licence CC BY 4.0."

    public static func document(for run: StudyRun, profileDeviations: [Deviation]) throws -> SiteDocument {
        let deviations = ranDeviations(run, profileDeviations: profileDeviations)
        let results = ResultsFile(run: run, deviations: deviations)
        let notebook = Notebook(
            title: title,
            abstract: abstract(run, results: results),
            sections: run.sections.filter { run.pages.contains($0.id) }.map { section in
                NotebookSection(id: section.id, title: section.title, cells: run.results[section.id]?.cells ?? [])
            })
        return SiteDocument(
            notebook: notebook,
            cards: [datasetCard(run), runCard(run)],
            results: resultsTable(results),
            deviations: deviations.isEmpty ? nil : Table(
                caption: "Settings of this run (profile \(run.profile.rawValue)) that differ from the documented study",
                columns: ["Step", "What", "Documented", "This run", "Why"],
                rows: deviations.map { [$0.stepTitle ?? "", $0.what, $0.documented, $0.thisRun, $0.why] }),
            resultsJSON: try results.jsonData(),
            footer: credit)
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
    static func abstract(_ run: StudyRun, results: ResultsFile) -> String {
        let computed = results.results.values.filter { !$0.thisRun.isNull }.count
        return """
            This site recomputes, from the raw images, a documented machine-learning study of microscope \
            images of eight kinds of normal blood cells. This run used the **\(run.profile.rawValue)** profile \
            with seed \(run.seed) (\(run.config.summary.trimmingCharacters(in: .punctuationCharacters))) and \
            ran \(run.records.count) section\(run.records.count == 1 ? "" : "s") and produced \(computed) of the headline numbers below. \
            Each number is shown beside the value the documented study printed; statements quoted from the \
            documented study are marked as such and are not findings of this run. The same content is \
            available as a Jupyter notebook ([study.ipynb](study.ipynb)) and as [results.json](results.json).
            """
    }

    static func datasetCard(_ run: StudyRun) -> Card {
        Card(title: "Dataset", rows: [
            ("Name", "PBC dataset of normal peripheral blood cells"),
            ("Authors", "Acevedo, Merino, Alférez, Molina, Boldú, Rodellar (2020)"),
            ("Published", "Data in Brief 30, 105474; Mendeley Data"),
            ("DOI", "10.17632/snkd93bnjr.1"),
            ("Licence", "CC BY 4.0"),
            ("Files in folder", JSONValue.int(run.dataset.files).description),
            ("Folder fingerprint", run.dataset.short),
        ], note: "Images are © their authors under CC BY 4.0 and are credited wherever the report shows them. They are never copied into the repository.")
    }

    static func runCard(_ run: StudyRun) -> Card {
        var rows: [(key: String, value: String)] = [
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
        for record in run.records {
            let time = record.cached
                ? "\(ProgressReporter.duration(record.seconds)) (cached; computed in \(ProgressReporter.duration(record.computeSeconds)))"
                : "\(ProgressReporter.duration(record.seconds)) (computed)"
            rows.append(("Time: \(record.title)", time))
        }
        return Card(title: "This run", rows: rows)
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
