import Tensor

/// 3x3, stride-1, pad-1 cross-correlation by Winograd's minimal filtering F(4x4, 3x3)
/// (Lavin & Gray, "Fast Algorithms for Convolutional Neural Networks", 2016): each 4x4 output tile
/// costs 36 multiplications per (input, output) channel pair instead of 144, so the GEMMs do 4x
/// fewer multiply-adds than im2col's.
///
/// y = Aᵀ [ (G g Gᵀ) ⊙ (Bᵀ d B) ] A for every 6x6 input tile d (tiles overlap by 2) and filter g.
/// The element-wise product summed over input channels is 36 GEMMs, one per tile position ξ:
/// M[ξ] (T, O) = V[ξ] (T, C) · U[ξ] (C, O) over all T tiles of a group of images. Tiles are stored
/// channels-last so every transform runs 8 channels at a time in SIMD lanes.
///
/// Used by `Conv2d` for the forward pass and for the input gradient (a 3x3 pad-1 correlation of dy
/// with the flipped, transposed filters); the weight gradient stays im2col + GEMM.
/// Numerics: the transforms' constants (up to 8 and 1/24) make the error grow with the input's
/// magnitude a little faster than direct summation: measured relative error ~1e-6 of max|y|, bound
/// tested at 1e-4 (WinogradTests).
enum Winograd3x3 {
    typealias V8 = SIMD8<Float>

    /// Whether the Winograd path applies to a convolution of this shape (and is measured to win:
    /// bloodbench conv3x3 times both per shape). Needs whole SIMD blocks of channels on both sides.
    static func applies(_ g: ConvGeometry, outChannels: Int) -> Bool {
        g.kernelH == 3 && g.kernelW == 3 && g.strideH == 1 && g.strideW == 1 && g.padH == 1 && g.padW == 1
            && g.channels % 8 == 0 && outChannels % 8 == 0 && g.channels >= 16
    }

    /// Filter transform U[ξ][c][o] = (G g_{o,c} Gᵀ)[ξ] of weights (O, C, 3, 3), laid out (36, C, O).
    /// With `flipTranspose` the filters are g'_{c,o} = flip(g_{o,c}) and the layout (36, O, C): the
    /// filters of the input-gradient correlation. Eight filters at a time, along the contiguous
    /// side of the layout (both channel counts are multiples of 8, see `applies`).
    static func transformFilters(_ w: UnsafePointer<Float>, outChannels o: Int, inChannels c: Int,
                                 flipTranspose: Bool) -> [Float] {
        let (rows, cols) = flipTranspose ? (o, c) : (c, o)
        precondition(cols % 8 == 0, "Winograd3x3: channel counts must be multiples of 8")
        return [Float](unsafeUninitializedCapacity: 36 * o * c) { u, count in
            count = 36 * o * c
            let ub = u.baseAddress!
            // Rows split between the cores: each writes its own rows of every ξ plane.
            Parallel.forEachChunk(rows, minimumChunk: 16) { rowRange in
            let tmp = UnsafeMutablePointer<V8>.allocate(capacity: 18)
            defer { tmp.deallocate() }
            for r in rowRange {
                for sb in Swift.stride(from: 0, to: cols, by: 8) {
                    // g[k] for the 8 filters (r, sb + lane), tap k = 3i + j, each block built from 8
                    // scalar loads in registers (not stored lane by lane and reloaded as a vector).
                    let first = flipTranspose ? w + (r * c + sb) * 9 : w + (sb * c + r) * 9
                    let laneStride = flipTranspose ? 9 : c * 9
                    @inline(__always) func tap(_ k: Int) -> V8 {
                        let p = first + (flipTranspose ? 8 - k : k)
                        return V8(p[0], p[laneStride], p[2 &* laneStride], p[3 &* laneStride], p[4 &* laneStride],
                                  p[5 &* laneStride], p[6 &* laneStride], p[7 &* laneStride])
                    }
                    let g = (tap(0), tap(1), tap(2), tap(3), tap(4), tap(5), tap(6), tap(7), tap(8))
                    // tmp (6, 3) = G g, column j from taps (j, 3 + j, 6 + j); then u (6, 6) = tmp Gᵀ.
                    @inline(__always) func column(_ j: Int, _ t: (V8, V8, V8, V8, V8, V8)) {
                        tmp[j] = t.0; tmp[3 + j] = t.1; tmp[6 + j] = t.2; tmp[9 + j] = t.3; tmp[12 + j] = t.4; tmp[15 + j] = t.5
                    }
                    column(0, filterTransform(g.0, g.3, g.6))
                    column(1, filterTransform(g.1, g.4, g.7))
                    column(2, filterTransform(g.2, g.5, g.8))
                    let step = rows * cols, base = ub + r * cols + sb
                    for i in 0..<6 {
                        let row = filterTransform(tmp[3 * i], tmp[3 * i + 1], tmp[3 * i + 2])
                        let dst = base + i * 6 * step
                        store(row.0, dst); store(row.1, dst + step); store(row.2, dst + 2 * step)
                        store(row.3, dst + 3 * step); store(row.4, dst + 4 * step); store(row.5, dst + 5 * step)
                    }
                }
            }
            }
        }
    }

