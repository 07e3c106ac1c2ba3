import Foundation
import Report

extension ModelEvaluation {
    /// What every model page adds after its evaluation: the bootstrap intervals, the calibration
    /// with its reliability diagram, and the gallery of the most confident mistakes (with their SHAP
    /// maps when the model is explained), plus the matching `models.<key>.*` headlines.
    func qualityCells(seed: UInt64, datasetRoot: URL, captionNote: String = "", failureMaps: FailureMaps? = nil,
                      explainedBy: String? = nil) -> (cells: [Cell], headlines: [Headline]) {
        let u = uncertainty(seed: seed)
        let cells = uncertaintyCells(u, captionNote: captionNote)
            + (FailureGallery.cells(self, datasetRoot: datasetRoot, maps: failureMaps, explainedBy: explainedBy))
        return (cells, uncertaintyHeadlines(u))
    }

    /// The same from stored thumbnails (`FailureGallery.thumbnails`): reads no file.
    func qualityCells(seed: UInt64, thumbnails: FailureThumbnails, keys: UncertaintyKeys? = nil, captionNote: String = "",
                      failureMaps: FailureMaps? = nil, explainedBy: String? = nil) -> (cells: [Cell], headlines: [Headline]) {
        let u = uncertainty(seed: seed)
        let cells = uncertaintyCells(u, captionNote: captionNote)
            + FailureGallery.cells(self, thumbnails: thumbnails, maps: failureMaps, explainedBy: explainedBy)
        return (cells, uncertaintyHeadlines(u, keys: keys ?? UncertaintyKeys(model: key)))
    }

    /// The thumbnails of this evaluation's failure gallery, read from the dataset.
    func failureThumbnails(datasetRoot: URL) -> FailureThumbnails { FailureGallery.thumbnails(self, datasetRoot: datasetRoot) }

    /// The same cells from the bootstrap `u` computed before and the gallery's thumbnails read before
    /// (a page drawn from a stored result).
    func qualityCells(_ u: ModelUncertainty, thumbnails: FailureThumbnails, captionNote: String = "", failureMaps: FailureMaps? = nil,
                      explainedBy: String? = nil) -> [Cell] {
        uncertaintyCells(u, captionNote: captionNote)
            + FailureGallery.cells(self, thumbnails: thumbnails, maps: failureMaps, explainedBy: explainedBy)
    }
}
