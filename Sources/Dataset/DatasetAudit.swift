import Foundation
import Imaging
import Tensor

/// The data audit: one parallel pass that decodes every file of the dataset and measures it, then
/// the summaries of `AuditReport`. Port of the checks the documented study describes in its
/// summary (Part 1): integrity, class counts, image sizes, per-channel brightness, noise,
/// sharpness of size outliers; plus exact duplicates.
public enum DatasetAudit {
    /// Audits the dataset at `root`.
    /// - Parameters:
    ///   - root: the dataset folder (one sub-folder per class).
    ///   - documented: the counts a documented study reported, shown beside the counts found.
    ///   - progress: called with (files done, files in all) from worker threads, now and then.
    /// - Returns: the scan (usable images with labels, rejected files) and the report.
    /// - Throws: `DatasetError` when the folder is missing or holds no usable class.
    public static func run(root: URL, documented: DocumentedCounts,
                           progress: (@Sendable (Int, Int) -> Void)? = nil) throws
        -> (scan: DatasetScan, report: AuditReport) {
        let listing = try DatasetListing(root: root)
        let reporter = ProgressCounter(total: listing.files.count, callback: progress)
        let outcomes: [Result<ImageStatistics, ImageDecodingError>] = Parallel.mapDynamic(listing.files.count) { i in
            defer { reporter.step() }
            return listing.decode(i).map { ImageStatistics($0) }
        }
        let scan = try listing.assemble(outcomes.map { r in r.map { (w: $0.width, h: $0.height) } })
        let stats = outcomes.compactMap { try? $0.get() }
        return (scan, report(scan: scan, statistics: stats, totalFiles: listing.files.count, documented: documented))
    }

