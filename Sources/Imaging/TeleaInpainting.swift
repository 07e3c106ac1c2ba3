import Foundation
import Tensor

/// Port of OpenCV 4.x's `cv::inpaint(src, mask, dst, radius, INPAINT_TELEA)` for 8-bit images
/// (opencv/modules/photo/src/inpaint.cpp: icvInpaint, icvCalcFMM, icvTeleaInpaintFMM).
///
/// Telea's fast-marching method: hidden pixels are filled from the boundary inwards in order of
/// their distance T, each as a weighted mean (direction · distance · level-set weights) of the
/// known pixels within `radius`, plus OpenCV's gradient term. Grids are extended by a one-pixel
/// border as OpenCV's are; the float arithmetic and the queue's tie order (equal T in insertion
/// order) follow OpenCV 4.x's, so results agree with `cv2.inpaint` exactly on the fixtures.
public enum TeleaInpainting {
    private static let known: UInt8 = 0, band: UInt8 = 1, inside: UInt8 = 2, change: UInt8 = 3

    /// - Parameters: `image` (H, W, C) 8-bit, C = 1 or 3; `mask` (H, W), non-zero = fill;
    ///   `radius` (OpenCV's inpaintRadius, clamped to 1...100).
    public static func inpaint(_ image: [UInt8], mask: [UInt8], height: Int, width: Int, channels: Int, radius: Double) -> [UInt8] {
        precondition(channels == 1 || channels == 3, "TeleaInpainting supports 1 or 3 channels")
        precondition(image.count == height * width * channels && mask.count == height * width, "TeleaInpainting: sizes differ")
        let range = min(max(Int(radius.rounded(.toNearestOrEven)), 1), 100)
        let rows = height + 2, cols = width + 2
        var out = image

        // mask: INSIDE on hidden pixels (border stays KNOWN); band: its 4-neighbour ring.
        var f = [UInt8](repeating: known, count: rows * cols)
        for y in 0..<height { for x in 0..<width where mask[y * width + x] != 0 { f[(y + 1) * cols + x + 1] = inside } }
        clearBorder(&f, rows, cols)
        var t = [Float](repeating: 1.0e6, count: rows * cols)
        var bandMask = dilate(f, rows, cols, radius: 1, cross: true)
        for i in 0..<bandMask.count { bandMask[i] = bandMask[i] &- f[i] }
        clearBorder(&bandMask, rows, cols)
        var heap = StableQueue()
        for i in 0..<(rows * cols) where bandMask[i] != 0 { heap.push(i, 0); t[i] = 0 }
        guard !heap.isEmpty else { return out }

        // Distances outside the hole (negated), marched from the band over the ring within range.
        var ring = dilate(f, rows, cols, radius: range, cross: false)
        for i in 0..<ring.count { ring[i] = ring[i] &- f[i] }
        var outer = StableQueue()
        for i in 0..<(rows * cols) where bandMask[i] != 0 { outer.push(i, 0) }
        for i in 0..<ring.count { ring[i] = ring[i] &- bandMask[i] }
        clearBorder(&ring, rows, cols)
        calcFMM(&ring, &t, &outer, rows: rows, cols: cols)

        // Fill the hole.
        let weights = distanceWeights(range: range)
        while let p = heap.pop() {
            f[p] = known
            let (ii, jj) = (p / cols, p % cols)
            for n in 0..<4 {
                // The 4-neighbours in OpenCV's order: up, left, down, right (no array per cell).
                let i = ii + (n == 0 ? -1 : n == 2 ? 1 : 0), j = jj + (n == 1 ? -1 : n == 3 ? 1 : 0)
                if i <= 0 || j <= 0 || i > rows - 1 || j > cols - 1 { continue }
                let q = i * cols + j
                guard f[q] == inside else { continue }
                let dist = min(min(solve(i - 1, j, i, j - 1, f, t, cols), solve(i + 1, j, i, j - 1, f, t, cols)),
                               min(solve(i - 1, j, i, j + 1, f, t, cols), solve(i + 1, j, i, j + 1, f, t, cols)))
                t[q] = dist
                let filled = fillValues(i, j, f: f, t: t, out: out, rows: rows, cols: cols, width: width, channels: channels, range: range,
                                        distanceWeights: weights)
                for color in 0..<channels { out[((i - 1) * width + (j - 1)) * channels + color] = filled[color] }
                f[q] = band
                heap.push(q, dist)
            }
        }
        return out
    }

