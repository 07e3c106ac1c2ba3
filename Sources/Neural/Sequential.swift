import Tensor

/// Mirrors `torch.nn.Sequential`: runs its children in order; backward runs them in reverse.
///
/// Children are named as in PyTorch ("0", "1", ... by default, or given names such as "block_1"),
/// and at construction every child's parameter and buffer name gets the child's name as prefix,
/// so nested containers yield `state_dict` keys like `block_1.0.weight`.
public final class Sequential: StatefulLayer {
    public let children: [(name: String, layer: Layer)]

    /// Children named by their position, as `nn.Sequential(a, b, c)`.
    public convenience init(_ layers: [Layer]) {
        self.init(named: layers.enumerated().map { (String($0.offset), $0.element) })
    }

    /// Children with explicit names, as an `nn.Module` with attributes, e.g. `[("block_1", ...)]`.
    public init(named children: [(String, Layer)]) {
        self.children = children.map { (name: $0.0, layer: $0.1) }
        for (name, layer) in self.children {
            for tensor in Neural.stateTensors(of: layer) { tensor.name = "\(name).\(tensor.name)" }
        }
    }

    public var parameters: [Parameter] { children.flatMap { $0.layer.parameters } }
    public var stateTensors: [Parameter] { children.flatMap { Neural.stateTensors(of: $0.layer) } }

    /// The child called `name` (e.g. "block_1" or "3").
    public subscript(name: String) -> Layer? { children.first { $0.name == name }?.layer }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        var h = x
        var index = 0
        while index < children.count {
            // BatchNorm2d then ReLU: one fused pass (the same values; each layer's backward unchanged).
            if let norm = children[index].layer as? BatchNorm2d, index + 1 < children.count,
               let relu = children[index + 1].layer as? ReLU {
                h = relu.adopt(norm.forward(h, training: training, thenReLU: true))
                index += 2
                continue
            }
            h = children[index].layer.forward(h, training: training)
            index += 1
        }
        return h
    }

    public func backward(_ dy: Tensor) -> Tensor {
        var g = dy
        for child in children.reversed() { g = child.layer.backward(g) }
        return g
    }
}
