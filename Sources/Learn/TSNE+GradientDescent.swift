import Foundation
import Tensor

/// t-SNE's optimiser: gradient descent with momentum and per-coordinate adaptive gains
/// (Jacobs 1988, "delta-bar-delta"), a port of `_gradient_descent` in sklearn/manifold/_t_sne.py.
struct TSNEGradientDescent {
    let affinities: SparseAffinities
    let angle: Double
    let learningRate: Double
    let checkInterval: Int
    let minGradientNorm: Double
    let totalIterations: Int
    let progress: ((Int, Int) -> Void)?
    var objective = BarnesHutGradient()

    init(affinities: SparseAffinities, angle: Double, learningRate: Double, checkInterval: Int,
         minGradientNorm: Double, totalIterations: Int, progress: ((Int, Int) -> Void)?) {
        self.affinities = affinities; self.angle = angle; self.learningRate = learningRate
        self.checkInterval = checkInterval; self.minGradientNorm = minGradientNorm
        self.totalIterations = totalIterations; self.progress = progress
    }

    /// Runs iterations `start..<end`; returns the last KL divergence evaluated and the index of the
    /// last iteration run (sklearn's `it`).
    mutating func run(_ positions: inout [Double], from start: Int, to end: Int, momentum: Double,
                      exaggeration: Double, patience: Int) -> (error: Double, lastIteration: Int) {
        let count = positions.count
        var update = [Double](repeating: 0, count: count)
        var gains = [Double](repeating: 1, count: count)
        var gradient = [Double](repeating: 0, count: count)
        var error = Double.greatestFiniteMagnitude, bestError = Double.greatestFiniteMagnitude
        var bestIteration = start, last = start
        for i in start..<end {
            last = i
            let check = (i + 1) % checkInterval == 0
            let evaluated = positions.withUnsafeBufferPointer { p in
                gradient.withUnsafeMutableBufferPointer { g in
                    objective.evaluate(positions: p, affinities: affinities, exaggeration: exaggeration, angle: angle,
                                       computeError: check || i == end - 1, gradient: g)
                }
            }
            if check || i == end - 1 { error = evaluated }
            var squaredNorm = 0.0
            positions.withUnsafeMutableBufferPointer { p in
                update.withUnsafeMutableBufferPointer { u in
                    gains.withUnsafeMutableBufferPointer { gain in
                        gradient.withUnsafeBufferPointer { g in
                            for c in 0..<count {
                                // Grow the gain where the gradient changed sign against the step, shrink it otherwise.
                                gain[c] = u[c] * g[c] < 0 ? gain[c] + 0.2 : max(gain[c] * 0.8, 0.01)
                                let step = g[c] * gain[c]
                                squaredNorm += step * step
                                u[c] = momentum * u[c] - learningRate * step
                                p[c] += u[c]
                            }
                        }
                    }
                }
            }
            if check {
                progress?(i + 1, totalIterations)
                if error < bestError {
                    bestError = error; bestIteration = i
                } else if i - bestIteration > patience {
                    break
                }
                if squaredNorm.squareRoot() <= minGradientNorm { break }
            }
        }
        return (error, last)
    }
}
