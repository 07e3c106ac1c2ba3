import Foundation
import Tensor

/// The Barnes–Hut approximation of the t-SNE gradient and KL divergence in 2-D (degrees of freedom 1).
///
/// Port of `gradient` in sklearn/manifold/_barnes_hut_tsne.pyx (van der Maaten 2014, "Accelerating
/// t-SNE using tree-based algorithms"):
///
///     ∂C/∂y_i = 4 [ Σ_j p_ij q_ij Z (y_i − y_j)  −  Σ_cells N_cell (q_cell Z)² (y_i − y_cell) / Z ]
///
/// with `q Z = 1 / (1 + ‖y_i − y_j‖²)`. The attractive sum runs over the sparse `P`; the repulsive
/// one over the quadtree, a cell standing in for its points when `width² / distance² < θ²` (or when
/// it is a leaf). `Z = Σ N_cell q_cell Z` is summed along the way. Both loops are split over the cores.
struct BarnesHutGradient {
    var tree = QuadTree()
    /// Repulsive force per point, `(n, 2)` interleaved.
    var repulsive: [Double] = []
    /// Each point's contribution to `Z`, `(n,)`.
    var partialZ: [Double] = []
    /// Each point's contribution to the KL divergence, `(n,)`.
    var partialError: [Double] = []

    /// Writes the gradient of the KL divergence at `positions` into `gradient` (both `(n, 2)`
    /// interleaved) and returns the KL divergence `Σ p_ij log(p_ij / q_ij)` when `computeError`
    /// (else 0), with `q_ij` from the Barnes–Hut estimate of `Z`, as sklearn reports it.
    mutating func evaluate(positions: UnsafeBufferPointer<Double>, affinities: SparseAffinities, exaggeration: Double,
                           angle: Double, computeError: Bool, gradient: UnsafeMutableBufferPointer<Double>) -> Double {
        let n = positions.count / 2
        if repulsive.count != 2 * n {
            repulsive = [Double](repeating: 0, count: 2 * n)
            partialZ = [Double](repeating: 0, count: n)
            partialError = [Double](repeating: 0, count: n)
        }
        tree.build(positions: positions, n: n)
        let squaredTheta = angle * angle
        // Repulsion through the tree.
        let tree = self.tree
        repulsive.withUnsafeMutableBufferPointer { neg in
            partialZ.withUnsafeMutableBufferPointer { zs in
                tree.cells.withUnsafeBufferPointer { cells in
                    Parallel.forEachChunk(n, minimumChunk: 512) { range in
                        // Depth ≤ 61 and ≤ 4 children per level bound the stack.
                        withUnsafeTemporaryAllocation(of: Int32.self, capacity: 256) { stack in
                            for i in range {
                                let px = positions[2 * i], py = positions[2 * i + 1]
                                var fx = 0.0, fy = 0.0, z = 0.0
                                var top = 1
                                stack[0] = 0
                                while top > 0 {
                                    top -= 1
                                    let cell = cells[Int(stack[top])]
                                    let dx = px - cell.massX, dy = py - cell.massY
                                    let d2 = dx * dx + dy * dy
                                    let isLeaf = cell.childCount == 0
                                    // No self-interaction: a leaf at (or within 1e-6 of) the point itself.
                                    if isLeaf && abs(dx) <= QuadTree.duplicateEpsilon && abs(dy) <= QuadTree.duplicateEpsilon {
                                        continue
                                    }
                                    if isLeaf || cell.squaredWidth / d2 < squaredTheta {
                                        let qz = 1 / (1 + d2)
                                        let weighted = cell.count * qz
                                        z += weighted
                                        let m = weighted * qz
                                        fx += m * dx; fy += m * dy
                                    } else {
                                        // Push children last-first so they are visited in sklearn's order.
                                        let first = Int(cell.childStart), k = Int(cell.childCount)
                                        for c in stride(from: first + k - 1, through: first, by: -1) {
                                            stack[top] = Int32(c); top += 1
                                        }
                                    }
                                }
                                neg[2 * i] = fx; neg[2 * i + 1] = fy
                                zs[i] = z
                            }
                        }
                    }
                }
            }
        }
        let sumQ = max(partialZ.reduce(0, +), Double.leastNormalMagnitude)
        // Attraction over the sparse P, then combine.
        let tiny = Double(Float.leastNormalMagnitude)
        repulsive.withUnsafeBufferPointer { neg in
            partialError.withUnsafeMutableBufferPointer { errs in
                affinities.rowStart.withUnsafeBufferPointer { rowStart in
                affinities.columns.withUnsafeBufferPointer { columns in
                affinities.values.withUnsafeBufferPointer { values in
                    Parallel.forEachChunk(n, minimumChunk: 512) { range in
                        for i in range {
                            let px = positions[2 * i], py = positions[2 * i + 1]
                            var fx = 0.0, fy = 0.0, error = 0.0
                            for e in rowStart[i]..<rowStart[i + 1] {
                                let j = columns[e]
                                let p = values[e] * exaggeration
                                let dx = px - positions[2 * j], dy = py - positions[2 * j + 1]
                                let q = 1 / (1 + dx * dx + dy * dy)
                                let pq = p * q
                                fx += pq * dx; fy += pq * dy
                                if computeError {
                                    error += p * log(max(p, tiny) / max(q / sumQ, tiny))
                                }
                            }
                            errs[i] = error
                            gradient[2 * i] = 4 * (fx - neg[2 * i] / sumQ)
                            gradient[2 * i + 1] = 4 * (fy - neg[2 * i + 1] / sumQ)
                        }
                    }
                }}}
            }
        }
        return computeError ? partialError.reduce(0, +) : 0
    }
}
