import Tensor

/// The weight gradient of a Winograd layer, by the same F(4x4, 3x3) tiles as its forward pass.
///
/// Forward: M[ξ] = V[ξ] · U[ξ] with U = G g Gᵀ and y = Aᵀ M A per tile. Its adjoints:
/// dM = A dy Aᵀ per 4x4 tile of dy (6x6, zeros beyond the image), dU[ξ] (C, O) = Σ_tiles V[ξ]ᵀ ·
/// dM[ξ] (36 GEMMs, the tiles V saved by the forward pass), dg = Gᵀ dU G per filter. The GEMMs do
/// 36 multiplications per tile and channel pair where im2col does 144.
/// Numerics as the forward pass: tested against the direct sums at 1e-4 of max|dW| (WinogradTests).
extension Winograd3x3 {
    /// Whether the weight gradient of a Winograd layer is taken by Winograd (else im2col + GEMM):
    /// images of at least 16 tiles (about 13x13 and up). On ResNet18's 7x7 layer4 (4 tiles, of whose
    /// 64 outputs 15 fall outside the image) the per-worker dU sums and the filter transform cost
    /// more than the saved multiplications: resnet18-train measured 26.1 images/s against 31.5 with
    /// im2col for dW in the same run.
    static func weightGradientWins(_ g: ConvGeometry) -> Bool {
        ((g.height + 3) / 4) * ((g.width + 3) / 4) >= 16
    }

    /// dW (O, C, 3, 3) from the input tiles `savedTiles` (written by `correlate(savingTilesTo:)` with
    /// the same shape and budget) and the output gradient dy (N, O, H, W). Workers sum their tiles
    /// into private dU and the partial sums are added in worker order, so the result is deterministic.
    static func filterGradient(savedTiles: UnsafePointer<Float>, outputGradient dy: UnsafePointer<Float>, n: Int,
                               channels c: Int, height h: Int, width w: Int, outChannels o: Int,
                               tileChannelsPerGroup: Int = 131_072) -> [Float] {
        let tiling = Tiling(n: n, height: h, width: w, widestChannels: max(c, o), budget: tileChannelsPerGroup)
        var partials = [Float](repeating: 0, count: tiling.workers * 36 * c * o)
        partials.withUnsafeMutableBufferPointer { pp in
            Parallel.forEach(tiling.workers) { worker in
                let du = pp.baseAddress! + worker * 36 * c * o
                let groupTiles = tiling.largestGroupTiles
                // dy of one image channels-last on whole tiles; beyond the image it stays zero.
                var grid = [Float](repeating: 0, count: 16 * tiling.tilesPerImage * o)
                var dm = [Float](unsafeUninitializedCapacity: 36 * groupTiles * o) { _, k in k = 36 * groupTiles * o }
                let blocks = UnsafeMutablePointer<V8>.allocate(capacity: 24)
                defer { blocks.deallocate() }
                grid.withUnsafeMutableBufferPointer { gp in
                dm.withUnsafeMutableBufferPointer { mp in
                    for group in tiling.groups(ofWorker: worker) {
                        let t = group.count * tiling.tilesPerImage
                        for s in group {
                            transformGradientTiles(dy + s * o * h * w, outChannels: o, tiling: tiling, grid: gp.baseAddress!,
                                                   into: mp.baseAddress!, firstTile: (s - group.lowerBound) * tiling.tilesPerImage,
                                                   groupTiles: t, blocks: blocks)
                        }
                        // dU[ξ] (C, O) += V[ξ]ᵀ (C, T) · dM[ξ] (T, O)
                        let vb = savedTiles + tiling.savedOffset(group, channels: c)
                        for xi in 0..<36 {
                            Float.gemm(transA: true, transB: false, m: c, n: o, k: t, alpha: 1,
                                       a: vb + xi * t * c, lda: c, b: mp.baseAddress! + xi * t * o, ldb: o,
                                       beta: 1, c: du + xi * c * o, ldc: o)
                        }
                    }
                }
                }
            }
        }
        // Σ over workers in order, then dg = Gᵀ dU G.
        for worker in 1..<tiling.workers {
            for i in 0..<(36 * c * o) { partials[i] += partials[worker * 36 * c * o + i] }
        }
        return [Float](unsafeUninitializedCapacity: o * c * 9) { dw, count in
            count = o * c * 9
            partials.withUnsafeBufferPointer { up in
                let step = c * o
                let t = UnsafeMutablePointer<V8>.allocate(capacity: 18)   // t[6k + j]
                defer { t.deallocate() }
                for ic in 0..<c {
                    for ob in Swift.stride(from: 0, to: o, by: 8) {
                        let u = up.baseAddress! + ic * o + ob
                        // Rows first: t[k][j] = Σ_i G[i][k] dU[6i + j], for k < 3, j < 6.
                        for j in 0..<6 {
                            let r = filterTransformAdjoint(load(u + j * step), load(u + (6 + j) * step), load(u + (12 + j) * step),
                                                           load(u + (18 + j) * step), load(u + (24 + j) * step), load(u + (30 + j) * step))
                            t[j] = r.0; t[6 + j] = r.1; t[12 + j] = r.2
                        }
                        for k in 0..<3 {
                            let r = filterTransformAdjoint(t[6 * k], t[6 * k + 1], t[6 * k + 2], t[6 * k + 3], t[6 * k + 4], t[6 * k + 5])
                            for lane in 0..<8 {
                                let f = dw.baseAddress! + ((ob + lane) * c + ic) * 9 + 3 * k
                                f[0] = r.0[lane]; f[1] = r.1[lane]; f[2] = r.2[lane]
                            }
                        }
                    }
                }
            }
        }
    }

