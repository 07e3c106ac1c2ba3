import Tensor

/// ViT's encoder blocks in inference as eight oneDNN primitives (the layer norm runs twice per
/// block), built once per batch shape and reused by all blocks (they share every shape; each run
/// binds that block's weights):
///
///     LN₁ → [q|k|v] = · Wᵢₙᵀ + b    (matmul, bias)
///     S = q·kᵀ/√dh                   (batched matmul over images and heads, output scale)
///     P = softmax(S)                 (in place)
///     context = P·v                  (batched matmul, written into each head's columns)
///     x += context · Wₒᵤₜᵀ + b       (matmul, bias, sum post-op: the residual in the epilogue)
///     LN₂ → h = GELU(· W₁ᵀ + b₁)     (matmul, bias, GELU-erf post-op)
///     x += h · W₂ᵀ + b₂              (matmul, bias, sum post-op)
///
/// Why: with sgemm between Swift element-wise passes, 18% of ViT-B/16's forward time went to GELU,
/// softmax, layer norm, bias rows, copies and residual sums (`bloodbench vit-b16-forward`, perf).
/// Here they run inside oneDNN's JIT kernels, most while the product's tile is still in cache.
/// The values differ from the layer-by-layer path by rounding only (the bias is added after the
/// product, not preloaded; oneDNN's erf and exp); `EncoderInferencePlanTests` bounds the difference.
final class EncoderInferencePlan {
    let batch: Int, tokens: Int
    private let width: Int, heads: Int, mlpWidth: Int

    private let stream: OneDNN.Stream
    private let norm: OneDNN.Primitive
    private let inProjection, scores, softmax, context, outProjection, expand, contract: OneDNN.Primitive

    /// The names of oneDNN's chosen implementations, in the order above (for benchmark details).
    var implementations: [String] {
        [norm, inProjection, scores, softmax, context, outProjection, expand, contract].map(\.implementation)
    }

    init(_ library: OneDNN, batch: Int, tokens: Int, width: Int, heads: Int, mlpWidth: Int, epsilon: Float) {
        self.batch = batch; self.tokens = tokens
        self.width = width; self.heads = heads; self.mlpWidth = mlpWidth
        let (n, t, d, h, m) = (batch, tokens, width, heads, mlpWidth)
        let rows = n * t, dh = d / h
        typealias Descriptor = OneDNN.MemoryDescriptor
        func rowMajor(_ columns: Int) -> Descriptor { Descriptor(library, dims: [rows, columns]) }
        // A Linear's weight (out, in), row-major, is the (in, out) matrix with strides (1, in).
        func weights(_ inWidth: Int, _ outWidth: Int) -> Descriptor {
            Descriptor(library, dims: [inWidth, outWidth], strides: [1, inWidth])
        }
        func bias(_ outWidth: Int) -> Descriptor { Descriptor(library, dims: [1, outWidth]) }
        func linear(_ inWidth: Int, _ outWidth: Int, _ postOps: [OneDNN.Attributes.PostOp]) -> OneDNN.Primitive {
            library.matmul(source: rowMajor(inWidth), weights: weights(inWidth, outWidth), bias: bias(outWidth),
                           destination: rowMajor(outWidth), attributes: .init(postOps: postOps))
        }
        stream = OneDNN.Stream(library)
        norm = library.layerNorm(rowMajor(d), channels: d, epsilon: epsilon)
        inProjection = linear(d, 3 * d, [])
        outProjection = linear(d, d, [.sum])
        expand = linear(d, m, [.geluErf])
        contract = linear(m, d, [.sum])

        // Per image and head, read in place from the (rows, 3D) projections: q and v are (T, dh)
        // with row stride 3D; kᵀ is (dh, T) with the same storage.
        let perHead = Descriptor(library, dims: [n, h, t, dh], strides: [t * 3 * d, dh, 3 * d, 1])
        let keysTransposed = Descriptor(library, dims: [n, h, dh, t], strides: [t * 3 * d, dh, 1, 3 * d])
        let weightsOfAttention = Descriptor(library, dims: [n, h, t, t])
        let heads = Descriptor(library, dims: [n, h, t, dh], strides: [t * d, dh, d, 1])
        scores = library.matmul(source: perHead, weights: keysTransposed, bias: nil, destination: weightsOfAttention,
                                attributes: .init(outputScale: 1 / Float(dh).squareRoot()))
        softmax = library.softmax(weightsOfAttention, axis: 3)
        context = library.matmul(source: weightsOfAttention, weights: perHead, bias: nil, destination: heads)
    }

