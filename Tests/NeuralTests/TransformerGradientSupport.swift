import Foundation
import Neural
import Tensor

/// Finite-difference check of a layer's backward pass, used by the transformer layer tests.
///
/// The scalar checked is `L = Σ y ⊙ g` for a fixed random `g`, so `dL/dy = g`. Each checked
/// coordinate of the input and of every parameter is nudged by `±h`, `L` is re-evaluated in
/// Double from the Float32 outputs, and the central difference is compared with the analytic
/// gradient. Float32 rounding limits the agreement to about 1e-3 relative, hence the tolerance.
struct TransformerGradientCheck {
    var h: Float = 1e-2
    /// Coordinates checked per tensor (spread evenly), to keep the test fast.
    var samples = 24

    /// Largest `|numeric - analytic| / max(1, |analytic|)` over the checked input and parameter coordinates.
    func worstError(_ layer: Layer, input: Tensor, seed: UInt64 = 7) -> (error: Double, where: String) {
        var g = SeededGenerator(seed: seed)
        let y0 = layer.forward(input, training: true)
        let upstream = Tensor(shape: y0.shape, data: (0..<y0.count).map { _ in Float(g.nextGaussian()) })
        for p in layer.parameters { p.grad = Tensor(zeros: p.value.shape) }
        let dx = layer.backward(upstream)
        func loss(_ x: Tensor) -> Double {
            let y = layer.forward(x, training: true)
            var s = 0.0
            for i in 0..<y.count { s += Double(y.data[i]) * Double(upstream.data[i]) }
            return s
        }
        var worst = (0.0, "")
        func indices(_ count: Int) -> [Int] {
            count <= samples ? Array(0..<count) : (0..<samples).map { min(count - 1, $0 * count / samples + ($0 % 3)) }
        }
        for i in indices(input.count) {
            var plus = input, minus = input
            plus.data[i] += h; minus.data[i] -= h
            let numeric = (loss(plus) - loss(minus)) / Double(2 * h)
            let e = abs(numeric - Double(dx.data[i])) / max(1, abs(Double(dx.data[i])))
            if e > worst.0 { worst = (e, "input[\(i)]: numeric \(numeric), analytic \(dx.data[i])") }
        }
        for p in layer.parameters {
            let analytic = p.grad
            for i in indices(p.value.count) {
                let original = p.value.data[i]
                p.value.data[i] = original + h; let lp = loss(input)
                p.value.data[i] = original - h; let lm = loss(input)
                p.value.data[i] = original
                let numeric = (lp - lm) / Double(2 * h)
                let e = abs(numeric - Double(analytic.data[i])) / max(1, abs(Double(analytic.data[i])))
                if e > worst.0 { worst = (e, "\(p.name)[\(i)]: numeric \(numeric), analytic \(analytic.data[i])") }
            }
        }
        return worst
    }
}

/// A tensor of standard-normal values scaled by `scale`.
func randomTensor(_ shape: [Int], seed: UInt64, scale: Float = 1) -> Tensor {
    var g = SeededGenerator(seed: seed)
    return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in Float(g.nextGaussian()) * scale })
}
