import Dataset
import Foundation
import Report

/// Counts the files of each class folder and checks that each starts like a JPEG, beside the
/// counts the documented study reports. It reads only the first bytes of each file; decoding
/// every image is the data audit's job.
public struct InventorySection: StudySection {
    public let id = "inventory"
    public let title = "Dataset inventory"
    public let version = 1

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs { StepInputs() }

    /// One class folder's files (names relative to the class folder, sorted).
    public struct ClassFiles: Codable, Sendable, Equatable {
        public var label: String
        public var files: [String]
    }

    public func run(_ context: StudyContext) throws -> SectionResult {
        let fm = FileManager.default
        let root = context.datasetRoot
        let folders = try fm.contentsOfDirectory(atPath: root.path).filter { !$0.hasPrefix(".") }.sorted()
        let known = Set(BloodCellClass.allCases.map(\.rawValue))
        for folder in folders where !known.contains(folder) {
            context.warn("folder '\(folder)' is not one of the eight classes; it is ignored")
        }
        var inventory: [ClassFiles] = []
        var skipped: [(String, String)] = []
        let classes = BloodCellClass.allCases
        for (k, cls) in classes.enumerated() {
            let folder = root.appendingPathComponent(cls.rawValue)
            let names = ((try? fm.contentsOfDirectory(atPath: folder.path)) ?? []).sorted()
            if names.isEmpty { context.warn("class folder '\(cls.rawValue)' is missing or empty") }
            var files: [String] = []
            for name in names {
                let path = folder.appendingPathComponent(name).path
                if Self.startsLikeJPEG(path) {
                    files.append(name)
                } else {
                    skipped.append(("\(cls.rawValue)/\(name)", name.hasPrefix(".") ? "hidden file without a JPEG signature" : "no JPEG signature"))
                }
            }
            inventory.append(ClassFiles(label: cls.rawValue, files: files))
            context.progress(k + 1, classes.count)
        }
        try context.artifacts.write(inventory, as: "inventory")

        let total = inventory.reduce(0) { $0 + $1.files.count }
        let rows = zip(classes, inventory).map { cls, entry in
            [cls.rawValue, JSONValue.int(entry.files.count).description, JSONValue.int(cls.documentedCount).description,
             Self.signed(entry.files.count - cls.documentedCount)]
        } + [["total", JSONValue.int(total).description, JSONValue.int(BloodCellClass.documentedTotal).description,
              Self.signed(total - BloodCellClass.documentedTotal)]]
        let table = Table(caption: "Image files per class folder beside the documented counts",
                          columns: ["Class", "Files (this run)", "Documented", "Difference"], rows: rows)
        let largest = zip(classes, inventory).max { $0.1.files.count < $1.1.files.count }!
        let smallest = zip(classes, inventory).min { $0.1.files.count < $1.1.files.count }!
        var narrative = """
            The dataset folder holds **\(JSONValue.int(total).description)** files that start with a JPEG signature, \
            in \(inventory.filter { !$0.files.isEmpty }.count) class folders. The largest class is \
            \(largest.0.rawValue) (\(JSONValue.int(largest.1.files.count).description) files), the smallest \
            \(smallest.0.rawValue) (\(JSONValue.int(smallest.1.files.count).description)), a ratio of \
            \(String(format: "%.1f", Double(largest.1.files.count) / Double(max(1, smallest.1.files.count)))) to 1, \
            so the split below is stratified by class.
            """
        if !skipped.isEmpty {
            narrative += "\n\n\(skipped.count) file\(skipped.count == 1 ? " was" : "s were") skipped because \(skipped.count == 1 ? "it does" : "they do") not start like a JPEG image; the table after the code lists \(skipped.count == 1 ? "it" : "them")."
        }
        var outputs: [CellOutput] = [.table(table)]
        if !skipped.isEmpty {
            outputs.append(.table(Table(caption: "Files skipped", columns: ["File", "Why"], rows: skipped.map { [$0.0, $0.1] })))
        }
        return SectionResult(
            cells: [
                .markdown("## Files per class\n\n" + narrative),
                .code(source: "inventory = count_class_files(\"\(root.lastPathComponent)\", classes=\(classes.map(\.rawValue)))",
                      outputs: outputs),
                .reference(text: "Dataset shape: (17092, 2). Value counts: neutrophil 3329, eosinophil 3117, ig 2895, platelet 2348, erythroblast 1551, monocyte 1420, basophil 1218, lymphocyte 1214.",
                           source: "documented study, In [170]"),
            ],
            headlines: [
                Headline("dataset.classes", .int(inventory.filter { !$0.files.isEmpty }.count)),
                Headline("dataset.image_files", .int(total), label: "Files with a JPEG signature"),
            ])
    }

    /// Whether the file begins with the JPEG start-of-image marker `FF D8 FF`.
    static func startsLikeJPEG(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        let head = (try? handle.read(upToCount: 3)) ?? Data()
        return head.count == 3 && head[head.startIndex] == 0xFF && head[head.startIndex + 1] == 0xD8
            && head[head.startIndex + 2] == 0xFF
    }

    static func signed(_ n: Int) -> String { n == 0 ? "0" : (n > 0 ? "+" : "-") + JSONValue.int(abs(n)).description }
}
