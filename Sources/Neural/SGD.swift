import Tensor

/// Mirrors `torch.optim.SGD` (defaults: momentum 0, dampening 0, weight_decay 0, nesterov false).
///
/// Per parameter p with gradient g (torch/optim/sgd.py, `_single_tensor_sgd`):
///
///     g = g + weight_decay · p
///     if momentum ≠ 0: b = g at the first step, else b = momentum · b + (1 − dampening) · g
///                      g = g + momentum · b if nesterov, else b
///     p = p − lr · g
public final class SGD: ResumableOptimizer {
    public var groups: [ParameterGroup]
    public let momentum: Float, dampening: Float, nesterov: Bool
    private var momentumBuffers = OptimizerState<[Float]>()

    /// - Parameters: `groups` (or use the `parameters:` initializer), `learningRate` (required, the
    ///   default of groups without their own), `momentum`, `dampening`, `weightDecay`, `nesterov`.
    public init(_ groups: [ParameterGroup], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                weightDecay: Float = 0, nesterov: Bool = false) {
        precondition(!nesterov || (momentum > 0 && dampening == 0), "Nesterov momentum requires a momentum and zero dampening")
        self.groups = groups.resolved(learningRate: learningRate, weightDecay: weightDecay)
        self.momentum = momentum; self.dampening = dampening; self.nesterov = nesterov
    }

    public convenience init(parameters: [Parameter], learningRate: Float, momentum: Float = 0, dampening: Float = 0,
                            weightDecay: Float = 0, nesterov: Bool = false) {
        self.init([ParameterGroup(parameters)], learningRate: learningRate, momentum: momentum, dampening: dampening,
                  weightDecay: weightDecay, nesterov: nesterov)
    }

    /// Number of parameters that have a momentum buffer (frozen ones never get one).
    public var stateCount: Int { momentumBuffers.count }

    public func step() {
        for group in groups {
            let lr = group.learningRate!, wd = group.weightDecay!
            for p in group.parameters where p.requiresGrad {
                let n = p.value.count
                var buffer = momentum != 0 ? momentumBuffers[p] : nil
                let first = buffer == nil
                if momentum != 0 && first { buffer = [Float](repeating: 0, count: n) }
                p.value.data.withUnsafeMutableBufferPointer { w in
                    p.grad.data.withUnsafeBufferPointer { gp in
                        if momentum == 0 {
                            for i in 0..<n { w[i] -= lr * (gp[i] + wd * w[i]) }
                            return
                        }
                        buffer!.withUnsafeMutableBufferPointer { b in
                            for i in 0..<n {
                                let g = gp[i] + wd * w[i]
                                b[i] = first ? g : momentum * b[i] + (1 - dampening) * g
                                let d = nesterov ? g + momentum * b[i] : b[i]
                                w[i] -= lr * d
                            }
                        }
                    }
                }
                if momentum != 0 { momentumBuffers[p] = buffer }
            }
        }
    }
}

extension SGD {
    /// `<g>.<i>.momentum_buffer` per parameter with a buffer (none without momentum).
    public func stateTensors() -> [(String, Tensor)] {
        positions().compactMap { name, p in
            momentumBuffers[p].map { ("\(name).momentum_buffer", Tensor(shape: p.value.shape, data: $0)) }
        }
    }

    public func loadState(_ tensors: [String: Tensor]) throws {
        var restored = OptimizerState<[Float]>()
        var used = 0
        for (name, p) in positions() {
            guard let b = tensors["\(name).momentum_buffer"] else { continue }
            guard b.count == p.value.count else {
                throw OptimizerStateError.mismatch("SGD momentum buffer of parameter \(name) (\(p.name)) has \(b.count) values, expected \(p.value.count)")
            }
            restored[p] = b.data
            used += 1
        }
        guard used == tensors.count else {
            throw OptimizerStateError.mismatch("\(tensors.count - used) tensors name no parameter of this optimizer")
        }
        momentumBuffers = restored
    }
}
