import Imaging

/// Whether an attribution map points at what the model uses: the deletion and insertion curves of
/// Petsiuk et al. (RISE, 2018). Pixels are taken in the map's order, most positive first.
/// Deletion blacks them out step by step and follows the probability of the explained class
/// (a faithful map makes it fall fast: small area); insertion starts from a blurred copy of the
/// image and puts the original pixels back in the same order (a faithful map makes it rise fast:
/// large area). The same curves for a random order of the same pixels are the baseline.
///
///     let order = shap.Faithfulness.ranking(map)
///     let curves = shap.Faithfulness.curves(image: bytes, side: 64, order: order, target: predicted, model: model)
///     curves.deletionArea   // 0.12
extension shap {
    public struct FaithfulnessCurves: Sendable, Codable, Equatable {
        /// Share of the pixels deleted (or inserted) at each point, 0 to 1.
        public var fractions: [Double]
        public var deletion: [Double]
        public var insertion: [Double]
        /// Trapezoidal areas under the curves over [0, 1].
        public var deletionArea: Double
        public var insertionArea: Double
    }

    public enum Faithfulness {
        /// Pixel indices by attribution, largest first (ties in pixel order).
        public static func ranking(_ map: [Double]) -> [Int] {
            map.indices.sorted { map[$0] > map[$1] || (map[$0] == map[$1] && $0 < $1) }
        }

        /// The trapezoidal area under `ys` over `xs`.
        public static func area(_ xs: [Double], _ ys: [Double]) -> Double {
            var total = 0.0
            for i in 1..<min(xs.count, ys.count) { total += (xs[i] - xs[i - 1]) * (ys[i] + ys[i - 1]) / 2 }
            return total
        }

        /// The blurred start of the insertion curve: a box blur a quarter of the image wide (odd).
        public static func blurred(_ image: [UInt8], side: Int) -> [UInt8] {
            let k = max(3, (side / 4) | 1)
            return BoxBlur.blur(image, height: side, width: side, channels: 3, kernelWidth: k, kernelHeight: k)
        }

        /// Deletion and insertion curves of one (side, side, 3) image for class `target`, pixels
        /// taken in `order` (every pixel index once), in `steps` equal steps; one batch of
        /// 2·(steps + 1) images through `model` (softmax probabilities per image).
        public static func curves(image: [UInt8], side: Int, order: [Int], target: Int, steps: Int = 20,
                                  model: PartitionExplainer.Model) -> FaithfulnessCurves {
            let pixels = side * side
            precondition(image.count == pixels * 3 && order.count == pixels, "faithfulness of a \(image.count)-byte image with \(order.count) ranked pixels for side \(side)")
            let start = blurred(image, side: side)
            var deleted = image, inserted = start
            var batch: [[UInt8]] = [deleted], insertionBatch: [[UInt8]] = [inserted]
            var done = 0
            var fractions = [0.0]
            for s in 1...steps {
                let upTo = pixels * s / steps
                for p in order[done..<upTo] {
                    for c in 0..<3 { deleted[p * 3 + c] = 0; inserted[p * 3 + c] = image[p * 3 + c] }
                }
                done = upTo
                batch.append(deleted); insertionBatch.append(inserted)
                fractions.append(Double(upTo) / Double(pixels))
            }
            let outputs = model(batch + insertionBatch).map { $0[target] }
            let deletion = Array(outputs[0...steps]), insertion = Array(outputs[(steps + 1)...])
            return FaithfulnessCurves(fractions: fractions, deletion: deletion, insertion: insertion,
                                      deletionArea: area(fractions, deletion), insertionArea: area(fractions, insertion))
        }
    }
}
