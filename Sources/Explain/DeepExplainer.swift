import Neural
import Tensor

extension shap {
    /// Port of shap's `DeepExplainer` for PyTorch (shap/explainers/_deep/deep_pytorch.py) on the
    /// study's sequential networks: DeepLIFT multipliers (rescale rule) back-propagated through a
    /// joint batch of the image repeated and the background, averaged over the background.
    ///
    /// Linear, Conv2d, BatchNorm2d (eval), AdaptiveAvgPool2d, Flatten and Dropout (eval) are linear,
    /// so their ordinary backward pass carries the multipliers (shap's `passthrough`/`linear_1d`);
    /// ReLU and MaxPool2d use the rules in `DeepLIFTRules`. The values of each image and class sum
    /// to f(x) − mean f(background) (DeepLIFT's summation to delta, per reference).
    public final class DeepExplainer {
        /// The model's layers in forward order, nested `Sequential`s flattened.
        let layers: [Layer]
        /// Background images (B, ...), the references.
        public let background: Tensor
        /// Mean model output over the background, per class: the base value.
        public let expectedValue: [Double]

        /// - Parameters: `model`, a `Sequential` (possibly nested) of supported layers, used in eval
        ///   mode; `background`, (B, C, H, W) or (B, D) reference inputs.
        public init(model: Layer, background: Tensor) throws {
            layers = try Self.flatten(model)
            precondition(background.rank >= 2 && background.shape[0] > 0, "DeepExplainer needs a non-empty background batch")
            self.background = background
            let out = model.forward(background, training: false)
            let (b, k) = (out.shape[0], out.count / out.shape[0])
            expectedValue = (0..<k).map { j in (0..<b).reduce(0.0) { $0 + Double(out.data[$1 * k + j]) } / Double(b) }
        }

        /// The number of model outputs explained (all of them).
        public var outputCount: Int { expectedValue.count }

        /// SHAP values of each image for every output: `[image][class]`, each with one image's
        /// shape (C, H, W). `progress(done, total)` counts explained images.
        public func shapValues(_ images: Tensor, progress: (Int, Int) -> Void = { _, _ in }) throws -> [[Tensor]] {
            guard images.rank == background.rank, Array(images.shape.dropFirst()) == Array(background.shape.dropFirst()) else {
                throw ExplainError.shapeMismatch("DeepExplainer: images \(images.shape) do not match background \(background.shape)")
            }
            // Multipliers only: the weights' gradients are not needed, so leave them untouched.
            let parameters = layers.flatMap(\.parameters)
            let wanted = parameters.map(\.requiresGrad)
            parameters.forEach { $0.requiresGrad = false }
            defer { zip(parameters, wanted).forEach { $0.requiresGrad = $1 } }

            let n = images.shape[0], b = background.shape[0], size = images.count / n
            var result: [[Tensor]] = []
            for i in 0..<n {
                let x = Array(images.data[(i * size)..<((i + 1) * size)])
                var joint = [Float](); joint.reserveCapacity(2 * b * size)
                for _ in 0..<b { joint += x }
                joint += background.data
                let input = Tensor(shape: [2 * b] + Array(images.shape.dropFirst()), data: joint)
                let trace = forward(input)
                var perClass: [Tensor] = []
                for k in 0..<outputCount {
                    let multipliers = backward(trace, output: k)
                    // shap: mean over the background of multiplier (reference rows) · (x − reference).
                    var phi = [Double](repeating: 0, count: size)
                    for r in 0..<b {
                        let m = (b + r) * size, ref = r * size
                        for p in 0..<size { phi[p] += Double(multipliers.data[m + p]) * Double(x[p] - background.data[ref + p]) }
                    }
                    perClass.append(Tensor(shape: Array(images.shape.dropFirst()), data: phi.map { Float($0 / Double(b)) }))
                }
                result.append(perClass)
                progress(i + 1, n)
            }
            return result
        }

        /// Inputs and outputs of every layer for one joint batch (the layers keep their own state
        /// for their backward passes).
        private func forward(_ input: Tensor) -> [(input: Tensor, output: Tensor)] {
            var h = input, trace: [(Tensor, Tensor)] = []
            for layer in layers {
                let y = layer.forward(h, training: false)
                trace.append((h, y)); h = y
            }
            return trace
        }

        /// Multipliers of output `k` with respect to the joint input.
        private func backward(_ trace: [(input: Tensor, output: Tensor)], output k: Int) -> Tensor {
            let last = trace.last!.output
            let rows = last.shape[0], width = last.count / rows
            var g = Tensor(zeros: last.shape)
            for r in 0..<rows { g.data[r * width + k] = 1 }
            for (layer, step) in zip(layers, trace).reversed() {
                switch layer {
                case is ReLU: g = DeepLIFTRules.relu(input: step.input, output: step.output, gradient: g)
                case let pool as MaxPool2d: g = DeepLIFTRules.maxPool(pool, input: step.input, output: step.output, gradient: g)
                default: g = layer.backward(g)
                }
            }
            return g
        }

        /// The leaf layers of a (nested) `Sequential`, each checked to have a rule.
        static func flatten(_ layer: Layer) throws -> [Layer] {
            if let s = layer as? Sequential { return try s.children.flatMap { try flatten($0.layer) } }
            switch layer {
            case is Linear, is Conv2d, is BatchNorm2d, is ReLU, is MaxPool2d, is AdaptiveAvgPool2d, is Flatten, is Dropout:
                return [layer]
            default:
                throw ExplainError.unsupportedLayer(String(describing: type(of: layer)))
            }
        }
    }
}