    /// dM[ξ][firstTile + tile][o] = (A dy Aᵀ)[ξ] for the 4x4 tiles of one image's dy (O, H, W).
    private static func transformGradientTiles(_ dys: UnsafePointer<Float>, outChannels o: Int, tiling: Tiling,
                                               grid: UnsafeMutablePointer<Float>, into dm: UnsafeMutablePointer<Float>,
                                               firstTile: Int, groupTiles t: Int, blocks cols: UnsafeMutablePointer<V8>) {
        let (h, w) = (tiling.height, tiling.width)
        let gw = 4 * tiling.tilesW
        copyChannelsLast(dys, channels: o, height: h, width: w, into: grid, rowPixels: gw)
        for th in 0..<tiling.tilesH {
            for tw in 0..<tiling.tilesW {
                let tile = firstTile + th * tiling.tilesW + tw
                let corner = grid + (4 * th * gw + 4 * tw) * o
                for ob in Swift.stride(from: 0, to: o, by: 8) {
                    // A dy: columns b, rows combined (6 rows × 4 columns).
                    for b in 0..<4 {
                        let p = corner + b * o + ob
                        let r = outputTransformAdjoint(load(p), load(p + gw * o), load(p + 2 * gw * o), load(p + 3 * gw * o))
                        cols[b] = r.0; cols[4 + b] = r.1; cols[8 + b] = r.2
                        cols[12 + b] = r.3; cols[16 + b] = r.4; cols[20 + b] = r.5
                    }
                    // (A dy) Aᵀ: rows i, columns combined; dM[ξ = 6i + j][tile][ob…]
                    for i in 0..<6 {
                        let r = outputTransformAdjoint(cols[4 * i], cols[4 * i + 1], cols[4 * i + 2], cols[4 * i + 3])
                        let dst = dm + (6 * i * t + tile) * o + ob, step = t * o
                        store(r.0, dst); store(r.1, dst + step); store(r.2, dst + 2 * step)
                        store(r.3, dst + 3 * step); store(r.4, dst + 4 * step); store(r.5, dst + 5 * step)
                    }
                }
            }
        }
    }

    /// The adjoint of `outputTransform` (A applied to one 4-vector): 6 blocks.
    @inline(__always)
    private static func outputTransformAdjoint(_ y0: V8, _ y1: V8, _ y2: V8, _ y3: V8) -> (V8, V8, V8, V8, V8, V8) {
        let p = y0 + y2, q = y1 + y3, r = y0 + 4 * y2, s = 2 * y1 + 8 * y3
        return (y0, p + q, p - q, r + s, r - s, y3)
    }

    /// The adjoint of `filterTransform` (Gᵀ applied to one 6-vector): 3 blocks.
    @inline(__always)
    private static func filterTransformAdjoint(_ u0: V8, _ u1: V8, _ u2: V8, _ u3: V8, _ u4: V8, _ u5: V8) -> (V8, V8, V8) {
        let sum12 = u1 + u2, diff12 = u2 - u1, sum34 = u3 + u4, diff34 = u3 - u4
        return (u0 * 0.25 - sum12 * (1 / 6 as Float) + sum34 * (1 / 24 as Float),
                diff12 * (1 / 6 as Float) + diff34 * (1 / 12 as Float),
                (sum34 - sum12) * (1 / 6 as Float) + u5)
    }
}
