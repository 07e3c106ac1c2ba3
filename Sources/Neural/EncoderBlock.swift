import Tensor

/// Mirrors torchvision's `EncoderBlock` (vision_transformer.py), the pre-norm transformer layer:
/// `x = x + MHSA(LN₁(x))`, then `y = x + MLP(LN₂(x))` with `MLP = Linear(D, M) → GELU → Dropout →
/// Linear(M, D) → Dropout`. Input and output `(N, T, D)`.
///
/// - Parameters:
///   - width: `D`. - heads: `H`. - mlpWidth: `M` (3072 for ViT-B). - eps: LayerNorm epsilon
///     (1e-6 torchvision, 1e-12 Hugging Face). - dropout: MLP dropout (0 in torchvision's ViT).
/// - Learned values (torchvision names, relative to the block): `ln_1.*` `(D)`,
///   `self_attention.in_proj_weight` `(3D, D)` … `out_proj.bias` `(D)`, `ln_2.*` `(D)`,
///   `mlp.0.weight` `(M, D)`, `mlp.0.bias` `(M)`, `mlp.3.weight` `(D, M)`, `mlp.3.bias` `(D)`.
///   Initialised as torchvision does (LayerNorm 1/0, attention as `MultiheadSelfAttention`, MLP
///   Xavier-uniform weights and `N(0, 1e-6²)` biases); pretrained checkpoints replace them.
public final class EncoderBlock: StatefulLayer {
    public let norm1: LayerNorm
    public let attention: MultiheadSelfAttention
    public let norm2: LayerNorm
    /// `Linear, GELU, Dropout, Linear, Dropout`, indexed 0…4 as torchvision's `MLPBlock`. Runs on
    /// `(N·T, D)` rows so each Linear is one gemm over every token of every image.
    public let mlp: Sequential
    public var parameters: [Parameter] { norm1.parameters + attention.parameters + norm2.parameters + mlp.parameters }
    public var stateTensors: [Parameter] { parameters }

    public init(width: Int, heads: Int, mlpWidth: Int, eps: Float = 1e-6, dropout: Float = 0,
                using generator: inout some RandomNumberGenerator) {
        norm1 = LayerNorm(width: width, eps: eps)
        attention = MultiheadSelfAttention(width: width, heads: heads, using: &generator)
        norm2 = LayerNorm(width: width, eps: eps)
        let fc1 = Linear(width, mlpWidth, using: &generator), fc2 = Linear(mlpWidth, width, using: &generator)
        // torchvision's MLPBlock re-initialises its Linears: Xavier-uniform weights, N(0, 1e-6²) biases.
        for fc in [fc1, fc2] {
            let bound = (6 / Float(fc.inFeatures + fc.outFeatures)).squareRoot()
            fc.weight.value.data = UniformFloat.draws(fc.weight.value.count, in: -bound...bound, using: &generator)
            var normal = SeededGenerator(seed: generator.next())
            fc.bias?.value.data = fc.bias!.value.data.map { _ in Float(normal.nextGaussian() * 1e-6) }
        }
        mlp = Sequential([fc1, GELU(), Dropout(dropout, seed: generator.next()), fc2, Dropout(dropout, seed: generator.next())])
        for (prefix, layer) in [("ln_1", norm1 as Layer), ("self_attention", attention), ("ln_2", norm2), ("mlp", mlp)] {
            for p in layer.parameters { p.name = "\(prefix).\(p.name)" }
        }
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        let shape = x.shape, rows = shape[0] * shape[1], d = shape[2]
        // x = x + MHSA(LN₁(x))
        let h = x.adding(attention.forward(norm1.forward(x, training: training), training: training))
        // y = h + MLP(LN₂(h))
        let m = mlp.forward(norm2.forward(h, training: training).reshaped([rows, d]), training: training)
        return h.adding(m.reshaped(shape))
    }

    public func backward(_ dy: Tensor) -> Tensor {
        let shape = dy.shape, rows = shape[0] * shape[1], d = shape[2]
        // y = h + MLP(LN₂(h))  ⇒  dh = dy + LN₂ᵀ(MLPᵀ(dy))
        let dm = mlp.backward(dy.reshaped([rows, d])).reshaped(shape)
        let dh = dy.adding(norm2.backward(dm))
        // h = x + MHSA(LN₁(x))  ⇒  dx = dh + LN₁ᵀ(MHSAᵀ(dh))
        return dh.adding(norm1.backward(attention.backward(dh)))
    }
}
