import Foundation
import Tensor

/// Mirrors `torch.nn.MultiheadAttention(D, H, batch_first=True)` called as self-attention
/// `mha(x, x, x, need_weights=False)`, with torchvision's packed parameter layout.
///
/// Input and output `(N, T, D)`. With `dh = D / H` and `[q | k | v] = x · in_projᵀ + in_bias`:
/// `head_h = softmax(q_h · k_hᵀ / √dh) · v_h`, `y = concat_h(head_h) · out_projᵀ + out_bias`.
/// No attention dropout (torchvision's ViT uses `attention_dropout = 0`).
///
/// - Parameters:
///   - width: `D`; must be divisible by `heads`.
///   - heads: `H`.
/// - Learned values: `in_proj_weight` `(3D, D)` (rows: query, key, value), `in_proj_bias` `(3D)`,
///   `out_proj.weight` `(D, D)`, `out_proj.bias` `(D)`. Initialised as PyTorch does: Xavier-uniform
///   in-projection, `U(±1/√D)` out-projection weight, zero biases.
public final class MultiheadSelfAttention: Layer {
    public let width: Int
    public let heads: Int
    public let inProjWeight: Parameter
    public let inProjBias: Parameter
    public let outProjWeight: Parameter
    public let outProjBias: Parameter
    public var parameters: [Parameter] { [inProjWeight, inProjBias, outProjWeight, outProjBias] }

    // Saved by forward for backward.
    private var input: [Float] = []      // x (N·T, D)
    private var qkv: [Float] = []        // (N·T, 3D)
    private var probs: [Float] = []      // attention weights (N, H, T, T)
    private var context: [Float] = []    // concatenated heads (N·T, D)
    private var batch = 0, tokens = 0

    public init(width: Int, heads: Int, using generator: inout some RandomNumberGenerator) {
        precondition(width % heads == 0, "MultiheadSelfAttention: width \(width) is not divisible by \(heads) heads")
        self.width = width
        self.heads = heads
        let xavier = (6 / Float(width + 3 * width)).squareRoot()
        let outBound = 1 / Float(width).squareRoot()
        inProjWeight = Parameter(name: "in_proj_weight", value: Tensor(shape: [3 * width, width],
            data: UniformFloat.draws(3 * width * width, in: -xavier...xavier, using: &generator)))
        inProjBias = Parameter(name: "in_proj_bias", value: Tensor(zeros: [3 * width]))
        outProjWeight = Parameter(name: "out_proj.weight", value: Tensor(shape: [width, width],
            data: UniformFloat.draws(width * width, in: -outBound...outBound, using: &generator)))
        outProjBias = Parameter(name: "out_proj.bias", value: Tensor(zeros: [width]))
    }

