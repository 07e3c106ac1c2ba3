/// `exp` and `erf` on 16 lanes at once, for the element-wise work of the transformer (GELU and
/// softmax were a tenth of a ViT-B/16 forward pass through the scalar libm calls).
///
/// - `exp`: Cody–Waite range reduction (x = n·ln2 + r, |r| ≤ ln2/2) and Cephes' degree-6
///   polynomial for e^r (relative error about 2e-7 in float), scaled by 2^n through the exponent
///   bits. Inputs are clamped to [-87.3, 88.3]: below, the result is 2^-126 rather than a denormal.
/// - `erf`: Abramowitz & Stegun 7.1.26, erf(x) = 1 - (a1·t + … + a5·t⁵)·e^(-x²) with
///   t = 1/(1 + p|x|), maximum absolute error 1.5e-7: the formula PyTorch's vectorised CPU kernels
///   (`Vectorized<float>::erf`, used by `torch.nn.GELU`) evaluate.
/// `VectorMathTests` checks both against libm over wide ranges.
enum VectorMath {
    typealias V16 = SIMD16<Float>
    typealias Bits = SIMD16<UInt32>

    @inline(__always)
    static func exp(_ x: V16) -> V16 {
        // Masked replacement, not `clamped`: the stdlib's lane-wise min/max follow IEEE NaN rules one
        // lane at a time and were most of the cost.
        let low = V16(repeating: -87.3), high = V16(repeating: 88.3)
        let x = x.replacing(with: low, where: x .< low).replacing(with: high, where: x .> high)
        // n = round(x / ln2), by adding 1.5·2^23 so the rounding happens in the addition; its bits
        // then hold n in their low part.
        let magic: Float = 12_582_912
        let shifted = x * 1.442_695_04 + magic
        let n = shifted - magic
        let r = x - n * 0.693_359_375 + n * 2.121_944_4e-4
        var p = V16(repeating: 1.987_569_15e-4)
        p = p * r + 1.398_199_95e-3
        p = p * r + 8.333_451_9e-3
        p = p * r + 4.166_579_59e-2
        p = p * r + 0.166_666_655
        p = p * r + 0.500_000_01
        let er = p * (r * r) + r + 1
        let exponent = (unsafeBitCast(shifted, to: Bits.self) &- magic.bitPattern &+ 127) &<< 23
        return er * unsafeBitCast(exponent, to: V16.self)
    }

    @inline(__always)
    static func erf(_ x: V16) -> V16 {
        let bits = unsafeBitCast(x, to: Bits.self)
        let sign = bits & 0x8000_0000
        let a = unsafeBitCast(bits & 0x7FFF_FFFF, to: V16.self)
        let t = 1 / (a * 0.327_591_1 + 1)
        var poly = V16(repeating: 1.061_405_429)
        poly = poly * t - 1.453_152_027
        poly = poly * t + 1.421_413_741
        poly = poly * t - 0.284_496_736
        poly = poly * t + 0.254_829_592
        let magnitude = 1 - poly * t * exp(-(a * a))
        return unsafeBitCast(unsafeBitCast(magnitude, to: Bits.self) | sign, to: V16.self)
    }

    /// Calls `body(vector)` over `count` values 16 at a time, the last partial vector padded with
    /// `padding` and only its valid lanes stored: one formula for every value of a buffer.
    @inline(__always)
    static func map(_ x: UnsafePointer<Float>, _ y: UnsafeMutablePointer<Float>, count: Int, padding: Float = 0,
                    _ body: (V16) -> V16) {
        var i = 0
        while i + 16 <= count {
            let v = UnsafeRawPointer(x + i).loadUnaligned(as: V16.self)
            UnsafeMutableRawPointer(y + i).storeBytes(of: body(v), as: V16.self)
            i += 16
        }
        if i < count {
            var v = V16(repeating: padding)
            for l in 0..<(count - i) { v[l] = x[i + l] }
            let r = body(v)
            for l in 0..<(count - i) { y[i + l] = r[l] }
        }
    }
}
