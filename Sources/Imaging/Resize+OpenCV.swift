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
    /// For an exact 2x reduction OpenCV switches to `INTER_AREA`, which averages each 2x2 block
    /// as `(a + b + c + d + 2) >> 2`; so does this function.
    /// - Parameters:
    ///   - width: output width (> 0).
    ///   - height: output height (> 0).
    public func resizedOpenCVLinear(width outWidth: Int, height outHeight: Int) -> Image {
        precondition(outWidth > 0 && outHeight > 0, "Resize target \(outWidth)x\(outHeight) must be positive")
        if outWidth == width && outHeight == height { return self }
        if width == outWidth * 2 && height == outHeight * 2 { return halvedOpenCVArea() }
        let cn = channels
        let xTable = OpenCVLinearTable(source: width, destination: outWidth, clampAtBorders: true)
        let yTable = OpenCVLinearTable(source: height, destination: outHeight, clampAtBorders: false)
        let rowLength = outWidth * cn

        let sourceWidth = width, sourceHeight = height
        // Output columns from here on sit on the last source column (no right neighbour to read).
        let lastInterpolated = xTable.offsets.firstIndex { $0 + 1 >= sourceWidth } ?? outWidth
        // Two horizontally resized rows (value x 2048), reused while consecutive output rows
        // read the same source rows, as OpenCV does.
        let rows = UnsafeMutablePointer<Int32>.allocate(capacity: 2 * rowLength)
        defer { rows.deallocate() }
        var row0 = rows, row1 = rows + rowLength
        var row0Source = -1, row1Source = -1
        let out = [UInt8](unsafeUninitializedCapacity: outWidth * outHeight * cn) { dst, count in
            pixels.withUnsafeBufferPointer { srcBuffer in
                xTable.offsets.withUnsafeBufferPointer { xofs in
                    xTable.weights.withUnsafeBufferPointer { alpha in
                        let src = srcBuffer.baseAddress!
                        func horizontal(_ sy: Int, into row: UnsafeMutablePointer<Int32>) {
                            let line = src + sy * sourceWidth * cn
                            // Columns whose right neighbour exists; OpenCV's `xmax`.
                            let inner = lastInterpolated
                            if cn == 1 {
                                for dx in 0..<inner {
                                    let p = line + xofs[dx]
                                    row[dx] = Int32(p[0]) &* alpha[2 * dx] &+ Int32(p[1]) &* alpha[2 * dx + 1]
                                }
                            } else {
                                for dx in 0..<inner {
                                    let p = line + xofs[dx] * 3, d = row + dx * 3
                                    let a0 = alpha[2 * dx], a1 = alpha[2 * dx + 1]
                                    d[0] = Int32(p[0]) &* a0 &+ Int32(p[3]) &* a1
                                    d[1] = Int32(p[1]) &* a0 &+ Int32(p[4]) &* a1
                                    d[2] = Int32(p[2]) &* a0 &+ Int32(p[5]) &* a1
                                }
                            }
                            for dx in inner..<outWidth {
                                let p = line + xofs[dx] * cn, d = row + dx * cn
                                for c in 0..<cn { d[c] = Int32(p[c]) &* 2048 }
                            }
                        }
                        for dy in 0..<outHeight {
                            let sy0 = min(max(yTable.offsets[dy], 0), sourceHeight - 1)
                            let sy1 = min(max(yTable.offsets[dy] + 1, 0), sourceHeight - 1)
                            if row0Source != sy0 {
                                if row1Source == sy0 { swap(&row0, &row1); swap(&row0Source, &row1Source) }
                                else { horizontal(sy0, into: row0); row0Source = sy0 }
                            }
                            if row1Source != sy1 { horizontal(sy1, into: row1); row1Source = sy1 }
                            let b0 = yTable.weights[2 * dy], b1 = yTable.weights[2 * dy + 1]
                            let d = dst.baseAddress! + dy * rowLength
                            let s0 = row0, s1 = row1
                            for x in 0..<rowLength {
                                // v_mul_hi keeps the high 16 bits of the product, v_rshr_pack_u<2>
                                // rounds, shifts and saturates to a byte. (v_pack's saturation to
                                // Int16 never bites: a sum is at most 255 * 2048, so >> 4 fits.)
                                let t0 = ((s0[x] >> 4) &* b0) >> 16
                                let t1 = ((s1[x] >> 4) &* b1) >> 16
                                d[x] = UInt8(clamping: (t0 &+ t1 &+ 2) >> 2)
                            }
                        }
                    }
                }
            }
            count = outWidth * outHeight * cn
        }
        return Image(width: outWidth, height: outHeight, channels: cn, pixels: out)
    }
}

extension Image {
    /// OpenCV's `INTER_AREA` for an exact 2x reduction of 8-bit data (`resizeAreaFast_`): the
    /// rounded mean of each 2x2 block.
    func halvedOpenCVArea() -> Image {
        let cn = channels, outWidth = width / 2, outHeight = height / 2, rowLength = width * cn
        let out = [UInt8](unsafeUninitializedCapacity: outWidth * outHeight * cn) { dst, n in
            pixels.withUnsafeBufferPointer { src in
                for y in 0..<outHeight {
                    let top = 2 * y * rowLength, bottom = top + rowLength
                    for x in 0..<outWidth {
                        for c in 0..<cn {
                            let i = 2 * x * cn + c
                            let sum = Int(src[top + i]) + Int(src[top + i + cn]) + Int(src[bottom + i]) + Int(src[bottom + i + cn])
                            dst[(y * outWidth + x) * cn + c] = UInt8((sum + 2) >> 2)
                        }
                    }
                }
            }
            n = outWidth * outHeight * cn
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
