/// The eight classes of the PBC dataset as the study names them (folder names), with the image
/// counts the documented study reports. Those counts are reference values shown beside a run's
/// own; nothing is computed from them.
public enum BloodCellClass: String, CaseIterable, Sendable {
    case basophil, eosinophil, erythroblast, ig, lymphocyte, monocyte, neutrophil, platelet

    /// Images of this class in the documented study (`df['label'].value_counts()`).
    public var documentedCount: Int {
        switch self {
        case .basophil: 1218
        case .eosinophil: 3117
        case .erythroblast: 1551
        case .ig: 2895
        case .lymphocyte: 1214
        case .monocyte: 1420
        case .neutrophil: 3329
        case .platelet: 2348
        }
    }

    /// Total images in the documented study.
    public static let documentedTotal = 17_092
}
