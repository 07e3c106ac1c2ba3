import Tensor

/// Mirrors `torch.nn.Dropout`: in training, zeroes each value with probability `p` and scales the
/// survivors by 1 / (1 − p) (inverted dropout), so evaluation is the identity.
///
/// - Parameters: `p` (default 0.5), `seed` for the layer's own generator (default 0), so a training
///   run is reproducible; PyTorch's masks come from its own generator and are not reproduced.
public final class Dropout: Layer {
    public var p: Float
    private var generator: SeededGenerator
    /// The last training mask, already scaled: 0 or 1 / (1 − p) (same shape as the input).
    private var mask: [Float] = []
    private var wasTraining = false

    public init(_ p: Float = 0.5, seed: UInt64 = 0) {
        precondition(p >= 0 && p <= 1, "Dropout probability \(p) must be in [0, 1]")
        self.p = p
        generator = SeededGenerator(seed: seed)
    }

    /// Restarts the mask stream, e.g. from the training seed.
    public func reseed(_ seed: UInt64) { generator = SeededGenerator(seed: seed) }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        wasTraining = training && p > 0
        guard wasTraining else { return x }
        let keep = 1 - p, scale: Float = p < 1 ? 1 / (1 - p) : 0
        // Masks are drawn in fixed blocks of 2¹⁶ values, block b from its own generator seeded by
        // (layer seed, call number, b), so they do not depend on how blocks are spread over threads.
        // 24 random bits per value: u on a 2⁻²⁴ grid in [0, 1), kept when u < 1 − p.
        let threshold = UInt32((Double(keep) * 16_777_216).rounded())
        let callSeed = generator.next()
        let count = x.count, block = 1 << 16
        mask = [Float](unsafeUninitializedCapacity: count) { buf, initialized in
            let base = buf.baseAddress!
            Parallel.forEach((count + block - 1) / block) { b in
                var g = SeededGenerator.stream(seed: callSeed, UInt64(b))
                var i = b * block
                let end = min(count, i + block)
                while i < end {
                    let r = g.next()
                    base[i] = UInt32(r & 0xFF_FFFF) < threshold ? scale : 0; i += 1
                    if i < end { base[i] = UInt32((r >> 32) & 0xFF_FFFF) < threshold ? scale : 0; i += 1 }
                }
            }
            initialized = count
        }
        return Tensor.uninitialized(x.shape) { yp in
            x.data.withUnsafeBufferPointer { xp in
                mask.withUnsafeBufferPointer { mp in
                    Elementwise.apply(count: xp.count, xp.baseAddress!, mp.baseAddress!, yp, { $0 * $1 }, scalar: { $0 * $1 })
                }
            }
        }
    }

    public func backward(_ dy: Tensor) -> Tensor {
        guard wasTraining else { return dy }
        precondition(dy.count == mask.count, "Dropout backward got gradient \(dy.shape)")
        // y = x · mask ⇒ dx = dy · mask.
        return Tensor.uninitialized(dy.shape) { dxp in
            dy.data.withUnsafeBufferPointer { dp in
                mask.withUnsafeBufferPointer { mp in
                    Elementwise.apply(count: dp.count, dp.baseAddress!, mp.baseAddress!, dxp, { $0 * $1 }, scalar: { $0 * $1 })
                }
            }
        }
    }
}
