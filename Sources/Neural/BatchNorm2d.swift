import Foundation
import Tensor

/// Mirrors `torch.nn.BatchNorm2d` (affine, tracking running statistics).
///
/// Training: each channel is normalised with the batch mean and biased variance over (N, H, W);
/// running statistics move by `momentum` toward the batch mean and the *unbiased* variance
/// (M / (M − 1) · var), as PyTorch does. Evaluation: the running statistics are used.
///
/// - Parameters: `features` (C), `eps` (default 1e-5), `momentum` (default 0.1).
/// - Learned: `weight` γ (C) = 1, `bias` β (C) = 0.
/// - Buffers: `runningMean` (C) = 0, `runningVar` (C) = 1, `numBatchesTracked` (scalar, counted as
///   Float here; PyTorch stores int64).
public final class BatchNorm2d: StatefulLayer {
    public let features: Int
    public let eps: Float
    public var momentum: Float
    public let weight: Parameter, bias: Parameter
    public let runningMean: Parameter, runningVar: Parameter, numBatchesTracked: Parameter

    /// The last input (N, C, H, W) and the mean it was centred by. Backward recomputes
    /// x̂ = (x − μ) · invStd with the forward pass's own expression (the same bits), so the forward
    /// pass writes only y: a frozen network's batch norms, whose backward never runs, save a pass
    /// over every activation.
    private var input = Tensor(zeros: [0])
    private var mean: [Float] = []
    /// 1 / sqrt(var + eps) per channel (C), from the batch in training and the running var in eval.
    private var invStd: [Float] = []
    private var trainedForward = true

    public init(_ features: Int, eps: Float = 1e-5, momentum: Float = 0.1) {
        self.features = features; self.eps = eps; self.momentum = momentum
        weight = Parameter(name: "weight", value: Tensor(shape: [features], repeating: 1))
        bias = Parameter(name: "bias", value: Tensor(zeros: [features]))
        runningMean = Parameter(name: "running_mean", value: Tensor(zeros: [features]), requiresGrad: false)
        runningVar = Parameter(name: "running_var", value: Tensor(shape: [features], repeating: 1), requiresGrad: false)
        numBatchesTracked = Parameter(name: "num_batches_tracked", value: Tensor(zeros: []), requiresGrad: false)
    }

    public var parameters: [Parameter] { [weight, bias] }
    public var stateTensors: [Parameter] { [weight, bias, runningMean, runningVar, numBatchesTracked] }

    public func forward(_ x: Tensor, training: Bool) -> Tensor { forward(x, training: training, thenReLU: false) }

    /// With `thenReLU`, returns ReLU(BN(x)) in the same pass (one write of the activation instead of
    /// two): the values `ReLU.forward` would give on this layer's output, for `ReLU.adopt(_:)`.
    /// Backward is unchanged: it recomputes x̂ from the input and gets dy from the ReLU.
    public func forward(_ x: Tensor, training: Bool, thenReLU: Bool) -> Tensor {
        precondition(x.rank == 4 && x.shape[1] == features, "BatchNorm2d(\(features)) got input \(x.shape)")
        let n = x.shape[0], c = features, hw = x.shape[2] * x.shape[3], m = n * hw
        trainedForward = training
        invStd = [Float](repeating: 0, count: c)
        var mean = [Float](repeating: 0, count: c)
        if training {
            precondition(m > 1, "BatchNorm2d needs more than one value per channel in training, got input \(x.shape)")
            var variance = [Float](repeating: 0, count: c)
            x.data.withUnsafeBufferPointer { xp in
                mean.withUnsafeMutableBufferPointer { mp in
                    variance.withUnsafeMutableBufferPointer { vp in
                        Parallel.forEach(c) { ch in
                            // One pass of Σx and Σx² in Double: with values of order one and at most a few
                            // million per channel, E[x²] − E[x]² keeps about 1e-9 relative accuracy in Double.
                            // Sums of x − shift (BatchNormSums): the variance never cancels against a large mean.
                            var sum = 0.0, squares = 0.0
                            let shift = xp[ch * hw]
                            for s in 0..<n {
                                let t = BatchNormSums.shifted(xp.baseAddress! + (s * c + ch) * hw, count: hw, shift: shift)
                                sum += t.sum; squares += t.squares
                            }
                            let mu = sum / Double(m)
                            let ss = max(0, squares - sum * mu)
                            mp[ch] = Float(Double(shift) + mu); vp[ch] = Float(ss / Double(m))
                        }
                    }
                }
            }
            for ch in 0..<c {
                invStd[ch] = 1 / (variance[ch] + eps).squareRoot()
                let unbiased = variance[ch] * Float(m) / Float(m - 1)
                runningMean.value.data[ch] = (1 - momentum) * runningMean.value.data[ch] + momentum * mean[ch]
                runningVar.value.data[ch] = (1 - momentum) * runningVar.value.data[ch] + momentum * unbiased
            }
            numBatchesTracked.value.data[0] += 1
        } else {
            for ch in 0..<c {
                mean[ch] = runningMean.value.data[ch]
                invStd[ch] = 1 / (runningVar.value.data[ch] + eps).squareRoot()
            }
        }
        let y = Tensor.uninitialized(x.shape) { yp in
            x.data.withUnsafeBufferPointer { xp in
                weight.value.data.withUnsafeBufferPointer { gp in
                    bias.value.data.withUnsafeBufferPointer { bp in
                        // y = γ · x̂ + β, x̂ = (x − μ) · invStd, one (sample, channel) plane at a time.
                        Parallel.forEach(n * c, minimumChunk: 8) { plane in
                            let ch = plane % c, off = plane * hw
                            let mu = mean[ch], s = invStd[ch], gamma = gp[ch], beta = bp[ch]
                            if thenReLU {
                                for i in 0..<hw { yp[off + i] = ReLU.apply(gamma * Self.normalize(xp[off + i], mu, s) + beta) }
                            } else {
                                for i in 0..<hw { yp[off + i] = gamma * Self.normalize(xp[off + i], mu, s) + beta }
                            }
                        }
                    }
                }
            }
        }
        input = x
        self.mean = mean
        return y
    }

