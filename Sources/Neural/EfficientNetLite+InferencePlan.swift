import Dispatch
import Foundation
import Tensor

extension EfficientNetLite {
    /// The pooled features of `EfficientNetLite.features(_:)`, forward only and fast: a snapshot
    /// of a loaded model with each evaluation-mode batch norm (eps 1e-3) folded into the preceding
    /// convolution (W' = W·γ/√(σ²+ε), b = β − μ·γ/√(σ²+ε)), ReLU6 and the skip-add applied by the
    /// kernel that produces the values (`InferenceKernels`), and no saved inputs.
    ///
    /// Each worker takes whole images (OpenBLAS single-threaded meanwhile) through its own
    /// `Workspace` of preallocated buffers, so an image's activations stay in that core's caches
    /// and its result does not depend on the batch, the thread count or the timing: the features
    /// of an image are bit-identical however it is scheduled.
    ///
    ///     let plan = EfficientNetLite.InferencePlan(model)   // after StateDict.load
    ///     let f = plan.features(images)                         // (N, 3, H, W) -> (N, 1280)
    ///
    /// The results equal `features(_:)` up to Float32 rounding (sums taken in another order).
    /// Later changes to the model's weights do not reach an existing plan.
    ///
    /// `trunkFeatures` stops before the last stage: the frozen part of the partial fine-tuning
    /// recipe, whose output `EfficientNetLiteTail` takes (deterministic per image as well).
    public final class InferencePlan: @unchecked Sendable {
        /// A convolution with its batch norm folded in: `weight` (O, C·k·k), `bias` (O).
        struct Folded {
            var weight: [Float], bias: [Float]

            init(_ w: Tensor, _ bn: BatchNorm2d) {
                let out = w.shape[0], per = w.count / out
                precondition(bn.features == out, "batch norm of \(bn.features) after a convolution of \(out) filters")
                weight = w.data; bias = [Float](repeating: 0, count: out)
                for o in 0..<out {
                    let scale = bn.weight.value.data[o] / (bn.runningVar.value.data[o] + bn.eps).squareRoot()
                    for i in (o * per)..<((o + 1) * per) { weight[i] *= scale }
                    bias[o] = bn.bias.value.data[o] - bn.runningMean.value.data[o] * scale
                }
            }
        }

        /// One MBConv block: optional 1×1 expand (+ReLU6), k×k depthwise (+ReLU6), 1×1 project (+skip).
        struct Block {
            let input: Int, hidden: Int, output: Int, kernel: Int, stride: Int, skip: Bool
            let expand: Folded?, depthwise: Folded, project: Folded
        }

        let stem: Folded, blocks: [Block], head: Folded
        let stemChannels: Int, headInput: Int
        /// Index of the last stage's first block: `trunkFeatures` are that block's input.
        public let lastStageStart: Int

        public init(_ model: EfficientNetLite) {
            stem = Folded(model.convStem.weight.value, model.bn0)
            stemChannels = model.convStem.outChannels
            blocks = model.blocks.map { b in
                Block(input: b.expandConv?.inChannels ?? b.depthwiseConv.inChannels,
                      hidden: b.depthwiseConv.outChannels, output: b.projectConv.outChannels,
                      kernel: b.depthwiseConv.kernelSize, stride: b.depthwiseConv.stride, skip: b.hasSkip,
                      expand: b.expandConv.map { Folded($0.weight.value, b.bn0!) },
                      depthwise: Folded(b.depthwiseConv.weight.value, b.bn1),
                      project: Folded(b.projectConv.weight.value, b.bn2))
            }
            head = Folded(model.convHead.weight.value, model.bn1)
            headInput = model.convHead.inChannels
            lastStageStart = model.lastStageStart
        }

        /// Features of one image (3, H, W) into `features` (1280), using `workspace` (made for H×W).
        public func features(image: UnsafePointer<Float>, into features: UnsafeMutablePointer<Float>, workspace ws: Workspace) {
            let x = run(image: image, blocks: blocks.count, workspace: ws)
            head.weight.withUnsafeBufferPointer { w in
                head.bias.withUnsafeBufferPointer { b in
                    InferenceKernels.pooledPointwise(x, cin: headInput, hw: ws.headHW, weights: w.baseAddress!, bias: b.baseAddress!,
                                                     cout: EfficientNetLite.featureLength, scratch: ws.expanded, into: features)
                }
            }
        }

        /// The trunk's output for one image (3, H, W): the activations entering the last stage,
        /// `trunkShape(height: H, width: W)` values (channels, h, w), into `trunk`.
        public func trunkFeatures(image: UnsafePointer<Float>, into trunk: UnsafeMutablePointer<Float>, workspace ws: Workspace) {
            let x = run(image: image, blocks: lastStageStart, workspace: ws)
            let shape = trunkShape(height: ws.height, width: ws.width)
            trunk.update(from: x, count: shape.channels * shape.height * shape.width)
        }

        /// (channels, height, width) of the trunk features of an H×W image.
        public func trunkShape(height: Int, width: Int) -> (channels: Int, height: Int, width: Int) {
            var (h, w) = ((height + 1) / 2, (width + 1) / 2)   // the stem's stride 2, SAME
            for block in blocks[..<lastStageStart] where block.stride == 2 { (h, w) = ((h + 1) / 2, (w + 1) / 2) }
            return (blocks[lastStageStart].input, h, w)
        }

