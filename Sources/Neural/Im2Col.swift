import Foundation

/// The geometry of a 2-D convolution or pooling window over one (C, H, W) image.
///
/// `im2col` unrolls every window into a column so a convolution becomes one matrix product:
/// cols has shape (C·kh·kw, Ho·Wo), row (c, i, j) holding x[c, oh·s − p + i, ow·s − p + j] (0 outside).
/// `col2im` is its adjoint: it adds each column entry back onto the pixel it came from.
struct ConvGeometry: Sendable, Equatable {
    var channels: Int, height: Int, width: Int
    var kernelH: Int, kernelW: Int
    var strideH: Int, strideW: Int
    var padH: Int, padW: Int

    var outHeight: Int { (height + 2 * padH - kernelH) / strideH + 1 }
    var outWidth: Int { (width + 2 * padW - kernelW) / strideW + 1 }
    /// Rows of the column matrix, C·kh·kw.
    var patchSize: Int { channels * kernelH * kernelW }
    /// Columns of the column matrix, Ho·Wo.
    var outPixels: Int { outHeight * outWidth }
    /// True when the column matrix is the image itself (1x1 kernel, stride 1, no padding).
    var isIdentity: Bool { kernelH == 1 && kernelW == 1 && strideH == 1 && strideW == 1 && padH == 0 && padW == 0 }

    /// For kernel column `j`, the output columns `ow` whose input column `ow·s − p + j` is inside the image.
    @inline(__always)
    func validColumns(_ j: Int) -> Range<Int> {
        let wo = outWidth
        // ow·s − p + j ≥ 0  ⇔  ow ≥ ceil((p − j) / s)
        let lo = max(0, (padW - j + strideW - 1) / strideW)
        // ow·s − p + j ≤ W − 1  ⇔  ow ≤ floor((W − 1 + p − j) / s)
        let top = width - 1 + padW - j
        let hi = top < 0 ? 0 : min(wo, top / strideW + 1)
        return lo..<max(lo, hi)
    }

    /// Output rows per band: bands of about 4096 output pixels keep the column workspace near 9 MB
    /// for the study's widest layer, whatever the image size (at 224x224 a whole image's columns
    /// would take 115 MB per worker).
    var bandRows: Int { max(1, min(outHeight, 4096 / max(1, outWidth))) }

    /// Writes the columns of output rows `rows` (C·kh·kw, |rows|·Wo) of image `x` (C, H, W) into `cols`.
    func im2col(_ x: UnsafePointer<Float>, _ cols: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        let wo = outWidth, l = rows.count * wo
        for c in 0..<channels {
            let plane = x + c * height * width
            for i in 0..<kernelH {
                for j in 0..<kernelW {
                    let row = cols + ((c * kernelH + i) * kernelW + j) * l
                    let valid = validColumns(j)
                    for oh in rows {
                        let dst = row + (oh - rows.lowerBound) * wo
                        let ih = oh * strideH - padH + i
                        guard ih >= 0 && ih < height, !valid.isEmpty else {
                            dst.update(repeating: 0, count: wo); continue
                        }
                        if valid.lowerBound > 0 { dst.update(repeating: 0, count: valid.lowerBound) }
                        if valid.upperBound < wo { (dst + valid.upperBound).update(repeating: 0, count: wo - valid.upperBound) }
                        let src = plane + ih * width - padW + j
                        if strideW == 1 {
                            (dst + valid.lowerBound).update(from: src + valid.lowerBound, count: valid.count)
                        } else if strideW == 2 {
                            Self.copyEvenElements(src + 2 * valid.lowerBound, into: dst + valid.lowerBound, count: valid.count)
                        } else {
                            for ow in valid { dst[ow] = src[ow * strideW] }
                        }
                    }
                }
            }
        }
    }

    /// dst[i] = src[2i] for i < count, 8 at a time from two contiguous loads (ResNet's stem and
    /// strided layers; a lane-by-lane strided copy was most of im2col's time).
    @inline(__always)
    static func copyEvenElements(_ src: UnsafePointer<Float>, into dst: UnsafeMutablePointer<Float>, count: Int) {
        typealias V8 = SIMD8<Float>
        var i = 0
        // Whole loads read src[2i ..< 2i + 16]; the last pair needs src[2(count − 1)] only, so stop early.
        while i + 8 < count {
            let a = UnsafeRawPointer(src + 2 * i).loadUnaligned(as: V8.self)
            let b = UnsafeRawPointer(src + 2 * i + 8).loadUnaligned(as: V8.self)
            UnsafeMutableRawPointer(dst + i).storeBytes(of: V8(a[0], a[2], a[4], a[6], b[0], b[2], b[4], b[6]), as: V8.self)
            i += 8
        }
        while i < count { dst[i] = src[2 * i]; i += 1 }
    }

    /// Adds the columns of output rows `rows` (C·kh·kw, |rows|·Wo) back onto image `dx` (C, H, W);
    /// `dx` is not cleared.
    func col2im(_ cols: UnsafePointer<Float>, _ dx: UnsafeMutablePointer<Float>, rows: Range<Int>) {
        let wo = outWidth, l = rows.count * wo
        for c in 0..<channels {
            let plane = dx + c * height * width
            for i in 0..<kernelH {
                for j in 0..<kernelW {
                    let row = cols + ((c * kernelH + i) * kernelW + j) * l
                    let valid = validColumns(j)
                    if valid.isEmpty { continue }
                    for oh in rows {
                        let ih = oh * strideH - padH + i
                        guard ih >= 0 && ih < height else { continue }
                        let src = row + (oh - rows.lowerBound) * wo
                        let dst = plane + ih * width - padW + j
                        if strideW == 1 {
                            for ow in valid { dst[ow] += src[ow] }
                        } else {
                            for ow in valid { dst[ow * strideW] += src[ow] }
                        }
                    }
                }
            }
        }
    }
}
