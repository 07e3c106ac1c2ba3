import Tensor

/// torchvision ViT's class token and learned position embedding: prepends `class_token` to the
/// patch tokens and adds `encoder.pos_embedding`, `(N, T, D)` → `(N, T+1, D)`.
///
/// - Parameters:
///   - patches: `T`, the number of patch tokens the position table is laid out for.
///   - width: `D`.
///   - classTokenName / positionName: checkpoint names (torchvision: `class_token`, `encoder.pos_embedding`).
/// - Learned values: `classToken` `(1, 1, D)` initialised to 0 (as torchvision), `positions`
///   `(1, T+1, D)` initialised from `N(0, 0.02²)`. Pretrained tables for another image size are
///   resized by `PositionEmbeddingInterpolation` before loading.
public final class ClassTokenEmbedding: Layer {
    public let patches: Int, width: Int
    public let classToken: Parameter
    public let positions: Parameter
    public var parameters: [Parameter] { [classToken, positions] }
    private var batch = 0

    public init(patches: Int, width: Int, classTokenName: String = "class_token",
                positionName: String = "encoder.pos_embedding", using generator: inout some RandomNumberGenerator) {
        self.patches = patches; self.width = width
        classToken = Parameter(name: classTokenName, value: Tensor(zeros: [1, 1, width]))
        var g = SeededGenerator(seed: generator.next())
        positions = Parameter(name: positionName, value: Tensor(shape: [1, patches + 1, width],
            data: (0..<((patches + 1) * width)).map { _ in Float(g.nextGaussian() * 0.02) }))
    }

    public func forward(_ input: Tensor, training: Bool) -> Tensor {
        precondition(input.rank == 3 && input.shape[1] == patches && input.shape[2] == width,
                     "ClassTokenEmbedding expects (N, \(patches), \(width)), got \(input.shape)")
        let (n, t, d) = (input.shape[0], patches + 1, width)
        batch = n
        var out = [Float](repeating: 0, count: n * t * d)
        input.data.withUnsafeBufferPointer { x in
            classToken.value.data.withUnsafeBufferPointer { cls in
                positions.value.data.withUnsafeBufferPointer { pos in
                    out.withUnsafeMutableBufferPointer { y in
                        for img in 0..<n {
                            let o = img * t * d
                            for j in 0..<d { y[o + j] = cls[j] + pos[j] }
                            for i in d..<(t * d) { y[o + i] = x[img * (t - 1) * d + i - d] + pos[i] }
                        }
                    }
                }
            }
        }
        return Tensor(shape: [n, t, d], data: out)
    }

    public func backward(_ outputGradient: Tensor) -> Tensor {
        let (n, t, d) = (batch, patches + 1, width)
        var dx = [Float](repeating: 0, count: n * (t - 1) * d)
        outputGradient.data.withUnsafeBufferPointer { dy in
            // y[n, 0] = cls + pos[0]; y[n, i] = x[n, i-1] + pos[i]
            if classToken.requiresGrad {
                classToken.grad.data.withUnsafeMutableBufferPointer { gc in
                    for img in 0..<n { for j in 0..<d { gc[j] += dy[img * t * d + j] } }
                }
            }
            if positions.requiresGrad {
                positions.grad.data.withUnsafeMutableBufferPointer { gp in
                    for img in 0..<n { for i in 0..<(t * d) { gp[i] += dy[img * t * d + i] } }
                }
            }
            dx.withUnsafeMutableBufferPointer { out in
                for img in 0..<n {
                    (out.baseAddress! + img * (t - 1) * d).update(from: dy.baseAddress! + img * t * d + d, count: (t - 1) * d)
                }
            }
        }
        return Tensor(shape: [n, t - 1, d], data: dx)
    }
}