    /// Every channel of one hidden pixel: OpenCV's Telea formula (the 1- and 3-channel 8-bit paths
    /// are the same code per colour). The weights depend only on positions and T, so they are
    /// computed once and each channel's sums (lanes of a SIMD4) get the same operations in the same
    /// order as OpenCV's per-colour loop: the results are bit-identical to filling one colour at a time.
    private static func fillValues(_ i: Int, _ j: Int, f: [UInt8], t: [Float], out: [UInt8],
                                   rows: Int, cols: Int, width: Int, channels: Int, range: Int,
                                   distanceWeights: [Float]) -> SIMD4<UInt8> {
        distanceWeights.withUnsafeBufferPointer { distanceWeights in
        f.withUnsafeBufferPointer { f in
            t.withUnsafeBufferPointer { t in
                out.withUnsafeBufferPointer { out in
                    @inline(__always) func F(_ y: Int, _ x: Int) -> UInt8 { f[y * cols + x] }
                    @inline(__always) func T(_ y: Int, _ x: Int) -> Float { t[y * cols + x] }
                    /// The pixel's colours as the lanes of a SIMD4 (unused lanes 0).
                    @inline(__always) func I(_ y: Int, _ x: Int) -> SIMD4<Float> {
                        let base = (y * width + x) * channels
                        var v = SIMD4<Float>(repeating: 0)
                        for c in 0..<channels { v[c] = Float(Int(out[base + c])) }
                        return v
                    }
                    var gradTx: Float = 0, gradTy: Float = 0
                    if F(i, j + 1) != inside {
                        gradTx = F(i, j - 1) != inside ? (T(i, j + 1) - T(i, j - 1)) * 0.5 : T(i, j + 1) - T(i, j)
                    } else if F(i, j - 1) != inside { gradTx = T(i, j) - T(i, j - 1) }
                    if F(i + 1, j) != inside {
                        gradTy = F(i - 1, j) != inside ? (T(i + 1, j) - T(i - 1, j)) * 0.5 : T(i + 1, j) - T(i, j)
                    } else if F(i - 1, j) != inside { gradTy = T(i, j) - T(i - 1, j) }

                    var ia = SIMD4<Float>(repeating: 0), jx = SIMD4<Float>(repeating: 0), jy = SIMD4<Float>(repeating: 0)
                    var s: Float = 1.0e-20
                    for k in (i - range)...(i + range) {
                        let km = k - 1 + (k == 1 ? 1 : 0), kp = k - 1 - (k == rows - 2 ? 1 : 0)
                        for l in (j - range)...(j + range) {
                            let lm = l - 1 + (l == 1 ? 1 : 0), lp = l - 1 - (l == cols - 2 ? 1 : 0)
                            guard k > 0 && l > 0 && k < rows - 1 && l < cols - 1 else { continue }
                            guard F(k, l) != inside && (l - j) * (l - j) + (k - i) * (k - i) <= range * range else { continue }
                            let ry = Float(i - k), rx = Float(j - l)
                            let dst = distanceWeights[(k - i + range) * (2 * range + 1) + (l - j + range)]
                            let lev = Float(1.0 / (1 + Double(abs(T(k, l) - T(i, j)))))
                            var dir = rx * gradTx + ry * gradTy
                            if abs(dir) <= 0.01 { dir = 0.000001 }
                            let w = abs(dst * lev * dir)
                            var gradIx = SIMD4<Float>(repeating: 0), gradIy = SIMD4<Float>(repeating: 0)
                            if F(k, l + 1) != inside {
                                gradIx = F(k, l - 1) != inside ? (I(km, lp + 1) - I(km, lm - 1)) * 2.0 : I(km, lp + 1) - I(km, lm)
                            } else if F(k, l - 1) != inside { gradIx = I(km, lp) - I(km, lm - 1) }
                            if F(k + 1, l) != inside {
                                gradIy = F(k - 1, l) != inside ? (I(kp + 1, lm) - I(km - 1, lm)) * 2.0 : I(kp + 1, lm) - I(km, lm)
                            } else if F(k - 1, l) != inside { gradIy = I(kp, lm) - I(km - 1, lm) }
                            ia += w * I(k - 1, l - 1)
                            jx -= w * (gradIx * rx)
                            jy -= w * (gradIy * ry)
                            s += w
                        }
                    }
                    let sat = ia / s + (jx + jy) / ((jx * jx + jy * jy).squareRoot() + 1.0e-20)
                    var result = SIMD4<UInt8>(repeating: 0)
                    for c in 0..<channels {
                        // round_cast<uchar>: saturate_cast<uchar>(double(sat) + 0.5), i.e. cvRound (ties to even).
                        let rounded = (Double(sat[c]) + 0.5).rounded(.toNearestOrEven)
                        result[c] = rounded.isNaN ? 0 : UInt8(max(0, min(255, rounded)))
                    }
                    return result
                }
            }
        }
        }
    }

    /// OpenCV's distance weight `1 / (|r|² · |r|)` for each offset of the `(2·range + 1)²` window
    /// (row-major, centre at `range`), computed as OpenCV computes it per neighbour; the centre,
    /// never used (it is the pixel being filled), is 0.
    static func distanceWeights(range: Int) -> [Float] {
        let side = 2 * range + 1
        return (0..<(side * side)).map { index in
            let ry = Float(index / side - range), rx = Float(index % side - range)
            let length = rx * rx + ry * ry
            return length == 0 ? 0 : Float(1.0 / (Double(length) * sqrt(Double(length))))
        }
    }