    /// G applied to one 3-vector of filter blocks: 6 blocks.
    @inline(__always)
    private static func filterTransform(_ g0: V8, _ g1: V8, _ g2: V8) -> (V8, V8, V8, V8, V8, V8) {
        let a = (g0 + g2) * (-1 / 6 as Float), b = g1 * (1 / 6 as Float)
        let c = g0 * (1 / 24 as Float) + g2 * (1 / 6 as Float), d = g1 * (1 / 12 as Float)
        return (g0 * 0.25, a - b, a + b, c + d, c - d, g2)
    }

    /// Bᵀ applied to one 6-vector (8 channels per lane block).
    @inline(__always)
    private static func inputTransform(_ d0: V8, _ d1: V8, _ d2: V8, _ d3: V8, _ d4: V8, _ d5: V8)
        -> (V8, V8, V8, V8, V8, V8) {
        let a = d4 - 4 * d2, b = d3 - 4 * d1
        let e = d4 - d2, f = 2 * (d3 - d1)
        return (4 * d0 - 5 * d2 + d4, a + b, a - b, e + f, e - f, 4 * d1 - 5 * d3 + d5)
    }

    /// Aᵀ applied to one 6-vector.
    @inline(__always)
    private static func outputTransform(_ m0: V8, _ m1: V8, _ m2: V8, _ m3: V8, _ m4: V8, _ m5: V8)
        -> (V8, V8, V8, V8) {
        let p = m1 + m2, q = m1 - m2, r = m3 + m4, s = m3 - m4
        return (m0 + p + r, q + 2 * s, p + 4 * r, q + 8 * s + m5)
    }

    @inline(__always) static func load(_ p: UnsafePointer<Float>) -> V8 {
        UnsafeRawPointer(p).loadUnaligned(as: V8.self)
    }
    @inline(__always) static func store(_ v: V8, _ p: UnsafeMutablePointer<Float>) {
        UnsafeMutableRawPointer(p).storeBytes(of: v, as: V8.self)
    }

    /// y (N, O, H, W) = x (N, C, H, W) ⋆ filters + bias, the filters given transformed by
    /// `transformFilters` (layout (36, C, O)). `y` is overwritten. Images are transformed in groups
    /// of about `tileChannelsPerGroup` tiles x channels (smaller only in tests, to cover many groups).
    /// With `savedTiles` (room for `Tiling.savedCount`), the input tiles V stay there for
    /// `filterGradient`, each group's (36, T, C) block at `Tiling.savedOffset`.
    static func correlate(_ x: UnsafePointer<Float>, n: Int, channels c: Int, height h: Int, width w: Int,
                          filters u: UnsafePointer<Float>, outChannels o: Int, bias: [Float]?,
                          into y: UnsafeMutablePointer<Float>, tileChannelsPerGroup: Int = 131_072,
                          savingTilesTo savedTiles: UnsafeMutablePointer<Float>? = nil) {
        let tiling = Tiling(n: n, height: h, width: w, widestChannels: max(c, o), budget: tileChannelsPerGroup)
        Parallel.forEach(tiling.workers) { worker in
            let groupTiles = tiling.largestGroupTiles
            var padded = [Float](repeating: 0, count: tiling.paddedCount(channels: c))
            let scratchCount = savedTiles == nil ? 36 * groupTiles * c : 0
            var v = [Float](unsafeUninitializedCapacity: scratchCount) { _, k in k = scratchCount }
            var m = [Float](unsafeUninitializedCapacity: 36 * groupTiles * o) { _, k in k = 36 * groupTiles * o }
            // Transform scratch (6x6 SIMD blocks), outside the loops so nothing is allocated per tile.
            let blocks = UnsafeMutablePointer<V8>.allocate(capacity: 36)
            defer { blocks.deallocate() }
            padded.withUnsafeMutableBufferPointer { pp in
            v.withUnsafeMutableBufferPointer { vp in
            m.withUnsafeMutableBufferPointer { mp in
                let mb = mp.baseAddress!
                for group in tiling.groups(ofWorker: worker) {
                    let t = group.count * tiling.tilesPerImage
                    let vb = savedTiles.map { $0 + tiling.savedOffset(group, channels: c) } ?? vp.baseAddress!
                    for s in group {
                        transformInputTiles(x + s * c * h * w, channels: c, tiling: tiling, padded: pp.baseAddress!,
                                            into: vb, firstTile: (s - group.lowerBound) * tiling.tilesPerImage,
                                            groupTiles: t, blocks: blocks)
                    }
                    // M[ξ] (T, O) = V[ξ] (T, C) · U[ξ] (C, O)
                    for xi in 0..<36 {
                        Float.gemm(transA: false, transB: false, m: t, n: o, k: c, alpha: 1,
                                   a: vb + xi * t * c, lda: c, b: u + xi * c * o, ldb: o,
                                   beta: 0, c: mb + xi * t * o, ldc: o)
                    }
                    for s in group {
                        transformOutputTiles(mb, firstTile: (s - group.lowerBound) * tiling.tilesPerImage, groupTiles: t,
                                             outChannels: o, tiling: tiling, bias: bias, into: y + s * o * h * w, blocks: blocks)
                    }
                }
            }
            }
            }
        }
    }

