/// The eight classes of the PBC dataset as the study names them (folder names).
///
/// What the documented study reported about them (its image counts) lives in the study's table
/// of documented values (`Study.DocumentedResults.classCounts`); this module knows the data, not
/// the study, and takes those counts as `DocumentedCounts` where it shows them.
public enum BloodCellClass: String, CaseIterable, Sendable {
    case basophil, eosinophil, erythroblast, ig, lymphocyte, monocyte, neutrophil, platelet
}

/// Image counts a documented study reported for a dataset, shown by the audit beside the counts
/// it finds. Reference values only: nothing is computed from them.
public struct DocumentedCounts: Sendable, Equatable {
    /// Images per class folder name.
    public var perClass: [String: Int]
    /// Images in all.
    public var total: Int

    public init(perClass: [String: Int], total: Int) {
        self.perClass = perClass
        self.total = total
    }
}
