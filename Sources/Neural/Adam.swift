import Foundation
import Tensor

/// Mirrors `torch.optim.Adam` (betas (0.9, 0.999), eps 1e-8, weight_decay 0 as an L2 term added to
/// the gradient) and, with `decoupled: true`, `torch.optim.AdamW` (weight decay 0.01 applied to the
/// weights directly). See `AdamW(...)` for the AdamW defaults.
///
/// Per parameter at step t (torch/optim/adam.py, `_single_tensor_adam`, amsgrad off):
///
///     AdamW: p = p · (1 − lr · wd)          Adam: g = g + wd · p
///     m = β1 · m + (1 − β1) · g;  v = β2 · v + (1 − β2) · g²
///     p = p − (lr / (1 − β1ᵗ)) · m / (sqrt(v) / sqrt(1 − β2ᵗ) + eps)
public final class Adam: ResumableOptimizer {
    public var groups: [ParameterGroup]
    public let beta1: Float, beta2: Float, eps: Float
    /// True for AdamW's decoupled weight decay.
    public let decoupled: Bool
    private struct Moments { var step = 0; var m: [Float]; var v: [Float] }
    private var state = OptimizerState<Moments>()

    public init(_ groups: [ParameterGroup], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                eps: Float = 1e-8, weightDecay: Float = 0, decoupled: Bool = false) {
        self.groups = groups.resolved(learningRate: learningRate, weightDecay: weightDecay)
        beta1 = betas.0; beta2 = betas.1; self.eps = eps; self.decoupled = decoupled
    }

    public convenience init(parameters: [Parameter], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                            eps: Float = 1e-8, weightDecay: Float = 0) {
        self.init([ParameterGroup(parameters)], learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay)
    }

    /// Number of parameters with moment estimates (frozen ones never get any).
    public var stateCount: Int { state.count }

    public func step() {
        for group in groups {
            let lr = group.learningRate!, wd = group.weightDecay!
            for p in group.parameters where p.requiresGrad {
                let n = p.value.count
                var s = state.take(p) ?? Moments(m: [Float](repeating: 0, count: n), v: [Float](repeating: 0, count: n))
                s.step += 1
                // Bias corrections in Double, as PyTorch computes them in Python floats.
                let bc1 = 1 - pow(Double(beta1), Double(s.step)), bc2 = 1 - pow(Double(beta2), Double(s.step))
                let stepSize = Float(Double(lr) / bc1), bc2Sqrt = Float(bc2.squareRoot())
                let (b1, b2, eps, decoupled) = (beta1, beta2, self.eps, self.decoupled)
                p.value.data.withUnsafeMutableBufferPointer { w in
                    p.grad.data.withUnsafeBufferPointer { gp in
                        s.m.withUnsafeMutableBufferPointer { m in
                            s.v.withUnsafeMutableBufferPointer { v in
                                // Element by element, so splitting the range between the cores changes nothing.
                                Parallel.forEachChunk(n, minimumChunk: 65_536) { range in
                                    for i in range {
                                        var g = gp[i]
                                        if decoupled { w[i] *= 1 - lr * wd } else { g += wd * w[i] }
                                        m[i] = b1 * m[i] + (1 - b1) * g
                                        v[i] = b2 * v[i] + (1 - b2) * g * g
                                        let denom = v[i].squareRoot() / bc2Sqrt + eps
                                        w[i] -= stepSize * (m[i] / denom)
                                    }
                                }
                            }
                        }
                    }
                }
                state[p] = s
            }
        }
    }
}

extension Adam {
    /// `torch.optim.AdamW` with its defaults: lr 1e-3, betas (0.9, 0.999), eps 1e-8, weight_decay 0.01 (decoupled).
    public static func adamW(_ groups: [ParameterGroup], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                      eps: Float = 1e-8, weightDecay: Float = 0.01) -> Adam {
        Adam(groups, learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay, decoupled: true)
    }

    /// `torch.optim.AdamW(parameters, ...)` with one group.
    public static func adamW(parameters: [Parameter], learningRate: Float = 1e-3, betas: (Float, Float) = (0.9, 0.999),
                      eps: Float = 1e-8, weightDecay: Float = 0.01) -> Adam {
        adamW([ParameterGroup(parameters)], learningRate: learningRate, betas: betas, eps: eps, weightDecay: weightDecay)
    }
}

extension Adam {
    /// `<g>.<i>.exp_avg`, `<g>.<i>.exp_avg_sq` and `<g>.<i>.step` (one value) per parameter with state.
    public func stateTensors() -> [(String, Tensor)] {
        positions().flatMap { name, p -> [(String, Tensor)] in
            guard let s = state[p] else { return [] }
            return [("\(name).exp_avg", Tensor(shape: p.value.shape, data: s.m)),
                    ("\(name).exp_avg_sq", Tensor(shape: p.value.shape, data: s.v)),
                    ("\(name).step", Tensor(shape: [1], data: [Float(s.step)]))]
        }
    }

    public func loadState(_ tensors: [String: Tensor]) throws {
        var restored = OptimizerState<Moments>()
        var used = 0
        for (name, p) in positions() {
            guard let m = tensors["\(name).exp_avg"] else { continue }
            guard let v = tensors["\(name).exp_avg_sq"], let step = tensors["\(name).step"],
                  m.count == p.value.count, v.count == p.value.count, step.count == 1 else {
                throw OptimizerStateError.mismatch("Adam state of parameter \(name) (\(p.name)) is incomplete or has the wrong size")
            }
            restored[p] = Moments(step: Int(step.data[0]), m: m.data, v: v.data)
            used += 3
        }
        guard used == tensors.count else {
            throw OptimizerStateError.mismatch("\(tensors.count - used) tensors name no parameter of this optimizer")
        }
        state = restored
    }
}