    /// V[ξ][firstTile + tile][c] = (Bᵀ d B)[ξ] for every 6x6 tile d of one image (C, H, W), after a
    /// channels-last copy into `padded` (zero border, kept zero between calls).
    private static func transformInputTiles(_ xs: UnsafePointer<Float>, channels c: Int, tiling: Tiling,
                                            padded pad: UnsafeMutablePointer<Float>, into vb: UnsafeMutablePointer<Float>,
                                            firstTile: Int, groupTiles t: Int, blocks cols: UnsafeMutablePointer<V8>) {
        let (h, w, pw) = (tiling.height, tiling.width, tiling.paddedWidth)
        // Channels-last copy of the image inside the zero border.
        copyChannelsLast(xs, channels: c, height: h, width: w, into: pad + (pw + 1) * c, rowPixels: pw)
        for th in 0..<tiling.tilesH {
            for tw in 0..<tiling.tilesW {
                let tile = firstTile + th * tiling.tilesW + tw
                let corner = pad + (4 * th * pw + 4 * tw) * c
                for cb in Swift.stride(from: 0, to: c, by: 8) {
                    // Bᵀ d: columns j, rows combined.
                    for j in 0..<6 {
                        let p = corner + j * c + cb
                        let r = inputTransform(load(p), load(p + pw * c), load(p + 2 * pw * c),
                                               load(p + 3 * pw * c), load(p + 4 * pw * c), load(p + 5 * pw * c))
                        cols[j] = r.0; cols[6 + j] = r.1; cols[12 + j] = r.2
                        cols[18 + j] = r.3; cols[24 + j] = r.4; cols[30 + j] = r.5
                    }
                    // (Bᵀ d) B: rows i, columns combined; V[ξ = 6i + j][tile][cb…]
                    for i in 0..<6 {
                        let r = inputTransform(cols[6 * i], cols[6 * i + 1], cols[6 * i + 2],
                                               cols[6 * i + 3], cols[6 * i + 4], cols[6 * i + 5])
                        let dst = vb + (6 * i * t + tile) * c + cb, step = t * c
                        store(r.0, dst); store(r.1, dst + step); store(r.2, dst + 2 * step)
                        store(r.3, dst + 3 * step); store(r.4, dst + 4 * step); store(r.5, dst + 5 * step)
                    }
                }
            }
        }
    }

    /// Copies one image (C, H, W) channels-last into rows of `rowPixels` pixels starting at `base`,
    /// 8 channels per store.
    static func copyChannelsLast(_ x: UnsafePointer<Float>, channels c: Int, height h: Int, width w: Int,
                                 into base: UnsafeMutablePointer<Float>, rowPixels: Int) {
        let planeSize = h * w
        for i in 0..<h {
            for cb in Swift.stride(from: 0, to: c, by: 8) {
                let src = x + cb * planeSize + i * w, dst = base + i * rowPixels * c + cb
                for j in 0..<w {
                    let v = V8(src[j], src[planeSize &+ j], src[2 &* planeSize &+ j], src[3 &* planeSize &+ j],
                               src[4 &* planeSize &+ j], src[5 &* planeSize &+ j], src[6 &* planeSize &+ j],
                               src[7 &* planeSize &+ j])
                    store(v, dst + j &* c)
                }
            }
        }
    }

