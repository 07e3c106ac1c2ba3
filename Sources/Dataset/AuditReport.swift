/// Everything the data audit found, structured for tables and figures ("Part 1" of the study:
/// integrity, class balance, sizes, brightness, noise, sharpness of size outliers, duplicates).
/// Paths are relative to the dataset folder. `text` renders it for the terminal.
public struct AuditReport: Sendable, Codable {
    /// Images in one class, beside the documented study's count.
    public struct ClassCount: Sendable, Codable, Equatable {
        public var name: String
        public var count: Int
        /// `count / validImages`.
        public var share: Double
        /// The documented study's count for this class, when the name is one of its eight.
        public var documented: Int?
        /// Mean R, G, B of the class's images (grey levels).
        public var meanRGB: [Double]
    }

    /// Images of one width x height.
    public struct SizeRow: Sendable, Codable, Equatable {
        public var width: Int
        public var height: Int
        public var count: Int
        public var share: Double
    }

    /// An image whose size differs from the most common one.
    public struct SizeOutlier: Sendable, Codable, Equatable {
        public var path: String
        public var className: String
        public var width: Int
        public var height: Int
    }

    /// Distribution of one measurement over the images, with Tukey's fences (Q1 - 1.5 IQR,
    /// Q3 + 1.5 IQR) that define its outliers.
    public struct Summary: Sendable, Codable, Equatable {
        public var count: Int
        public var mean: Double
        public var standardDeviation: Double
        public var minimum: Double
        public var q1: Double
        public var median: Double
        public var q3: Double
        public var maximum: Double
        public var lowerFence: Double
        public var upperFence: Double
    }

    /// One image beyond a fence of one channel's measurement.
    public struct ChannelOutlier: Sendable, Codable, Equatable {
        public var path: String
        /// "R", "G" or "B".
        public var channel: String
        public var value: Double
        /// "low" or "high".
        public var side: String
    }

    /// Sharpness of the images of one size group.
    public struct SharpnessGroup: Sendable, Codable, Equatable {
        /// "360x363 (standard)" or "366x369".
        public var label: String
        public var summary: Summary
    }

    /// Images with identical pixels.
    public struct DuplicateGroup: Sendable, Codable, Equatable {
        public var paths: [String]
        public var width: Int
        public var height: Int
    }

    /// Per-image values, in scan order, for histograms and scatter plots.
    public struct ImageRecord: Sendable, Codable, Equatable {
        public var path: String
        public var label: Int
        public var width: Int
        public var height: Int
        public var meanRGB: [Double]
        public var noiseRGB: [Double]
        public var sharpness: Double
    }

    /// The dataset folder (absolute).
    public var root: String
    /// Entries found in the class folders, usable or not.
    public var totalFiles: Int
    public var validImages: Int
    /// Documented total of the study (17,092), for comparison.
    public var documentedTotal: Int
    public var classes: [ClassCount]
    public var rejected: [DatasetScan.RejectedFile]
    public var emptyClasses: [String]

    /// Sizes, most common first.
    public var sizeCensus: [SizeRow]
    /// The most common size.
    public var standardWidth: Int
    public var standardHeight: Int
    public var sizeOutliers: [SizeOutlier]
    /// `sizeOutliers.count / validImages`.
    public var sizeOutlierShare: Double

    /// Per-channel (R, G, B) distribution of image mean brightness.
    public var brightness: [Summary]
    public var brightnessOutliers: [ChannelOutlier]
    /// Per-channel (R, G, B) distribution of the estimated noise sigma.
    public var noise: [Summary]
    public var noiseOutliers: [ChannelOutlier]
    /// Sharpness (Laplacian variance): standard-size images, all size outliers, then each outlier size.
    public var sharpness: [SharpnessGroup]
    public var duplicates: [DuplicateGroup]
    public var images: [ImageRecord]
}
