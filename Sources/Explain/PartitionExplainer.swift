import Tensor

extension shap {
    /// Port of shap's `PartitionExplainer` (shap/explainers/_partition.py, `explain_row`, `owen`,
    /// `lower_credit`) with an image masker: Owen values over shap's balanced partition of the
    /// image, under an evaluation budget, for every model output.
    ///
    /// The queue, batching (`batchSize` masks per model call, shap's "auto" is 10) and budget
    /// checks follow shap's order exactly, so results agree with shap's for the same masker and
    /// budget. One difference: shap breaks ties between equal priorities with `np.random.randn()`;
    /// here ties go in insertion order (tested fixtures have no ties).
    public struct PartitionExplainer {
        /// Runs the model on a batch of masked 8-bit (H, W, C) images, returning (N, K) outputs.
        public typealias Model = (_ images: [[UInt8]]) -> [[Double]]

        public let model: Model
        public let masker: ImageMasker
        public let batchSize: Int

        public init(model: @escaping Model, masker: ImageMasker, batchSize: Int = 10) {
            precondition(batchSize >= 1, "batchSize must be positive")
            self.model = model; self.masker = masker; self.batchSize = batchSize
        }

        /// One explained image.
        public struct Explanation: Sendable {
            /// `values[k]` are the Owen values of output k, one per feature in (H, W, C) order.
            public var values: [[Double]]
            /// The output on the fully masked image (shap's base value), per output.
            public var baseValues: [Double]
            /// The output on the image itself, per output.
            public var outputs: [Double]
            /// Model evaluations used (shap's `last_eval_count` plus the two ends).
            public var evaluations: Int
        }

        /// Explains one 8-bit (H, W, C) image with at most `maxEvals` model evaluations.
        public func explain(_ image: [UInt8], maxEvals: Int = 500) -> Explanation {
            let tree = masker.tree, m = tree.leafCount
            let prepared = masker.prepare(image)
            func evaluate(_ masks: [MaskChain?], allKept: Bool = false) -> [[Double]] {
                // Masking (inpainting) one image per core; shap does these one after another.
                let images = Parallel.map(masks.count) { i -> [UInt8] in
                    var keep = [Bool](repeating: allKept, count: m)
                    var c = masks[i]
                    while let node = c { tree.mark(node.node, in: &keep); c = node.rest }
                    return prepared.masked(keep: keep)
                }
                return model(images)
            }
            let f00All = evaluate([nil])[0]
            let f11All = evaluate([nil], allKept: true)[0]
            let k = f00All.count
            var dvalues = [[Double]](repeating: [Double](repeating: 0, count: 2 * m - 1), count: k)
            func credit(_ ind: Int, _ delta: [Double], _ weight: Double) {
                for o in 0..<k { dvalues[o][ind] += delta[o] * weight }
            }

            struct Pending { var m00: MaskChain?; var f00: [Double]; var f11: [Double]; var ind: Int; var weight: Double }
            struct Queued: Comparable {
                var priority: Double, order: Int, item: Pending
                static func < (a: Queued, b: Queued) -> Bool { a.priority != b.priority ? a.priority < b.priority : a.order < b.order }
                static func == (a: Queued, b: Queued) -> Bool { a.priority == b.priority && a.order == b.order }
            }
            var queue = BinaryHeap<Queued>()
            var order = 0
            func put(_ priority: Double, _ p: Pending) { queue.push(Queued(priority: priority, order: order, item: p)); order += 1 }
            func maxAbsDiff(_ a: [Double], _ b: [Double]) -> Double { zip(a, b).reduce(0) { max($0, abs($1.0 - $1.1)) } }

            let budget = maxEvals - 2
            put(0, Pending(m00: nil, f00: f00All, f11: f11All, ind: tree.root, weight: 1))
            var evalCount = 0
            while !queue.isEmpty {
                if evalCount >= budget {
                    // Out of budget: what is left stays on the internal nodes.
                    while let q = queue.pop() { credit(q.item.ind, zip(q.item.f11, q.item.f00).map { $0 - $1 }, q.item.weight) }
                    break
                }
                var batch: [(Pending, MaskChain, MaskChain, Int, Int)] = []
                var masks: [MaskChain?] = []
                while !queue.isEmpty && masks.count < batchSize && evalCount + masks.count < budget {
                    let p = queue.pop()!.item
                    if p.ind < m {   // a leaf: distance −1 ends the descent
                        credit(p.ind, zip(p.f11, p.f00).map { $0 - $1 }, p.weight)
                        continue
                    }
                    let l = tree.left[p.ind - m], r = tree.right[p.ind - m]
                    let m10 = MaskChain(node: l, rest: p.m00), m01 = MaskChain(node: r, rest: p.m00)
                    batch.append((p, m10, m01, l, r))
                    masks.append(m10); masks.append(m01)
                }
                guard !batch.isEmpty else { continue }
                let fout = evaluate(masks)
                evalCount += masks.count
                for (i, (p, m10, m01, l, r)) in batch.enumerated() {
                    let f10 = fout[2 * i], f01 = fout[2 * i + 1]
                    let w = p.weight / 2
                    put(-maxAbsDiff(f10, p.f00) * w, Pending(m00: p.m00, f00: p.f00, f11: f10, ind: l, weight: w))
                    put(-maxAbsDiff(f01, p.f00) * w, Pending(m00: p.m00, f00: p.f00, f11: f01, ind: r, weight: w))
                    put(-maxAbsDiff(p.f11, f01) * w, Pending(m00: m01, f00: f01, f11: p.f11, ind: l, weight: w))
                    put(-maxAbsDiff(p.f11, f10) * w, Pending(m00: m10, f00: f10, f11: p.f11, ind: r, weight: w))
                }
            }

            // lower_credit: push every internal node's value down to its leaves by leaf counts.
            var values = [[Double]](repeating: [], count: k)
            for o in 0..<k {
                var v = dvalues[o]
                for node in stride(from: 2 * m - 2, through: m, by: -1) {
                    let row = node - m, l = tree.left[row], r = tree.right[row]
                    let size = Double(tree.size[row])
                    let ls = Double(l < m ? 1 : tree.size[l - m]), rs = Double(r < m ? 1 : tree.size[r - m])
                    v[l] += v[node] * ls / size
                    v[r] += v[node] * rs / size
                }
                values[o] = Array(v[0..<m])
            }
            return Explanation(values: values, baseValues: f00All, outputs: f11All, evaluations: evalCount + 2)
        }
    }

    /// A mask as the chain of partition nodes it keeps (each added node disjoint from the rest),
    /// shared between queue entries instead of copying H·W·C booleans per entry.
    final class MaskChain: @unchecked Sendable {
        let node: Int, rest: MaskChain?
        init(node: Int, rest: MaskChain?) { self.node = node; self.rest = rest }
    }
}
