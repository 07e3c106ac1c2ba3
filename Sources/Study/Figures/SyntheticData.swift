import Foundation
import Dataset
import Plot
import Tensor

/// Made-up but plausible data for the gallery and the tests: clustered embeddings, ROC curves,
/// training histories and blood-cell-like images. Deterministic for a seed.
public enum SyntheticData {
    /// The eight PBC class names.
    public static let classes = BloodCellClass.allCases.map(\.rawValue)

    /// `count` points in Gaussian clusters, one per class; returns x, y and the class of each point.
    public static func clusters(count: Int, classes: [String] = classes, spread: Double = 1,
                                using g: inout SeededGenerator) -> (x: [Double], y: [Double], labels: [String]) {
        let centres = classes.indices.map { k -> (Double, Double) in
            let angle = Double(k) / Double(classes.count) * 2 * .pi
            return (cos(angle) * 6 + g.nextGaussian(), sin(angle) * 4 + g.nextGaussian())
        }
        var x: [Double] = [], y: [Double] = [], labels: [String] = []
        x.reserveCapacity(count); y.reserveCapacity(count); labels.reserveCapacity(count)
        for i in 0..<count {
            // Unequal class sizes, like the dataset.
            let k = (i * 7 + i / 3) % classes.count
            x.append(centres[k].0 + g.nextGaussian() * spread * 1.4)
            y.append(centres[k].1 + g.nextGaussian() * spread)
            labels.append(classes[k])
        }
        return (x, y, labels)
    }

    /// A smooth ROC curve of roughly the given AUC, with thresholds falling from 1 to 0.
    public static func rocCurve(name: String, quality: Double, points: Int = 60) -> ROCCurve {
        // tpr = fpr^(1/q): concave for q > 1; AUC = q / (q + 1).
        var fpr: [Double] = [], tpr: [Double] = [], th: [Double] = []
        for i in 0..<points {
            let f = pow(Double(i) / Double(points - 1), 2)
            fpr.append(f); tpr.append(pow(f, 1 / quality)); th.append(1 - pow(Double(i) / Double(points - 1), 3 / quality))
        }
        return ROCCurve(name: name, fpr: fpr, tpr: tpr, thresholds: th, auc: quality / (quality + 1))
    }

    /// A training history over `epochs` epochs that converges with some noise.
    public static func history(epochs: Int, using g: inout SeededGenerator) -> TrainingHistory {
        func curve(_ start: Double, _ end: Double, _ noise: Double) -> [Double] {
            (0..<epochs).map { e in
                let t = 1 - exp(-Double(e) / Double(max(epochs, 2)) * 4)
                return start + (end - start) * t + g.nextGaussian() * noise
            }
        }
        return TrainingHistory(trainLoss: curve(2.0, 0.15, 0.02), validationLoss: curve(1.9, 0.3, 0.04),
                               trainAccuracy: curve(0.3, 0.97, 0.005), validationAccuracy: curve(0.35, 0.92, 0.01),
                               validationPrecision: curve(0.3, 0.91, 0.01), validationRecall: curve(0.32, 0.9, 0.01),
                               validationF1: curve(0.31, 0.905, 0.01))
    }

    /// A confusion matrix with most counts on the diagonal.
    public static func confusion(classes: Int, perClass: Int = 250, using g: inout SeededGenerator) -> [[Double]] {
        (0..<classes).map { r in
            var row = [Double](repeating: 0, count: classes)
            var left = perClass
            for k in 0..<classes where k != r {
                let n = Int(abs(g.nextGaussian()) * 4)
                row[k] = Double(n); left -= n
            }
            row[r] = Double(max(left, 0))
            return row
        }
    }

    /// A blood-smear-like RGB image: pink background, pale red cells and one purple nucleus.
    public static func cellImage(size: Int = 64, using g: inout SeededGenerator) -> Raster {
        var px = [UInt8](repeating: 0, count: size * size * 3)
        let s = Double(size)
        var blobs: [(Double, Double, Double, (Double, Double, Double))] = []
        for _ in 0..<5 {
            blobs.append((Double.random(in: 0...s, using: &g), Double.random(in: 0...s, using: &g), s * 0.16, (225, 170, 160)))
        }
        blobs.append((s / 2 + g.nextGaussian() * 2, s / 2 + g.nextGaussian() * 2, s * 0.28, (205, 185, 215)))
        blobs.append((s / 2 + g.nextGaussian() * 3, s / 2 + g.nextGaussian() * 3, s * 0.17, (95, 45, 135)))
        for y in 0..<size {
            for x in 0..<size {
                var c = (238.0, 215.0, 205.0)
                for b in blobs {
                    let d = ((Double(x) - b.0) * (Double(x) - b.0) + (Double(y) - b.1) * (Double(y) - b.1)).squareRoot()
                    let w = max(0, min(1, (b.2 - d) / 1.5))
                    c = (c.0 + (b.3.0 - c.0) * w, c.1 + (b.3.1 - c.1) * w, c.2 + (b.3.2 - c.2) * w)
                }
                let i = (y * size + x) * 3
                px[i] = UInt8(max(0, min(255, c.0 + g.nextGaussian() * 3)))
                px[i + 1] = UInt8(max(0, min(255, c.1 + g.nextGaussian() * 3)))
                px[i + 2] = UInt8(max(0, min(255, c.2 + g.nextGaussian() * 3)))
            }
        }
        return Raster(width: size, height: size, channels: 3, pixels: px)
    }

    /// A SHAP-like map: positive over the image's dark (nucleus) pixels for `positive`, negative
    /// elsewhere, plus noise.
    public static func shapMap(for image: Raster, positive: Bool, strength: Double,
                               using g: inout SeededGenerator) -> [Double] {
        let grey = image.grey
        return grey.pixels.map { p in
            let dark = Double(255 - Int(p)) / 255
            return (positive ? 1 : -0.6) * strength * max(0, dark - 0.3) + g.nextGaussian() * strength * 0.03
        }
    }
}