    /// Port of icvCalcFMM with negate: marches T over the INSIDE cells of `f`, then negates T on
    /// every cell it reached.
    private static func calcFMM(_ f: inout [UInt8], _ t: inout [Float], _ queue: inout StableQueue, rows: Int, cols: Int) {
        while let p = queue.pop() {
            f[p] = change
            let (ii, jj) = (p / cols, p % cols)
            for n in 0..<4 {
                // The 4-neighbours in OpenCV's order: up, left, down, right (no array per cell).
                let i = ii + (n == 0 ? -1 : n == 2 ? 1 : 0), j = jj + (n == 1 ? -1 : n == 3 ? 1 : 0)
                if i <= 0 || j <= 0 || i >= rows || j >= cols { continue }
                let q = i * cols + j
                guard f[q] == inside else { continue }
                let dist = min(min(solve(i - 1, j, i, j - 1, f, t, cols), solve(i + 1, j, i, j - 1, f, t, cols)),
                               min(solve(i - 1, j, i, j + 1, f, t, cols), solve(i + 1, j, i, j + 1, f, t, cols)))
                t[q] = dist
                f[q] = band
                queue.push(q, dist)
            }
        }
        for q in 0..<f.count where f[q] == change { f[q] = known; t[q] = -t[q] }
    }

    /// Port of FastMarching_solve: the arrival time at a cell from two of its neighbours.
    private static func solve(_ i1: Int, _ j1: Int, _ i2: Int, _ j2: Int, _ f: [UInt8], _ t: [Float], _ cols: Int) -> Float {
        let a11 = Double(t[i1 * cols + j1]), a22 = Double(t[i2 * cols + j2]), m12 = min(a11, a22)
        let in1 = f[i1 * cols + j1] == inside, in2 = f[i2 * cols + j2] == inside
        let sol: Double
        if !in1 {
            if !in2 {
                sol = abs(a11 - a22) >= 1.0 ? 1 + m12 : (a11 + a22 + (2 - (a11 - a22) * (a11 - a22)).squareRoot()) * 0.5
            } else { sol = 1 + a11 }
        } else if !in2 { sol = 1 + a22 } else { sol = 1 + m12 }
        return Float(sol)
    }

    /// Grey dilation (cross 3×3 or square (2r+1)²); outside the grid counts as nothing.
    private static func dilate(_ a: [UInt8], _ rows: Int, _ cols: Int, radius r: Int, cross: Bool) -> [UInt8] {
        if !cross {
            // A square window is a row window then a column window: 2(2r+1) reads a pixel, not (2r+1)².
            var across = [UInt8](repeating: 0, count: a.count), out = [UInt8](repeating: 0, count: a.count)
            for y in 0..<rows {
                for x in 0..<cols {
                    var m: UInt8 = 0
                    for xx in max(0, x - r)...min(cols - 1, x + r) { m = max(m, a[y * cols + xx]) }
                    across[y * cols + x] = m
                }
            }
            for y in 0..<rows {
                for x in 0..<cols {
                    var m: UInt8 = 0
                    for yy in max(0, y - r)...min(rows - 1, y + r) { m = max(m, across[yy * cols + x]) }
                    out[y * cols + x] = m
                }
            }
            return out
        }
        var out = [UInt8](repeating: 0, count: a.count)
        for y in 0..<rows {
            for x in 0..<cols {
                var m: UInt8 = 0
                for dy in -r...r {
                    let yy = y + dy
                    guard yy >= 0 && yy < rows else { continue }
                    for dx in -r...r where !cross || dx == 0 || dy == 0 {
                        let xx = x + dx
                        guard xx >= 0 && xx < cols else { continue }
                        m = max(m, a[yy * cols + xx])
                    }
                }
                out[y * cols + x] = m
            }
        }
        return out
    }

    private static func clearBorder(_ a: inout [UInt8], _ rows: Int, _ cols: Int) {
        for x in 0..<cols { a[x] = 0; a[(rows - 1) * cols + x] = 0 }
        for y in 0..<rows { a[y * cols] = 0; a[y * cols + cols - 1] = 0 }
    }
}

/// OpenCV's CvPriorityQueueFloat order: smallest T first, equal T in insertion order.
struct StableQueue {
    private struct Item: Comparable {
        var t: Float, order: Int, cell: Int
        static func < (a: Item, b: Item) -> Bool { a.t != b.t ? a.t < b.t : a.order < b.order }
    }
    private var heap = BinaryHeap<Item>()
    private var counter = 0
    var isEmpty: Bool { heap.isEmpty }

    mutating func push(_ cell: Int, _ t: Float) { heap.push(Item(t: t, order: counter, cell: cell)); counter += 1 }
    mutating func pop() -> Int? { heap.pop()?.cell }
}
