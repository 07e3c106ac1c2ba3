import Dataset
import Foundation
import Report

/// The data audit (Part 1 of the documented study): decodes every file of the class folders and
/// reports the files that are not usable images, images per class beside the documented counts,
/// the size census and its outliers, per-channel brightness and noise with Tukey outliers, the
/// sharpness of size outliers against standard images, and exact duplicates.
///
/// Artifacts: `scan` (`DatasetScan`: the usable images with labels, what every later section
/// reads) and `audit` (`AuditReport`, including per-image records for figures).
public struct AuditSection: ComputedSection {
    public let id = "audit"
    public let title = "Data audit"
    public let version = 2

    public init() {}

    /// The audit always covers the whole folder, whatever the profile: only the dataset matters.
    public func inputs(_ config: StudyConfig) -> StepInputs { StepInputs() }

    /// The audit's report (headlines `dataset.valid_images`, `dataset.classes`, `audit.*`), without
    /// its per-image records (those are in the `audit` artifact), and the dataset folder's name,
    /// which the page's code cell shows.
    public struct Result: Codable, Sendable {
        public var report: AuditReport
        public var folder: String

        public init(report: AuditReport, folder: String) {
            self.report = report; self.folder = folder
        }
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let (scan, report) = try DatasetAudit.run(root: context.datasetRoot, progress: context.progressHandler)
        try context.artifacts.write(scan, as: "scan")
        try context.artifacts.write(report, as: "audit")
        for file in report.rejected {
            context.warn("skipped \(file.relativePath): \(file.reason)")
        }
        var summary = report
        summary.images = []
        return Result(report: summary, folder: context.datasetRoot.lastPathComponent)
    }

    public func page(_ result: Result) -> SectionResult {
        SectionResult(cells: Self.cells(result.report, folder: result.folder), headlines: Self.headlines(result.report))
    }

    static func headlines(_ r: AuditReport) -> [Headline] {
        [
            Headline("dataset.valid_images", .int(r.validImages)),
            Headline("dataset.classes", .int(r.classes.filter { $0.count > 0 }.count)),
            Headline("audit.rejected_files", .int(r.rejected.count), label: "Files that are not usable images"),
            Headline("audit.size_outliers", .int(r.sizeOutliers.count), label: "Images not of the most common size"),
            Headline("audit.duplicate_groups", .int(r.duplicates.count), label: "Groups of pixel-identical images"),
        ]
    }

    // MARK: Cells