    /// Runs `block` on the residual stream `x`, `(batch · tokens, width)`, in place, with the
    /// intermediate values in `scratch`.
    func run(_ block: EncoderBlock, on x: UnsafeMutablePointer<Float>, scratch: Scratch) {
        let d = width
        let rows = batch * tokens
        scratch.reserve(rows * d, rows * 3 * d, batch * heads * tokens * tokens, rows * d, rows * mlpWidth)
        let (normalized, qkv, probabilities, contextRows, hidden) =
            (scratch.buffers[0], scratch.buffers[1], scratch.buffers[2], scratch.buffers[3], scratch.buffers[4])
        let (fc1, fc2) = block.mlpLinears
        let attention = block.attention
        withPointers([block.norm1.weight, block.norm1.bias, attention.inProjWeight, attention.inProjBias,
                      attention.outProjWeight, attention.outProjBias, block.norm2.weight, block.norm2.bias,
                      fc1.weight, fc1.bias!, fc2.weight, fc2.bias!].map(\.value.data)) { p in
            norm.execute(on: stream, x, normalized, p[0], p[1])
            inProjection.execute(on: stream, normalized, p[2], p[3], qkv)
            scores.execute(on: stream, qkv, qkv + d, probabilities)
            softmax.execute(on: stream, probabilities, probabilities)
            context.execute(on: stream, probabilities, qkv + 2 * d, contextRows)
            outProjection.execute(on: stream, contextRows, p[4], p[5], x)
            norm.execute(on: stream, x, normalized, p[6], p[7])
            expand.execute(on: stream, normalized, p[8], p[9], hidden)
            contract.execute(on: stream, hidden, p[10], p[11], x)
            stream.wait()
        }
    }
}

extension EncoderInferencePlan {
    /// The plan's intermediate values (layer-norm output, [q|k|v], attention weights, heads'
    /// outputs, MLP hidden values), shared by the plans of one model: each buffer grows to the
    /// largest batch seen, so plans for several batch sizes cost no more memory than the largest.
    final class Scratch {
        private(set) var buffers: [UnsafeMutablePointer<Float>] = []
        private var capacities: [Int] = []

        /// Makes buffer i hold at least `counts[i]` values (contents are not kept).
        func reserve(_ counts: Int...) {
            for (i, count) in counts.enumerated() {
                if i == buffers.count { buffers.append(.allocate(capacity: count)); capacities.append(count) }
                if capacities[i] < count {
                    buffers[i].deallocate()
                    buffers[i] = .allocate(capacity: count)
                    capacities[i] = count
                }
            }
        }

        deinit { buffers.forEach { $0.deallocate() } }
    }
}

/// Calls `body` with a pointer to each array's storage, all valid for the call.
private func withPointers(_ arrays: ArraySlice<[Float]>, _ pointers: [UnsafeRawPointer] = [],
                          _ body: ([UnsafeRawPointer]) -> Void) {
    guard let first = arrays.first else { body(pointers); return }
    first.withUnsafeBufferPointer { withPointers(arrays.dropFirst(), pointers + [UnsafeRawPointer($0.baseAddress!)], body) }
}

private func withPointers(_ arrays: [[Float]], _ body: ([UnsafeRawPointer]) -> Void) {
    withPointers(arrays[...], [], body)
}

extension EncoderBlock {
    /// The MLP's two Linear layers (torchvision's `mlp.0` and `mlp.3`).
    var mlpLinears: (expand: Linear, contract: Linear) {
        (mlp.children[0].layer as! Linear, mlp.children[3].layer as! Linear)
    }
}
