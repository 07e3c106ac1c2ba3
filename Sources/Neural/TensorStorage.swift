import Tensor

// Helpers for building tensors without Swift array copies in the kernels' hot paths.

extension Tensor {
    /// A tensor of `shape` whose values `initialize` writes through a raw pointer (every value must be
    /// written; the memory is not zeroed first, which saves a pass over large activations).
    static func uninitialized(_ shape: [Int], _ initialize: (UnsafeMutablePointer<Float>) -> Void) -> Tensor {
        let count = shape.reduce(1, *)
        _ = MemoryTuning.applied
        let data = [Float](unsafeUninitializedCapacity: count) { buffer, initialized in
            if count > 0 { initialize(buffer.baseAddress!) }
            initialized = count
        }
        return Tensor(shape: shape, data: data)
    }

    /// Elementwise sum of two tensors of equal shape.
    public func adding(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "Cannot add tensors of shapes \(shape) and \(other.shape)")
        return Tensor.uninitialized(shape) { out in
            data.withUnsafeBufferPointer { a in
                other.data.withUnsafeBufferPointer { b in
                    Elementwise.apply(count: a.count, a.baseAddress!, b.baseAddress!, out) { x, y in x + y } scalar: { $0 + $1 }
                }
            }
        }
    }

    /// ReLU(self + other) in one pass (a residual block's sum and activation): the values
    /// `ReLU().forward(adding(other))` gives, for `ReLU.adopt(_:)`.
    func addingThenReLU(_ other: Tensor) -> Tensor {
        precondition(shape == other.shape, "Cannot add tensors of shapes \(shape) and \(other.shape)")
        return Tensor.uninitialized(shape) { out in
            data.withUnsafeBufferPointer { a in
                other.data.withUnsafeBufferPointer { b in
                    Elementwise.apply(count: a.count, a.baseAddress!, b.baseAddress!, out) { x, y in
                        let sum = x + y
                        return sum.replacing(with: 0, where: sum .< 0)
                    } scalar: { ReLU.apply($0 + $1) }
                }
            }
        }
    }

    /// Adds `other` into `self` in place (`self += other`), as gradient accumulation does.
    public mutating func add(_ other: Tensor) {
        precondition(shape == other.shape, "Cannot add tensors of shapes \(shape) and \(other.shape)")
        data.withUnsafeMutableBufferPointer { a in
            other.data.withUnsafeBufferPointer { b in
                for i in 0..<a.count { a[i] += b[i] }
            }
        }
    }
}

/// The residual connection `y = a + b` of ResNet blocks: forward sums, backward hands the same
/// gradient to both branches (d(a + b)/da = d(a + b)/db = 1).
public enum Residual {
    /// `a + b`, shapes equal.
    public static func add(_ a: Tensor, _ b: Tensor) -> Tensor { a.adding(b) }
    /// The gradients of `a + b` with respect to `a` and to `b`: both are `outputGradient`.
    public static func backward(_ outputGradient: Tensor) -> (a: Tensor, b: Tensor) { (outputGradient, outputGradient) }
}