        /// The trunk features (N, C, h, w) of x (N, 3, H, W), images spread over the worker threads.
        public func trunkFeatures(_ x: Tensor) -> Tensor {
            precondition(x.rank == 4 && x.shape[1] == 3, "EfficientNetLite.InferencePlan expects (N, 3, H, W), got \(x.shape)")
            let n = x.shape[0], h = x.shape[2], w = x.shape[3], shape = trunkShape(height: h, width: w)
            let per = shape.channels * shape.height * shape.width
            return Tensor.uninitialized([n, shape.channels, shape.height, shape.width]) { out in
                x.data.withUnsafeBufferPointer { xp in
                    forEachImage(n, height: h, width: w) { i, ws in
                        trunkFeatures(image: xp.baseAddress! + i * 3 * h * w, into: out + i * per, workspace: ws)
                    }
                }
            }
        }

        /// Runs one image through the stem and the first `count` blocks; returns the workspace
        /// buffer holding the last block's output (the stem's when `count` is 0).
        private func run(image: UnsafePointer<Float>, blocks count: Int, workspace ws: Workspace) -> UnsafeMutablePointer<Float> {
            precondition(ws.blocks.count == blocks.count, "InferencePlan: workspace made for another plan")
            // Stem: 3×3 stride-2 SAME convolution of the three padded input channels, ReLU6.
            let g0 = ws.stem
            for c in 0..<3 { InferenceKernels.pad(image + c * g0.h * g0.w, g0, into: ws.scratch + c * g0.channelSize) }
            stem.weight.withUnsafeBufferPointer { w in
                for o in 0..<stemChannels {
                    InferenceKernels.convolvePlane(ws.scratch, inputs: 3, channelStride: g0.channelSize, w.baseAddress! + o * 27,
                                                   bias: stem.bias[o], g0, taps: ws.stemTaps, relu: true,
                                                   into: ws.x + o * g0.ho * g0.wo)
                }
            }
            var x = ws.x, y = ws.y
            for (block, g) in zip(blocks[..<count], ws.blocks) {
                let hw = g.geometry.h * g.geometry.w, outHW = g.geometry.ho * g.geometry.wo
                var dwInput = UnsafePointer(x)
                if let expand = block.expand {
                    expand.weight.withUnsafeBufferPointer { w in
                        expand.bias.withUnsafeBufferPointer { b in
                            InferenceKernels.pointwise(x, cin: block.input, hw: hw, weights: w.baseAddress!, bias: b.baseAddress!,
                                                       cout: block.hidden, relu: true, residual: nil, into: ws.expanded)
                        }
                    }
                    dwInput = UnsafePointer(ws.expanded)
                }
                block.depthwise.weight.withUnsafeBufferPointer { w in
                    block.depthwise.bias.withUnsafeBufferPointer { b in
                        InferenceKernels.depthwise(dwInput, channels: block.hidden, g.geometry, weights: w.baseAddress!,
                                                   bias: b.baseAddress!, taps: g.taps, scratch: ws.scratch, into: ws.depthwise)
                    }
                }
                block.project.weight.withUnsafeBufferPointer { w in
                    block.project.bias.withUnsafeBufferPointer { b in
                        InferenceKernels.pointwise(ws.depthwise, cin: block.hidden, hw: outHW, weights: w.baseAddress!,
                                                   bias: b.baseAddress!, cout: block.output, relu: false,
                                                   residual: block.skip ? UnsafePointer(x) : nil, into: y)
                    }
                }
                swap(&x, &y)
            }
            return x
        }

        /// The pooled features (N, 1280) of x (N, 3, H, W), images spread over the worker threads.
        public func features(_ x: Tensor) -> Tensor {
            precondition(x.rank == 4 && x.shape[1] == 3, "EfficientNetLite.InferencePlan expects (N, 3, H, W), got \(x.shape)")
            let n = x.shape[0], h = x.shape[2], w = x.shape[3], width = EfficientNetLite.featureLength
            return Tensor.uninitialized([n, width]) { out in
                x.data.withUnsafeBufferPointer { xp in
                    forEachImage(n, height: h, width: w) { i, ws in
                        features(image: xp.baseAddress! + i * 3 * h * w, into: out + i * width, workspace: ws)
                    }
                }
            }
        }

        /// Calls `body(i, workspace)` for every image index in `0..<count`, each worker thread
        /// taking the next index when free and using its own workspace for H×W images; OpenBLAS
        /// runs single-threaded meanwhile. Indices are handed out in increasing order.
        ///
        /// Whole images per core measured fastest on the 2-core machine (224×224, random weights):
        /// one worker 57 images/s, one worker with OpenBLAS on 2 threads 64, two workers 102 to 107.
        public func forEachImage(_ count: Int, height: Int, width: Int, _ body: (Int, Workspace) -> Void) {
            guard count > 0 else { return }
            let workers = min(Parallel.threadCount, count)
            let workspaces = (0..<workers).map { _ in Workspace(self, height: height, width: width) }
            let previous = Parallel.blasThreads
            Parallel.blasThreads = 1
            defer { Parallel.blasThreads = previous }
            if workers == 1 { for i in 0..<count { body(i, workspaces[0]) }; return }
            let next = IndexDispenser()
            // Each index is handed out once and each worker owns its workspace, so sharing the
            // non-Sendable closure is safe; the cast states that promise (as `Parallel.forEachChunk`).
            withoutActuallyEscaping(body) { body in
                let shared = unsafeBitCast(body, to: (@Sendable (Int, Workspace) -> Void).self)
                DispatchQueue.concurrentPerform(iterations: workers) { w in
                    while let i = next.take(below: count) { shared(i, workspaces[w]) }
                }
            }
        }
    }
}
