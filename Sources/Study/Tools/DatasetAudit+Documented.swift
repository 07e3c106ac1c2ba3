import Dataset
import Foundation

extension DatasetAudit {
    /// The data audit of `root` beside the documented study's counts (`DocumentedResults.auditCounts`).
    public static func run(root: URL, progress: (@Sendable (Int, Int) -> Void)? = nil) throws
        -> (scan: DatasetScan, report: AuditReport) {
        try run(root: root, documented: DocumentedResults.auditCounts, progress: progress)
    }
}
