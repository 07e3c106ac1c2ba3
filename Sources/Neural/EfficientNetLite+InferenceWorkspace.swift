import Tensor

extension EfficientNetLite.InferencePlan {
    /// The buffers one worker needs to run one H×W image through an `InferencePlan`, allocated once:
    /// two block inputs/outputs `x`, `y` (ping-pong; y gets the skip of x), the expansion `expanded`
    /// (also the head's (1280, HW)), the depthwise output `depthwise`, and `scratch` for padded
    /// phase planes (`InferenceKernels.Same`). With the SAME geometry of every layer for H×W.
    ///
    /// A workspace belongs to one thread at a time (`forEachImage` gives each worker its own).
    public final class Workspace: @unchecked Sendable {
        struct Layer { let geometry: InferenceKernels.Same; let taps: UnsafeMutablePointer<Int> }

        public let height: Int, width: Int
        let stem: InferenceKernels.Same, stemTaps: UnsafeMutablePointer<Int>
        let blocks: [Layer]
        /// H·W of the head's input.
        let headHW: Int
        let x: UnsafeMutablePointer<Float>, y: UnsafeMutablePointer<Float>
        let expanded: UnsafeMutablePointer<Float>, depthwise: UnsafeMutablePointer<Float>
        let scratch: UnsafeMutablePointer<Float>

        public init(_ plan: EfficientNetLite.InferencePlan, height: Int, width: Int) {
            precondition(height > 0 && width > 0, "InferencePlan.Workspace: empty image \(height)x\(width)")
            self.height = height; self.width = width
            func taps(_ g: InferenceKernels.Same) -> UnsafeMutablePointer<Int> {
                let offsets = g.tapOffsets()
                let p = UnsafeMutablePointer<Int>.allocate(capacity: offsets.count)
                p.initialize(from: offsets, count: offsets.count)
                return p
            }
            stem = InferenceKernels.Same(k: 3, s: 2, h: height, w: width)
            stemTaps = taps(stem)
            var io = plan.stemChannels * stem.ho * stem.wo, hidden = 0, scratchSize = 3 * stem.channelSize
            var (h, w) = (stem.ho, stem.wo)
            var layers: [Layer] = []
            for block in plan.blocks {
                let g = InferenceKernels.Same(k: block.kernel, s: block.stride, h: h, w: w)
                layers.append(Layer(geometry: g, taps: taps(g)))
                hidden = max(hidden, block.hidden * h * w, block.hidden * g.ho * g.wo)
                scratchSize = max(scratchSize, g.channelSize)
                (h, w) = (g.ho, g.wo)
                io = max(io, block.output * h * w)
            }
            blocks = layers
            headHW = h * w
            hidden = max(hidden, EfficientNetLite.featureLength * headHW)
            func buffer(_ count: Int) -> UnsafeMutablePointer<Float> {
                let p = UnsafeMutablePointer<Float>.allocate(capacity: count)
                p.initialize(repeating: 0, count: count)
                return p
            }
            x = buffer(io); y = buffer(io)
            expanded = buffer(hidden); depthwise = buffer(hidden)
            scratch = buffer(scratchSize)
        }

        deinit {
            for p in [x, y, expanded, depthwise, scratch] { p.deallocate() }
            stemTaps.deallocate()
            for layer in blocks { layer.taps.deallocate() }
        }
    }
}
