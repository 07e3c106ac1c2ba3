import Neural
import Tensor

/// Finite-difference gradient checks for layers.
///
/// The scalar checked is L = Σ y · R for a fixed random R of the output's shape, so dL/dy = R and
/// `backward(R)` must return dL/dx and accumulate dL/dθ. The numerical side is the central
/// difference (L(v + ε) − L(v − ε)) / 2ε with the layer run in Float32 and L summed in Double;
/// its error is O(ε²) truncation plus about 1e-7·|L|/ε rounding, so with ε = 1e-2 and values of
/// order one a gradient entry is trusted to about 1e-3 of the largest entry; the tests allow 1e-2.
enum GradientCheck {
    struct Report: CustomStringConvertible {
        /// max |numerical − analytic| / max |analytic|, for the input and for each parameter by name.
        var input: Double
        var parameters: [String: Double]
        var worst: Double { max(input, parameters.values.max() ?? 0) }
        var description: String { "input \(input), parameters \(parameters)" }
    }

    static func random(_ shape: [Int], seed: UInt64, scale: Double = 1) -> Tensor {
        var g = SeededGenerator(seed: seed)
        return Tensor(shape: shape, data: (0..<shape.reduce(1, *)).map { _ in Float(g.nextGaussian() * scale) })
    }

    /// Checks `layer` at `input`. `prepare` runs before every forward (e.g. to reseed dropout).
    static func check(_ layer: Layer, input: Tensor, training: Bool = true, eps: Float = 1e-2,
                      prepare: () -> Void = {}) -> Report {
        prepare()
        let y = layer.forward(input, training: training)
        let r = random(y.shape, seed: 99)
        func loss(_ x: Tensor) -> Double {
            prepare()
            let out = layer.forward(x, training: training)
            return zip(out.data, r.data).reduce(0.0) { $0 + Double($1.0) * Double($1.1) }
        }
        for p in layer.parameters { p.grad = Tensor(zeros: p.value.shape) }
        prepare()
        _ = layer.forward(input, training: training)
        let dx = layer.backward(r)
        func relativeError(_ numeric: [Double], _ analytic: [Float]) -> Double {
            let scale = max(analytic.map { Double(abs($0)) }.max() ?? 0, 1e-6)
            return zip(numeric, analytic).map { abs($0 - Double($1)) }.max().map { $0 / scale } ?? 0
        }
        var x = input
        var numericX = [Double](repeating: 0, count: x.count)
        for i in 0..<x.count {
            let v = x.data[i]
            x.data[i] = v + eps; let up = loss(x)
            x.data[i] = v - eps; let down = loss(x)
            x.data[i] = v
            numericX[i] = (up - down) / Double(2 * eps)
        }
        var parameterErrors: [String: Double] = [:]
        for p in layer.parameters {
            let analytic = p.grad.data
            var numeric = [Double](repeating: 0, count: p.value.count)
            for i in 0..<p.value.count {
                let v = p.value.data[i]
                p.value.data[i] = v + eps; let up = loss(input)
                p.value.data[i] = v - eps; let down = loss(input)
                p.value.data[i] = v
                numeric[i] = (up - down) / Double(2 * eps)
            }
            parameterErrors[p.name] = relativeError(numeric, analytic)
        }
        return Report(input: relativeError(numericX, dx.data), parameters: parameterErrors)
    }
}
