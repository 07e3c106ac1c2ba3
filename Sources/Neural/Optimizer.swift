import Tensor

/// A set of parameters with its own learning rate and weight decay, as one entry of PyTorch's
/// `optimizer.param_groups`. `nil` hyperparameters take the optimizer's defaults.
public struct ParameterGroup {
    public var parameters: [Parameter]
    public var learningRate: Float?
    public var weightDecay: Float?

    public init(_ parameters: [Parameter], learningRate: Float? = nil, weightDecay: Float? = nil) {
        self.parameters = parameters; self.learningRate = learningRate; self.weightDecay = weightDecay
    }
}

/// Updates parameters from their accumulated gradients.
///
/// Parameters with `requiresGrad == false` are skipped and get no state, as frozen tensors in
/// PyTorch (whose `.grad` stays `None`).
public protocol Optimizer: AnyObject {
    /// The groups with their resolved hyperparameters (learning rates may be changed between steps).
    var groups: [ParameterGroup] { get set }
    /// One update of every trainable parameter.
    func step()
}

extension Optimizer {
    /// Sets every gradient to zero (PyTorch's `zero_grad(set_to_none=False)`; frozen ones stay zero too).
    public func zeroGrad() {
        for group in groups {
            for p in group.parameters {
                p.grad.data.withUnsafeMutableBufferPointer { g in
                    g.update(repeating: 0)
                }
            }
        }
    }

    /// Every group's learning rate set to `rate` (a scheduler's job).
    public func setLearningRate(_ rate: Float) {
        for i in groups.indices { groups[i].learningRate = rate }
    }
}

/// Per-parameter optimizer state, keyed by the parameter's identity.
struct OptimizerState<Value> {
    private var values: [ObjectIdentifier: Value] = [:]
    subscript(_ p: Parameter) -> Value? {
        get { values[ObjectIdentifier(p)] }
        set { values[ObjectIdentifier(p)] = newValue }
    }
    var count: Int { values.count }
    /// Removes and returns `p`'s state, so the caller holds its arrays' only reference and can
    /// update them in place (reading through the subscript and storing back would copy them).
    mutating func take(_ p: Parameter) -> Value? { values.removeValue(forKey: ObjectIdentifier(p)) }
}

extension Array where Element == ParameterGroup {
    /// Groups with every `nil` hyperparameter replaced by the default.
    func resolved(learningRate: Float, weightDecay: Float) -> [ParameterGroup] {
        map { ParameterGroup($0.parameters, learningRate: $0.learningRate ?? learningRate,
                             weightDecay: $0.weightDecay ?? weightDecay) }
    }
}

/// An optimizer whose per-parameter state (moments, momentum buffers, step counts) can be saved
/// after an epoch and put back, so an interrupted training resumes exactly.
///
/// Tensors are named by position, `<group>.<parameter>.<name>` (as PyTorch's `optimizer.state_dict()`
/// numbers parameters), so they load into an optimizer built the same way over a rebuilt model.
public protocol ResumableOptimizer: Optimizer {
    /// The state as (name, tensor) pairs; parameters without state are left out.
    func stateTensors() -> [(String, Tensor)]
    /// Replaces the state with `tensors` from `stateTensors()` of an optimizer built the same way.
    func loadState(_ tensors: [String: Tensor]) throws
}

/// Why saved optimizer state does not fit.
public enum OptimizerStateError: Error, CustomStringConvertible, Equatable {
    case mismatch(String)
    public var description: String { "Saved optimizer state does not fit this optimizer: \(self.detail)" }
    private var detail: String { switch self { case let .mismatch(d): d } }
}

extension Optimizer {
    /// Every (group, index, parameter) in order: the positions state tensors are named by.
    func positions() -> [(name: String, parameter: Parameter)] {
        groups.enumerated().flatMap { g, group in
            group.parameters.enumerated().map { i, p in ("\(g).\(i)", p) }
        }
    }
}
