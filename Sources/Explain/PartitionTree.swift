import Tensor

/// shap's balanced hierarchical partition of an (H, W, C) image: port of
/// shap/maskers/_image.py `_jit_build_partition_tree`.
///
/// Boxes are popped largest first (ties by their corners, as Python's heapq compares the tuples)
/// and split in half along the longer of height and width (channels only once a box is a single
/// pixel). Internal nodes are numbered M, M+1, ... from the last popped to the root (2M − 2); leaves
/// get M − 1 − p for the box at flat position p, exactly as shap numbers them, so the leaf called j
/// stands for mask feature j. A node therefore masks its box reflected through the image centre
/// (feature M − 1 − p for each position p of the box), which is what shap's mask matrix does too.
public struct PartitionTree: Sendable {
    /// An axis-aligned box of (row, column, channel) ranges, upper bounds exclusive.
    public struct Box: Sendable, Equatable {
        public var rows: Range<Int>, columns: Range<Int>, channels: Range<Int>
        public var size: Int { rows.count * columns.count * channels.count }
    }

    public let height: Int, width: Int, channels: Int
    /// Number of leaves (mask features), H·W·C.
    public let leafCount: Int
    /// For internal node M + i: its left and right child ids and its leaf count (shap's clustering
    /// columns 0, 1 and 3; column 2, the distance, is always 0 there).
    public private(set) var left: [Int], right: [Int], size: [Int]
    /// Mask features of every node (ids 0 ..< 2M − 1), as a box in feature space.
    public private(set) var features: [Box]

    public init(height: Int, width: Int, channels: Int) {
        self.height = height; self.width = width; self.channels = channels
        let m = height * width * channels
        precondition(m >= 2, "PartitionTree needs at least two features")
        leafCount = m
        left = [Int](repeating: 0, count: m - 1); right = left; size = left
        features = [Box](repeating: Box(rows: 0..<0, columns: 0..<0, channels: 0..<0), count: 2 * m - 1)

        struct Entry: Comparable {
            var key: [Int]   // (−size, xmin, xmax, ymin, ymax, zmin, zmax): heapq's tuple order
            var box: Box, parent: Int, isLeft: Bool
            static func < (a: Entry, b: Entry) -> Bool { a.key.lexicographicallyPrecedes(b.key) }
            static func == (a: Entry, b: Entry) -> Bool { a.key == b.key }
        }
        func entry(_ b: Box, _ parent: Int, _ isLeft: Bool) -> Entry {
            Entry(key: [-b.size, b.rows.lowerBound, b.rows.upperBound, b.columns.lowerBound, b.columns.upperBound,
                        b.channels.lowerBound, b.channels.upperBound], box: b, parent: parent, isLeft: isLeft)
        }
        var heap = BinaryHeap<Entry>()
        heap.push(entry(Box(rows: 0..<height, columns: 0..<width, channels: 0..<channels), -1, false))
        var ind = m - 2
        while let e = heap.pop() {
            let node = ind + m
            if e.parent >= 0 { if e.isLeft { left[e.parent] = node } else { right[e.parent] = node } }
            features[node] = Self.reflected(e.box, height: height, width: width, channels: channels)
            let b = e.box
            if b.size > 1 {
                var l = b, r = b
                if b.rows.count >= b.columns.count && b.rows.count > 1 {
                    let mid = b.rows.lowerBound + b.rows.count / 2
                    l.rows = b.rows.lowerBound..<mid; r.rows = mid..<b.rows.upperBound
                } else if b.columns.count > 1 {
                    let mid = b.columns.lowerBound + b.columns.count / 2
                    l.columns = b.columns.lowerBound..<mid; r.columns = mid..<b.columns.upperBound
                } else {
                    let mid = b.channels.lowerBound + b.channels.count / 2
                    l.channels = b.channels.lowerBound..<mid; r.channels = mid..<b.channels.upperBound
                }
                heap.push(entry(l, ind, true)); heap.push(entry(r, ind, false))
            }
            ind -= 1
        }
        for i in 0..<(m - 1) {
            let ls = left[i] < m ? 1 : size[left[i] - m], rs = right[i] < m ? 1 : size[right[i] - m]
            size[i] = ls + rs
        }
    }

    /// The root's id, 2M − 2.
    public var root: Int { 2 * leafCount - 2 }

    /// The box {M − 1 − p : p ∈ b}: each axis mirrored.
    static func reflected(_ b: Box, height: Int, width: Int, channels: Int) -> Box {
        Box(rows: (height - b.rows.upperBound)..<(height - b.rows.lowerBound),
            columns: (width - b.columns.upperBound)..<(width - b.columns.lowerBound),
            channels: (channels - b.channels.upperBound)..<(channels - b.channels.lowerBound))
    }

    /// Sets `mask[f] = true` for every feature f of `node` (flat (row, column, channel) order).
    public func mark(_ node: Int, in mask: inout [Bool]) {
        let b = features[node]
        for r in b.rows { for c in b.columns { for z in b.channels { mask[(r * width + c) * channels + z] = true } } }
    }
}
