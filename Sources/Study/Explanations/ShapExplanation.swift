import Explain
import Foundation
import Neural
import Tensor

/// This run's SHAP explanations of one network: the explained images, one map per class (SHAP
/// values summed over the colour channels, as `shap.image_plot` draws them) and where the
/// positive attribution of the predicted class lies.
struct ShapExplanation: Sendable {
    /// The explained images as 8-bit (H, W, 3).
    var images: [[UInt8]]
    var side: Int
    /// `maps[i][k]`: image i, class k, side·side values.
    var maps: [[[Double]]]
    /// The network's predicted class per image.
    var predicted: [Int]
    /// The base value per class (deep: mean output over the background; partition: output on
    /// the fully inpainted image).
    var baseValues: [Double]
    /// Largest additivity error, |Σ values − (f(x) − base)|, over images and classes.
    var additivityError: Double

    /// Deep explainer (the study's `visualize_shap_values`): `background` and `explained` are
    /// (N, 3, side, side) in [0, 1].
    static func deep(model: Layer, background: Tensor, explained: Tensor, progress: (Int, Int) -> Void) throws -> ShapExplanation {
        let explainer = try shap.DeepExplainer(model: model, background: background)
        let values = try explainer.shapValues(explained, progress: progress)
        let outputs = model.forward(explained, training: false)
        let (n, side) = (explained.shape[0], explained.shape[2])
        let k = explainer.outputCount, plane = side * side
        var maps: [[[Double]]] = [], predicted: [Int] = [], worst = 0.0
        for i in 0..<n {
            let row = (0..<k).map { Double(outputs.data[i * k + $0]) }
            predicted.append(row.indices.max { row[$0] < row[$1] }!)
            maps.append((0..<k).map { c in
                let v = values[i][c].data
                worst = max(worst, abs(v.reduce(0.0) { $0 + Double($1) } - (row[c] - explainer.expectedValue[c])))
                return (0..<plane).map { p in Double(v[p]) + Double(v[plane + p]) + Double(v[2 * plane + p]) }
            })
        }
        let images = (0..<n).map { i in Self.bytes(explained, image: i) }
        return ShapExplanation(images: images, side: side, maps: maps, predicted: predicted,
                               baseValues: explainer.expectedValue, additivityError: worst)
    }

    /// Partition explainer (the study's `shap_partition`): the images are `np.clip(x, 0, 1) * 255`
    /// as uint8 (truncated), masker `inpaint_telea`, all outputs of the softmax.
    static func partition(model: Layer, explained: Tensor, maxEvals: Int, progress: (Int, Int) -> Void) -> ShapExplanation {
        let (n, side) = (explained.shape[0], explained.shape[2])
        let masker = shap.ImageMasker(.inpaintTelea, height: side, width: side, channels: 3)
        let explainer = shap.PartitionExplainer(model: shap.PartitionExplainer.softmaxModel(model, height: side, width: side),
                                                masker: masker)
        var maps: [[[Double]]] = [], predicted: [Int] = [], worst = 0.0, base: [Double] = []
        let images = (0..<n).map { Self.bytes(explained, image: $0) }
        for (i, image) in images.enumerated() {
            let e = explainer.explain(image, maxEvals: maxEvals)
            base = e.baseValues
            predicted.append(e.outputs.indices.max { e.outputs[$0] < e.outputs[$1] }!)
            var perClass: [[Double]] = []
            for (c, v) in e.values.enumerated() {
                let total: Double = v.reduce(0, +)
                worst = max(worst, abs(total - (e.outputs[c] - e.baseValues[c])))
                var map = [Double](repeating: 0, count: side * side)
                for p in 0..<(side * side) { map[p] = v[p * 3] + v[p * 3 + 1] + v[p * 3 + 2] }
                perClass.append(map)
            }
            maps.append(perClass)
            progress(i + 1, n)
        }
        return ShapExplanation(images: images, side: side, maps: maps, predicted: predicted, baseValues: base, additivityError: worst)
    }

    /// Image i of an (N, 3, H, W) tensor in [0, 1] as (H, W, 3) bytes, `(clip(x, 0, 1) * 255).astype(uint8)`.
    static func bytes(_ x: Tensor, image i: Int) -> [UInt8] {
        let (h, w) = (x.shape[2], x.shape[3]), plane = h * w
        var out = [UInt8](repeating: 0, count: plane * 3)
        for p in 0..<plane {
            for c in 0..<3 { out[p * 3 + c] = UInt8(min(max(x.data[(i * 3 + c) * plane + p], 0), 1) * 255) }
        }
        return out
    }

    /// Per image: the share of the predicted class's positive attribution inside the nucleus
    /// region, and the region's share of the image.
    var nucleusShares: [(inside: Double?, area: Double)] {
        images.indices.map { i in
            let region = CellRegion.nucleusMask(rgb: images[i], height: side, width: side)
            return CellRegion.positiveShare(maps[i][predicted[i]], in: region)
        }
    }
}
