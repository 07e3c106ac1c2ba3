import Dataset
import Foundation

extension DatasetCardPage {
    /// Shipped dataset cards: `assets/datasets/` under the resources folder.
    public static func shippedCards(resources: URL) -> URL {
        resources.appendingPathComponent("assets").appendingPathComponent("datasets")
    }

    /// The card of `run`'s dataset (its folder's `datacard.json`, else a shipped card that matches
    /// it), with the audit that the run's `audit` step left in the cache at `cacheRoot`.
    /// - Throws: `StudyError.badConfig` when a card file cannot be read.
    public static func forRun(_ run: StudyRun, resources: URL, cacheRoot: URL) throws -> DatasetCardPage {
        let located = try DatasetCard.locate(datasetRoot: run.datasetRoot, shipped: shippedCards(resources: resources),
                                             fingerprint: run.dataset.sha256)
        var audit: AuditReport?
        if let record = run.records.first(where: { $0.id == "audit" }) {
            let folder = StepCache(root: cacheRoot).entry(record.id, record.inputHash)
            audit = try? ArtifactReader(step: record.id, folder: folder).read(AuditReport.self, "audit")
        }
        return DatasetCardPage(located: located, audit: audit, fingerprint: run.dataset)
    }
}
