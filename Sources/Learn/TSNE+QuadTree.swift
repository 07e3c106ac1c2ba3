/// A quadtree over the 2-D embedding for Barnes–Hut t-SNE, stored as flat arrays.
///
/// Same cells as scikit-learn's `_QuadTree` (sklearn/neighbors/_quad_tree.pyx): the root box runs
/// from the minimum to a slightly enlarged maximum of the points, every cell splits at its centre
/// into up to four children (empty ones are not created), and a leaf holds one location: points
/// within 1e-6 of the leaf's first point on both axes are merged into it as duplicates. Each cell
/// keeps its centre of mass, point count and squared width, which is all the force summary needs.
/// Built top-down by partitioning the point indices (stable, so a leaf's first point is the one
/// sklearn would have inserted first) instead of by one-at-a-time insertion.
struct QuadTree {
    /// Distance on each axis below which two points count as the same location (sklearn's EPSILON).
    static let duplicateEpsilon = 1e-6

    /// One cell, packed so the force traversal reads a single 40-byte record per visit.
    struct Cell {
        /// Centre of mass.
        var massX = 0.0, massY = 0.0
        /// Points in the cell (duplicates included).
        var count = 0.0
        /// Square of the cell's largest side.
        var squaredWidth = 0.0
        /// Index of the first child; children of a cell are contiguous. Leaves have `childCount` 0.
        var childStart: Int32 = 0
        var childCount: Int32 = 0
    }

    var cells: [Cell] = []

    private var order: [Int] = []
    private var scratch: [Int] = []

    var nodeCount: Int { cells.count }

    /// Rebuilds the tree over `positions` (interleaved x, y of `n` points), reusing the storage.
    mutating func build(positions: UnsafeBufferPointer<Double>, n: Int) {
        cells.removeAll(keepingCapacity: true)
        if order.count != n { order = Array(0..<n); scratch = order } else { for i in 0..<n { order[i] = i } }
        guard n > 0 else { return }
        var minX = Double.infinity, minY = Double.infinity, maxX = -Double.infinity, maxY = -Double.infinity
        for i in 0..<n {
            minX = min(minX, positions[2 * i]); maxX = max(maxX, positions[2 * i])
            minY = min(minY, positions[2 * i + 1]); maxY = max(maxY, positions[2 * i + 1])
        }
        // sklearn: M = max(M (1 + 1e-3 sign M), M + 1e-3), so every point is strictly inside.
        func enlarge(_ m: Double) -> Double { max(m * (1 + 1e-3 * (m > 0 ? 1 : m < 0 ? -1 : 0)), m + 1e-3) }
        maxX = enlarge(maxX); maxY = enlarge(maxY)
        appendNode()
        fill(node: 0, lo: 0, hi: n, minX: minX, minY: minY, maxX: maxX, maxY: maxY, depth: 0, positions: positions)
    }

    private mutating func appendNode() {
        cells.append(Cell())
    }

    private mutating func fill(node: Int, lo: Int, hi: Int, minX: Double, minY: Double, maxX: Double, maxY: Double,
                               depth: Int, positions: UnsafeBufferPointer<Double>) {
        let w = max(maxX - minX, maxY - minY)
        cells[node].squaredWidth = w * w
        cells[node].count = Double(hi - lo)
        let first = order[lo]
        let fx = positions[2 * first], fy = positions[2 * first + 1]
        var allDuplicates = true
        for r in (lo + 1)..<max(lo + 1, hi) {
            let p = order[r]
            if abs(positions[2 * p] - fx) > Self.duplicateEpsilon || abs(positions[2 * p + 1] - fy) > Self.duplicateEpsilon {
                allDuplicates = false; break
            }
        }
        // 60 halvings take any box below the duplicate distance; the depth guard only protects
        // against non-finite input.
        if allDuplicates || depth > 60 {
            cells[node].massX = fx; cells[node].massY = fy
            return
        }
        let cx = (minX + maxX) / 2, cy = (minY + maxY) / 2
        // Stable partition into quadrants; x is the high bit, as sklearn numbers children.
        // SIMD4 keeps the per-quadrant counters on the stack (this runs for every cell, every iteration).
        var sizeList = SIMD4<Int>(repeating: 0)
        func quadrant(_ p: Int) -> Int { (positions[2 * p] >= cx ? 2 : 0) + (positions[2 * p + 1] >= cy ? 1 : 0) }
        for r in lo..<hi { sizeList[quadrant(order[r])] += 1 }
        let starts = SIMD4<Int>(lo, lo + sizeList[0], lo + sizeList[0] + sizeList[1],
                                lo + sizeList[0] + sizeList[1] + sizeList[2])
        var offsets = starts
        for r in lo..<hi {
            let p = order[r], q = quadrant(p)
            scratch[offsets[q]] = p; offsets[q] += 1
        }
        for r in lo..<hi { order[r] = scratch[r] }
        let firstChild = nodeCount
        var children = 0
        for q in 0..<4 where sizeList[q] > 0 { appendNode(); children += 1 }
        cells[node].childStart = Int32(firstChild)
        cells[node].childCount = Int32(children)
        var child = firstChild
        var sx = 0.0, sy = 0.0
        for q in 0..<4 where sizeList[q] > 0 {
            let upperX = q >= 2, upperY = q % 2 == 1
            fill(node: child, lo: starts[q], hi: starts[q] + sizeList[q],
                 minX: upperX ? cx : minX, minY: upperY ? cy : minY,
                 maxX: upperX ? maxX : cx, maxY: upperY ? maxY : cy, depth: depth + 1, positions: positions)
            sx += cells[child].massX * cells[child].count; sy += cells[child].massY * cells[child].count
            child += 1
        }
        cells[node].massX = sx / cells[node].count; cells[node].massY = sy / cells[node].count
    }
}