    /// Builds the report from a scan and the statistics of its items (same order).
    static func report(scan: DatasetScan, statistics stats: [ImageStatistics], totalFiles: Int,
                       documented: DocumentedCounts) -> AuditReport {
        precondition(stats.count == scan.items.count, "one statistics record per usable image")
        let n = scan.items.count
        let channels = ["R", "G", "B"]

        // Classes
        let counts = scan.countsPerClass
        var classSums = [[Double]](repeating: [0, 0, 0], count: scan.classNames.count)
        for (item, s) in zip(scan.items, stats) { for c in 0..<3 { classSums[item.label][c] += s.meanRGB[c] } }
        let classes = scan.classNames.enumerated().map { k, name in
            AuditReport.ClassCount(name: name, count: counts[k], share: Double(counts[k]) / Double(n),
                                   documented: documented.perClass[name],
                                   meanRGB: classSums[k].map { $0 / Double(max(1, counts[k])) })
        }

        // Sizes: most common first, ties by width then height.
        var sizeCounts: [Pair: Int] = [:]
        for item in scan.items { sizeCounts[Pair(item.width, item.height), default: 0] += 1 }
        let census = sizeCounts.sorted { a, b in
            a.value != b.value ? a.value > b.value : (a.key.a, a.key.b) < (b.key.a, b.key.b)
        }.map { AuditReport.SizeRow(width: $0.key.a, height: $0.key.b, count: $0.value, share: Double($0.value) / Double(n)) }
        let standard = census[0]
        let outlierIndices = scan.items.indices.filter { scan.items[$0].width != standard.width || scan.items[$0].height != standard.height }
        let sizeOutliers = outlierIndices.map { i in
            AuditReport.SizeOutlier(path: scan.items[i].relativePath, className: scan.classNames[scan.items[i].label],
                                    width: scan.items[i].width, height: scan.items[i].height)
        }

        // Brightness and noise, per channel, with Tukey outliers.
        func channelAnalysis(_ value: (ImageStatistics) -> [Double]) -> ([AuditReport.Summary], [AuditReport.ChannelOutlier]) {
            var summaries: [AuditReport.Summary] = [], outliers: [AuditReport.ChannelOutlier] = []
            for c in 0..<3 {
                let values = stats.map { value($0)[c] }
                let summary = Self.summary(values)
                summaries.append(summary)
                for (i, v) in values.enumerated() where v < summary.lowerFence || v > summary.upperFence {
                    outliers.append(.init(path: scan.items[i].relativePath, channel: channels[c], value: v,
                                          side: v < summary.lowerFence ? "low" : "high"))
                }
            }
            return (summaries, outliers)
        }
        let (brightness, brightnessOutliers) = channelAnalysis(\.meanRGB)
        let (noise, noiseOutliers) = channelAnalysis(\.noiseRGB)

        // Sharpness of standard images against size outliers, overall and per outlier size.
        let outlierSet = Set(outlierIndices)
        var sharpness = [AuditReport.SharpnessGroup(
            label: "\(standard.width)x\(standard.height) (standard)",
            summary: Self.summary(stats.indices.filter { !outlierSet.contains($0) }.map { stats[$0].sharpness }))]
        if !outlierIndices.isEmpty {
            sharpness.append(.init(label: "all other sizes", summary: Self.summary(outlierIndices.map { stats[$0].sharpness })))
            for row in census.dropFirst() {
                let values = outlierIndices.filter { scan.items[$0].width == row.width && scan.items[$0].height == row.height }
                    .map { stats[$0].sharpness }
                sharpness.append(.init(label: "\(row.width)x\(row.height)", summary: Self.summary(values)))
            }
        }

        // Exact duplicates by pixel hash and size.
        var groups: [HashKey: [Int]] = [:]
        for (i, s) in stats.enumerated() { groups[HashKey(hash: s.pixelHash, width: s.width, height: s.height), default: []].append(i) }
        let duplicates = groups.values.filter { $0.count > 1 }.map { members in
            AuditReport.DuplicateGroup(paths: members.map { scan.items[$0].relativePath },
                                       width: stats[members[0]].width, height: stats[members[0]].height)
        }.sorted { codePointOrder($0.paths[0], $1.paths[0]) }

        let images = zip(scan.items, stats).map { item, s in
            AuditReport.ImageRecord(path: item.relativePath, label: item.label, width: s.width, height: s.height,
                                    meanRGB: s.meanRGB, noiseRGB: s.noiseRGB, sharpness: s.sharpness)
        }
        return AuditReport(root: scan.root, totalFiles: totalFiles, validImages: n,
                           documentedTotal: documented.total, classes: classes,
                           rejected: scan.rejected, emptyClasses: scan.emptyClasses, sizeCensus: census,
                           standardWidth: standard.width, standardHeight: standard.height, sizeOutliers: sizeOutliers,
                           sizeOutlierShare: Double(sizeOutliers.count) / Double(n),
                           brightness: brightness, brightnessOutliers: brightnessOutliers,
                           noise: noise, noiseOutliers: noiseOutliers, sharpness: sharpness,
                           duplicates: duplicates, images: images)
    }

    /// Mean, standard deviation (population), quartiles as NumPy's default linear interpolation,
    /// and Tukey's fences.
    static func summary(_ values: [Double]) -> AuditReport.Summary {
        guard !values.isEmpty else {
            return .init(count: 0, mean: .nan, standardDeviation: .nan, minimum: .nan, q1: .nan, median: .nan,
                         q3: .nan, maximum: .nan, lowerFence: .nan, upperFence: .nan)
        }
        let sorted = values.sorted()
        func quantile(_ q: Double) -> Double {
            let position = q * Double(sorted.count - 1)
            let lo = Int(position.rounded(.down)), hi = min(lo + 1, sorted.count - 1)
            return sorted[lo] + (sorted[hi] - sorted[lo]) * (position - Double(lo))
        }
        let mean = values.reduce(0, +) / Double(values.count)
        let variance = values.reduce(0) { $0 + ($1 - mean) * ($1 - mean) } / Double(values.count)
        let q1 = quantile(0.25), q3 = quantile(0.75)
        return .init(count: values.count, mean: mean, standardDeviation: variance.squareRoot(), minimum: sorted[0],
                     q1: q1, median: quantile(0.5), q3: q3, maximum: sorted[sorted.count - 1],
                     lowerFence: q1 - 1.5 * (q3 - q1), upperFence: q3 + 1.5 * (q3 - q1))
    }

    private struct Pair: Hashable { var a: Int, b: Int; init(_ a: Int, _ b: Int) { self.a = a; self.b = b } }
    private struct HashKey: Hashable { var hash: UInt64, width: Int, height: Int }
}