    /// y_s (O, H, W) = Aᵀ M A (+ bias) for the tiles of one image, M laid out (36, T, O).
    private static func transformOutputTiles(_ mb: UnsafePointer<Float>, firstTile: Int, groupTiles t: Int, outChannels o: Int,
                                             tiling: Tiling, bias: [Float]?, into ys: UnsafeMutablePointer<Float>,
                                             blocks rows: UnsafeMutablePointer<V8>) {
        let (h, w) = (tiling.height, tiling.width)
        for th in 0..<tiling.tilesH {
            for tw in 0..<tiling.tilesW {
                let tile = firstTile + th * tiling.tilesW + tw
                let rowsValid = min(4, h - 4 * th), colsValid = min(4, w - 4 * tw)
                for ob in Swift.stride(from: 0, to: o, by: 8) {
                    let src = mb + tile * o + ob, step = t * o
                    // Aᵀ m: 4 rows × 6 columns.
                    for j in 0..<6 {
                        let r = outputTransform(load(src + j * step), load(src + (6 + j) * step),
                                                load(src + (12 + j) * step), load(src + (18 + j) * step),
                                                load(src + (24 + j) * step), load(src + (30 + j) * step))
                        rows[j] = r.0; rows[6 + j] = r.1; rows[12 + j] = r.2; rows[18 + j] = r.3
                    }
                    var b = V8.zero
                    if let bias { for l in 0..<8 { b[l] = bias[ob + l] } }
                    for a in 0..<rowsValid {
                        let r = outputTransform(rows[6 * a], rows[6 * a + 1], rows[6 * a + 2],
                                                rows[6 * a + 3], rows[6 * a + 4], rows[6 * a + 5])
                        let row = ys + (4 * th + a) * w + 4 * tw
                        let out = (r.0 + b, r.1 + b, r.2 + b, r.3 + b)
                        let plane = h * w
                        if colsValid == 4 {
                            // The 4 columns x 8 channels transposed into one 4-wide store per channel.
                            let dst = UnsafeMutableRawPointer(row + ob * plane)
                            for l in 0..<8 {
                                dst.storeBytes(of: SIMD4(out.0[l], out.1[l], out.2[l], out.3[l]),
                                               toByteOffset: l * plane * MemoryLayout<Float>.stride, as: SIMD4<Float>.self)
                            }
                            continue
                        }
                        for l in 0..<8 {
                            let dst = row + (ob + l) * plane
                            dst[0] = out.0[l]
                            if colsValid > 1 { dst[1] = out.1[l] }
                            if colsValid > 2 { dst[2] = out.2[l] }
                        }
                    }
                }
            }
        }
    }
}

extension Winograd3x3 {
    /// How a batch is cut into 4x4 output tiles and image groups. The images are split evenly
    /// between the workers and each share into groups of at most `imagesPerGroup`; the forward
    /// pass and `filterGradient` build the same tiling, so tiles saved by one are found by the other.
    struct Tiling {
        let n: Int, height: Int, width: Int
        let tilesH: Int, tilesW: Int, tilesPerImage: Int
        let imagesPerGroup: Int
        let workers: Int

        init(n: Int, height: Int, width: Int, widestChannels: Int, budget: Int) {
            self.n = n; self.height = height; self.width = width
            tilesH = (height + 3) / 4; tilesW = (width + 3) / 4; tilesPerImage = tilesH * tilesW
            // About `budget` tile-channels per group keeps V and M (36 tiles each) near 19 MB.
            imagesPerGroup = max(1, budget / (widestChannels * tilesPerImage))
            workers = max(1, min(Parallel.threadCount, n))
        }

        /// Rows and columns of the zero-bordered channels-last copy of one image.
        var paddedWidth: Int { 4 * tilesW + 2 }
        func paddedCount(channels c: Int) -> Int { (4 * tilesH + 2) * paddedWidth * c }
        var largestGroupTiles: Int { min(imagesPerGroup, (n + workers - 1) / workers) * tilesPerImage }

        func groups(ofWorker w: Int) -> [Range<Int>] {
            let share = (n * w / workers)..<(n * (w + 1) / workers)
            return Swift.stride(from: share.lowerBound, to: share.upperBound, by: imagesPerGroup).map {
                $0..<min(share.upperBound, $0 + imagesPerGroup)
            }
        }

        /// Floats needed to keep every group's input tiles: 36 per tile and channel.
        func savedCount(channels c: Int) -> Int { 36 * n * tilesPerImage * c }
        func savedOffset(_ group: Range<Int>, channels c: Int) -> Int { 36 * group.lowerBound * tilesPerImage * c }
    }
}