    public func forward(_ x: Tensor, training: Bool) -> Tensor {
        precondition(x.rank == 3 && x.shape[2] == width, "MultiheadSelfAttention(\(width)) expects (N, T, \(width)), got \(x.shape)")
        let (n, t, d, h) = (x.shape[0], x.shape[1], width, heads)
        let dh = d / h
        let scale = 1 / Float(dh).squareRoot()
        batch = n; tokens = t
        input = x.data
        // One gemm for the three projections of every token of every image: (N·T, D) · (D, 3D).
        qkv = TokenMath.affine(x.data, rows: n * t, inWidth: d, weight: inProjWeight.value.data,
                               bias: inProjBias.value.data, outWidth: 3 * d)
        // Every value of both is written below (gemm with beta 0). The attention weights are kept
        // in inference too: gradients of an inference pass (eval mode with autograd) need them.
        probs = [Float](unsafeUninitializedCapacity: n * h * t * t) { _, k in k = n * h * t * t }
        context = [Float](unsafeUninitializedCapacity: n * t * d) { _, k in k = n * t * d }
        qkv.withUnsafeBufferPointer { qkvp in
            probs.withUnsafeMutableBufferPointer { pp in
                context.withUnsafeMutableBufferPointer { cp in
                    Parallel.forEachChunk(n * h) { tasks in
                        for task in tasks {
                            let (img, head) = (task / h, task % h)
                            let rowBase = qkvp.baseAddress! + img * t * 3 * d
                            let q = rowBase + head * dh, k = rowBase + d + head * dh, v = rowBase + 2 * d + head * dh
                            let p = pp.baseAddress! + task * t * t
                            // scores (T, T) = scale · q (T, dh) · kᵀ; q, k are read in place with stride 3D.
                            TokenMath.gemm(false, true, m: t, n: t, k: dh, alpha: scale, q, lda: 3 * d, k, ldb: 3 * d,
                                           beta: 0, p, ldc: t)
                            for r in 0..<t { Softmax.rowInPlaceVectorized(p + r * t, count: t) }
                            // head (T, dh) = P (T, T) · v (T, dh), written into its columns of the context.
                            TokenMath.gemm(false, false, m: t, n: dh, k: t, p, lda: t, v, ldb: 3 * d,
                                           beta: 0, cp.baseAddress! + img * t * d + head * dh, ldc: d)
                        }
                    }
                }
            }
        }
        let y = TokenMath.affine(context, rows: n * t, inWidth: d, weight: outProjWeight.value.data,
                                 bias: outProjBias.value.data, outWidth: d)
        return Tensor(shape: x.shape, data: y)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let (n, t, d, h) = (batch, tokens, width, heads)
        precondition(probs.count == n * h * t * t, "MultiheadSelfAttention: backward without a forward pass")
        let dh = d / h
        let scale = 1 / Float(dh).squareRoot()
        // y = context · out_projᵀ + out_bias
        let dContext = TokenMath.affineBackward(outputGradient.data, x: context, rows: n * t, inWidth: d, outWidth: d,
                                                weight: outProjWeight, bias: outProjBias)
        var dqkv = [Float](repeating: 0, count: n * t * 3 * d)
        qkv.withUnsafeBufferPointer { qkvp in
            probs.withUnsafeBufferPointer { pp in
                dContext.withUnsafeBufferPointer { dcp in
                    dqkv.withUnsafeMutableBufferPointer { dq in
                        Parallel.forEachChunk(n * h) { range in
                            var scratch = [Float](repeating: 0, count: t * t)   // dP, then dS, for one head
                            scratch.withUnsafeMutableBufferPointer { sp in
                                let ds = sp.baseAddress!
                                for task in range {
                                    let (img, head) = (task / h, task % h)
                                    let off = img * t * 3 * d + head * dh
                                    let q = qkvp.baseAddress! + off, k = q + d, v = q + 2 * d
                                    let dQ = dq.baseAddress! + off, dK = dQ + d, dV = dQ + 2 * d
                                    let p = pp.baseAddress! + task * t * t
                                    let dHead = dcp.baseAddress! + img * t * d + head * dh
                                    // head = P · v  ⇒  dP = dHead · vᵀ, dv = Pᵀ · dHead
                                    TokenMath.gemm(false, true, m: t, n: t, k: dh, dHead, lda: d, v, ldb: 3 * d,
                                                   beta: 0, ds, ldc: t)
                                    TokenMath.gemm(true, false, m: t, n: dh, k: t, p, lda: t, dHead, ldb: d,
                                                   beta: 0, dV, ldc: 3 * d)
                                    // P = softmax(S) row-wise  ⇒  dS = P ⊙ (dP - rowsum(dP ⊙ P))
                                    for r in 0..<t { Softmax.rowBackward(p + r * t, ds + r * t, ds + r * t, count: t) }
                                    // S = scale · q · kᵀ  ⇒  dq = scale · dS · k, dk = scale · dSᵀ · q
                                    TokenMath.gemm(false, false, m: t, n: dh, k: t, alpha: scale, ds, lda: t, k, ldb: 3 * d,
                                                   beta: 0, dQ, ldc: 3 * d)
                                    TokenMath.gemm(true, false, m: t, n: dh, k: t, alpha: scale, ds, lda: t, q, ldb: 3 * d,
                                                   beta: 0, dK, ldc: 3 * d)
                                }
                            }
                        }
                    }
                }
            }
        }
        // [q | k | v] = x · in_projᵀ + in_bias
        let dx = TokenMath.affineBackward(dqkv, x: input, rows: n * t, inWidth: d, outWidth: 3 * d,
                                          weight: inProjWeight, bias: inProjBias)
        return Tensor(shape: [n, t, d], data: dx)
    }
}