    static func cells(_ r: AuditReport, folder: String) -> [Cell] {
        let n = r.validImages
        func int(_ i: Int) -> String { JSONValue.int(i).description }
        func pct(_ x: Double) -> String { String(format: "%.2f%%", 100 * x) }
        func f1(_ x: Double) -> String { String(format: "%.1f", x) }
        func f2(_ x: Double) -> String { String(format: "%.2f", x) }
        let call = "scan, report = DatasetAudit.run(root: \"\(folder)\")"

        // Integrity and class balance
        let largest = r.classes.max { $0.count < $1.count }
        let smallest = r.classes.filter { $0.count > 0 }.min { $0.count < $1.count }
        var integrity = """
            ## Integrity and class balance

            Of **\(int(r.totalFiles))** files in the class folders, **\(int(n))** decode as images and \
            \(r.rejected.count) \(r.rejected.count == 1 ? "does" : "do") not.
            """
        if let largest, let smallest {
            integrity += " The classes are imbalanced: \(largest.name) has \(int(largest.count)) images (\(pct(largest.share))), " +
                "\(smallest.name) \(int(smallest.count)) (\(pct(smallest.share))), a ratio of " +
                "\(String(format: "%.1f", Double(largest.count) / Double(max(1, smallest.count)))) to 1, so every split below is stratified by class."
        }
        var counts = r.classes.map { c in
            [c.name, int(c.count), pct(c.share), c.documented.map(int) ?? "—",
             c.documented.map { Self.signed(c.count - $0) } ?? "—"]
        }
        counts.append(["total", int(n), "100.00%", int(r.documentedTotal), Self.signed(n - r.documentedTotal)])
        var integrityOutputs: [CellOutput] = [
            .table(Table(caption: "Images per class, this run beside the documented study",
                         columns: ["Class", "Images", "Share", "Documented", "Difference"], rows: counts)),
        ]
        if !r.rejected.isEmpty {
            integrityOutputs.append(.table(Table(caption: "Files that are not usable images", columns: ["File", "Reason", "Detail"],
                                                 rows: r.rejected.map { [$0.relativePath, $0.reason, $0.detail] })))
        }
        if !r.emptyClasses.isEmpty {
            integrityOutputs.append(.warning("class folders without a usable image: \(r.emptyClasses.joined(separator: ", "))"))
        }

        // Sizes
        let sizes = """
            ## Image sizes

            The most common size is **\(r.standardWidth)x\(r.standardHeight)** pixels; \
            \(int(r.sizeOutliers.count)) images (\(pct(r.sizeOutlierShare))) have another size, in \
            \(r.sizeCensus.count - 1) other size\(r.sizeCensus.count == 2 ? "" : "s").
            """
        let census = Table(caption: "Image sizes, most common first", columns: ["Width", "Height", "Images", "Share"],
                           rows: r.sizeCensus.map { [String($0.width), String($0.height), int($0.count), pct($0.share)] })
        var outlierByClass: [String: Int] = [:]
        for o in r.sizeOutliers { outlierByClass[o.className, default: 0] += 1 }
        let outlierTable = Table(caption: "Size outliers per class", columns: ["Class", "Images"],
                                 rows: outlierByClass.sorted { $0.key < $1.key }.map { [$0.key, int($0.value)] })
        var sharpnessText = ""
        if r.sharpness.count >= 2 {
            let standard = r.sharpness[0].summary, outliers = r.sharpness[1].summary
            sharpnessText = "\n\nSharpness (variance of the Laplacian) has a median of \(f1(standard.median)) for " +
                "standard-size images and \(f1(outliers.median)) for the size outliers" +
                (outliers.median < standard.median ? ", so the outliers are somewhat less sharp." : ".")
        }
        let sharpness = Table(caption: "Sharpness (variance of the Laplacian) by size group",
                              columns: ["Group", "Images", "Median", "Mean", "Q1", "Q3"],
                              rows: r.sharpness.map { g in
                                  [g.label, int(g.summary.count), f1(g.summary.median), f1(g.summary.mean), f1(g.summary.q1), f1(g.summary.q3)]
                              })

        // Brightness and noise
        let channels = ["R", "G", "B"]
        func summaryTable(_ caption: String, _ s: [AuditReport.Summary], _ outliers: [AuditReport.ChannelOutlier],
                          format: (Double) -> String) -> Table {
            Table(caption: caption, columns: ["Channel", "Mean", "Std", "Min", "Median", "Max", "Low fence", "High fence", "Outliers"],
                  rows: zip(channels, s).map { ch, x in
                      [ch, format(x.mean), format(x.standardDeviation), format(x.minimum), format(x.median), format(x.maximum),
                       format(x.lowerFence), format(x.upperFence), int(outliers.filter { $0.channel == ch }.count)]
                  })
        }
        var brightnessText = "## Brightness and noise\n\n"
        if r.brightness.count == 3 {
            let means = r.brightness.map(\.mean)
            let order = zip(channels, means).sorted { $0.1 > $1.1 }.map(\.0)
            brightnessText += "Mean brightness per channel is R \(f1(means[0])), G \(f1(means[1])), B \(f1(means[2])) " +
                "(brightest first: \(order.joined(separator: ", "))). " +
                "\(int(Set(r.brightnessOutliers.map(\.path)).count)) images lie beyond Tukey's fences on at least one channel."
        }
        if r.noise.count == 3 {
            brightnessText += " The estimated noise sigma has a median of \(f2(r.noise[0].median)), \(f2(r.noise[1].median)) and " +
                "\(f2(r.noise[2].median)) grey levels for R, G and B; \(int(Set(r.noiseOutliers.map(\.path)).count)) images are noise outliers."
        }
        let classBrightness = Table(caption: "Mean brightness per class and channel", columns: ["Class", "R", "G", "B"],
                                    rows: r.classes.map { c in [c.name] + c.meanRGB.map(f1) })

        // Duplicates
        let duplicatesText = r.duplicates.isEmpty
            ? "## Duplicates\n\nNo two images have identical pixels."
            : "## Duplicates\n\n\(r.duplicates.count) group\(r.duplicates.count == 1 ? "" : "s") of images have identical pixels (\(int(r.duplicates.reduce(0) { $0 + $1.paths.count })) images in all)."
        var duplicateOutputs: [CellOutput] = [.text("duplicate groups: \(r.duplicates.count)")]
        if !r.duplicates.isEmpty {
            duplicateOutputs.append(.table(Table(caption: "Groups of pixel-identical images", columns: ["Images", "Size", "Files"],
                                                 rows: r.duplicates.prefix(50).map { g in
                                                     [String(g.paths.count), "\(g.width)x\(g.height)", g.paths.joined(separator: ", ")]
                                                 },
                                                 note: r.duplicates.count > 50 ? "The first 50 of \(r.duplicates.count) groups." : nil)))
        }

        return [
            .markdown(integrity),
            .code(source: call + "\nreport.classes", outputs: integrityOutputs),
            .reference(text: "We first organized the dataset and we then proceeded to validate the data's integrity. We checked for corrupted paths and analyzed image dimensions because inconsistencies can hinder analysis and model training.",
                       source: "documented study, summary of Part 1"),
            .markdown(sizes + sharpnessText),
            .code(source: "report.size_census, report.size_outliers, report.sharpness",
                  outputs: [.table(census), .table(outlierTable), .table(sharpness)]),
            .reference(text: "We identified that most images were 360x363 pixels but found some outliers with different dimensions. [...] While minor differences were noted (outliers slightly less sharp), they represented a small dataset fraction (< 3%).",
                       source: "documented study, summary of Part 1"),
            .markdown(brightnessText),
            .code(source: "report.brightness, report.noise  # per channel, Tukey fences Q1 - 1.5 IQR, Q3 + 1.5 IQR",
                  outputs: [.table(summaryTable("Mean brightness of an image, per channel (grey levels)", r.brightness, r.brightnessOutliers, format: f1)),
                            .table(classBrightness),
                            .table(summaryTable("Estimated noise sigma of an image, per channel (grey levels)", r.noise, r.noiseOutliers, format: f2))]),
            .reference(text: "We also analyzed color channel brightness, confirming a reddish hue typical of staining and identifying brightness outliers, which upon inspection appeared to be valid extremes (e.g., very dark or sparse images) rather than errors, justifying their retention. [...] The analysis showed consistently low noise across the dataset.",
                       source: "documented study, summary of Part 1"),
            .markdown(duplicatesText),
            .code(source: "report.duplicates", outputs: duplicateOutputs),
        ]
    }

    static func signed(_ n: Int) -> String { n == 0 ? "0" : (n > 0 ? "+" : "-") + JSONValue.int(abs(n)).description }
}
