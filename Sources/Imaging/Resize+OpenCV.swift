extension Image {
    /// Bilinear resize exactly as OpenCV's `cv2.resize(img, (width, height))` (`INTER_LINEAR`)
    /// computes it for 8-bit images; the study uses it to bring every image to 360x360 before HOG.
    ///
    /// Port of the fixed-point path of opencv/modules/imgproc/src/resize.cpp (`resizeGeneric_` with
    /// `HResizeLinear` and `VResizeLinear`):
    /// - source coordinate `f = (d + 0.5) * (src / dst) - 0.5` (in Float, as OpenCV), clamped at
    ///   the borders; weights `1 - f` and `f` scaled by 2048 and rounded (`INTER_RESIZE_COEF_SCALE`);
    /// - the horizontal pass keeps 32-bit sums (value x 2048), the vertical pass combines two rows
    ///   as OpenCV's SIMD kernel `VResizeLinearVec_32s8u` does:
    ///   `((S0 >> 4) * b0 >> 16) + ((S1 >> 4) * b1 >> 16) + 2 >> 2`, not as its scalar fallback
    ///   `(S0 * b0 + S1 * b1 + 2^21) >> 22` (the two differ by one grey level now and then).
    ///   opencv-python 4.14 on x86 gives the SIMD result in every column, tail included, which is
    ///   what the parity fixtures check.
    ///
    /// Not ported: OpenCV switches to `INTER_AREA` for exact 2x downscaling; that case is refused
    /// by a precondition because the study never needs it.
    /// - Parameters:
    ///   - width: output width (> 0).
    ///   - height: output height (> 0).
    public func resizedOpenCVLinear(width outWidth: Int, height outHeight: Int) -> Image {
        precondition(outWidth > 0 && outHeight > 0, "Resize target \(outWidth)x\(outHeight) must be positive")
        if outWidth == width && outHeight == height { return self }
        precondition(!(width == outWidth * 2 && height == outHeight * 2),
                     "OpenCV resizes exact 2x reductions with INTER_AREA, which is not ported")
        let cn = channels
        let xTable = OpenCVLinearTable(source: width, destination: outWidth, clampAtBorders: true)
        let yTable = OpenCVLinearTable(source: height, destination: outHeight, clampAtBorders: false)
        let rowLength = outWidth * cn

        var out = [UInt8](repeating: 0, count: outWidth * outHeight * cn)
        var row0 = [Int32](repeating: 0, count: rowLength)
        var row1 = [Int32](repeating: 0, count: rowLength)
        var row0Source = -1, row1Source = -1
        let sourceWidth = width, sourceHeight = height

        pixels.withUnsafeBufferPointer { src in
            out.withUnsafeMutableBufferPointer { dst in
                func horizontal(_ sy: Int, into row: UnsafeMutableBufferPointer<Int32>) {
                    let line = sy * sourceWidth * cn
                    for dx in 0..<outWidth {
                        let sx = xTable.offsets[dx], a0 = xTable.weights[2 * dx], a1 = xTable.weights[2 * dx + 1]
                        let p = line + sx * cn
                        if sx + 1 < sourceWidth {
                            for c in 0..<cn {
                                row[dx * cn + c] = Int32(src[p + c]) * a0 + Int32(src[p + cn + c]) * a1
                            }
                        } else {
                            for c in 0..<cn { row[dx * cn + c] = Int32(src[p + c]) * 2048 }
                        }
                    }
                }
                for dy in 0..<outHeight {
                    let sy0 = min(max(yTable.offsets[dy], 0), sourceHeight - 1)
                    let sy1 = min(max(yTable.offsets[dy] + 1, 0), sourceHeight - 1)
                    // Reuse horizontally resized rows from the previous output row, as OpenCV does.
                    if row0Source != sy0 {
                        if row1Source == sy0 { swap(&row0, &row1); swap(&row0Source, &row1Source) }
                        else { row0.withUnsafeMutableBufferPointer { horizontal(sy0, into: $0) }; row0Source = sy0 }
                    }
                    if row1Source != sy1 {
                        row1.withUnsafeMutableBufferPointer { horizontal(sy1, into: $0) }; row1Source = sy1
                    }
                    let b0 = yTable.weights[2 * dy], b1 = yTable.weights[2 * dy + 1]
                    let base = dy * rowLength
                    row0.withUnsafeBufferPointer { s0 in
                        row1.withUnsafeBufferPointer { s1 in
                            for x in 0..<rowLength {
                                // v_pack saturates to Int16, v_mul_hi keeps the high 16 bits of the
                                // product, v_rshr_pack_u<2> rounds, shifts and saturates to a byte.
                                let t0 = (Int32(Int16(clamping: s0[x] >> 4)) &* b0) >> 16
                                let t1 = (Int32(Int16(clamping: s1[x] >> 4)) &* b1) >> 16
                                let v = (Int32(Int16(clamping: t0 &+ t1)) &+ 2) >> 2
                                dst[base + x] = UInt8(clamping: v)
                            }
                        }
                    }
                }
            }
        }
        return Image(width: outWidth, height: outHeight, channels: cn, pixels: out)
    }
}

/// Source offsets and fixed-point weights of OpenCV's linear interpolation along one axis.
struct OpenCVLinearTable {
    /// For each output index, the first of the two source indices. Along x, OpenCV clamps the
    /// coordinate (and zeroes the fraction) at the borders; along y it keeps the weights and only
    /// clamps the row indices, so offsets may be -1 or the last row there.
    var offsets: [Int]
    /// Two weights per output index, scaled by 2048 (`INTER_RESIZE_COEF_SCALE`).
    var weights: [Int32]

    init(source: Int, destination: Int, clampAtBorders: Bool) {
        let scale = 1.0 / (Double(destination) / Double(source))
        offsets = []; weights = []
        offsets.reserveCapacity(destination); weights.reserveCapacity(2 * destination)
        for d in 0..<destination {
            var f = Float((Double(d) + 0.5) * scale - 0.5)
            var s = Int(f.rounded(.down))
            f -= Float(s)
            if clampAtBorders {
                if s < 0 { f = 0; s = 0 }
                if s >= source - 1 { f = 0; s = source - 1 }
            }
            offsets.append(s)
            weights.append(Int32(((1 - f) * 2048).rounded(.toNearestOrEven)))
            weights.append(Int32((f * 2048).rounded(.toNearestOrEven)))
        }
    }
}
