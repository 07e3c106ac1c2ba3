import Dataset
import Foundation
import Report

/// The images the exploratory analyses use, in row order of every EDA matrix (written by the
/// `hog` step as `sample.json`, read by the PCA, t-SNE, k-means and neighbour steps).
public struct EDASample: Codable, Sendable, Equatable {
    /// Class names; `labels` index into them.
    public var classes: [String]
    /// Paths relative to the dataset folder, one per row.
    public var paths: [String]
    /// Class index per row.
    public var labels: [Int]

    public var count: Int { paths.count }
    /// Class name per row.
    public var labelNames: [String] { labels.map { classes[$0] } }

    /// Every readable image of `scan`, or a seeded sample of `perClass` per class when
    /// `perClass` > 0 (sorted by path within a class, so the order does not depend on the draw).
    static func draw(from scan: DatasetScan, perClass: Int, using generator: inout some RandomNumberGenerator) -> EDASample {
        var paths: [String] = [], labels: [Int] = []
        for k in scan.classNames.indices {
            var members = scan.items.filter { $0.label == k }.map(\.relativePath)
            if perClass > 0 && members.count > perClass {
                members = Array(members.shuffled(using: &generator).prefix(perClass)).sorted()
            }
            paths += members
            labels += Array(repeating: k, count: members.count)
        }
        return EDASample(classes: scan.classNames, paths: paths, labels: labels)
    }

    /// The per-class limit of the EDA sample: the smaller of `data.images_per_class` and
    /// `eda.images_per_class` that is set (0, all images, when neither is).
    static func perClassLimit(_ config: StudyConfig) -> Int {
        [config.data.imagesPerClass, config.eda.imagesPerClass].filter { $0 > 0 }.min() ?? 0
    }

    /// "all 17,092 images" or "a seeded sample of 40 images per class (320 in all)".
    func describe(perClass: Int) -> String {
        perClass > 0
            ? "a seeded sample of \(perClass) images per class (\(Fmt.int(count)) in all)"
            : "all \(Fmt.int(count)) readable images"
    }
}

/// Number formatting shared by the EDA sections.
enum Fmt {
    static func int(_ n: Int) -> String { JSONValue.int(n).description }
    static func fixed(_ x: Double, _ digits: Int = 3) -> String { String(format: "%.\(digits)f", x) }
    static func seconds(_ s: Double) -> String { ProgressReporter.duration(s) }
}