    /// x̂ of one value: the single expression both passes use.
    @inline(__always)
    private static func normalize(_ x: Float, _ mu: Float, _ invStd: Float) -> Float { (x - mu) * invStd }

    public func backward(_ dy: Tensor) -> Tensor {
        precondition(dy.shape == input.shape, "BatchNorm2d backward got gradient \(dy.shape), expected \(input.shape)")
        let n = dy.shape[0], c = features, hw = dy.shape[2] * dy.shape[3], m = Double(n * hw)
        let means = mean, scales = invStd
        // Per channel: Σ dy and Σ dy · x̂ (they are dβ and dγ), x̂ recomputed one plane at a time.
        var sumDy = [Double](repeating: 0, count: c), sumDyXhat = [Double](repeating: 0, count: c)
        dy.data.withUnsafeBufferPointer { dp in
            input.data.withUnsafeBufferPointer { xp in
                sumDy.withUnsafeMutableBufferPointer { sd in
                    sumDyXhat.withUnsafeMutableBufferPointer { sdh in
                        Parallel.forEachChunk(c) { channels in
                            let plane = UnsafeMutablePointer<Float>.allocate(capacity: hw)
                            defer { plane.deallocate() }
                            for ch in channels {
                                let mu = means[ch], inv = scales[ch]
                                var a = 0.0, b = 0.0
                                for s in 0..<n {
                                    let off = (s * c + ch) * hw
                                    for i in 0..<hw { plane[i] = Self.normalize(xp[off + i], mu, inv) }
                                    let t = BatchNormSums.sumAndDot(dp.baseAddress! + off, plane, count: hw)
                                    a += t.sum; b += t.dot
                                }
                                sd[ch] = a; sdh[ch] = b
                            }
                        }
                    }
                }
            }
        }
        if weight.requiresGrad { for ch in 0..<c { weight.grad.data[ch] += Float(sumDyXhat[ch]) } }
        if bias.requiresGrad { for ch in 0..<c { bias.grad.data[ch] += Float(sumDy[ch]) } }
        let training = trainedForward
        return Tensor.uninitialized(dy.shape) { dxp in
            dy.data.withUnsafeBufferPointer { dp in
                input.data.withUnsafeBufferPointer { xp in
                    weight.value.data.withUnsafeBufferPointer { gp in
                        Parallel.forEach(n * c, minimumChunk: 8) { plane in
                            let ch = plane % c, off = plane * hw
                            let scale = gp[ch] * invStd[ch]
                            if training {
                                // x̂ = (x − μ)/σ with μ, σ functions of the batch:
                                // dx = γ·invStd · (dy − mean(dy) − x̂ · mean(dy · x̂))
                                let meanDy = Float(sumDy[ch] / m), meanDyXhat = Float(sumDyXhat[ch] / m)
                                let mu = means[ch], s = scales[ch]
                                for i in 0..<hw {
                                    let h = Self.normalize(xp[off + i], mu, s)
                                    dxp[off + i] = scale * (dp[off + i] - meanDy - h * meanDyXhat)
                                }
                            } else {
                                // Running statistics are constants: dx = γ · invStd · dy.
                                for i in 0..<hw { dxp[off + i] = scale * dp[off + i] }
                            }
                        }
                    }
                }
            }
        }
    }
}
