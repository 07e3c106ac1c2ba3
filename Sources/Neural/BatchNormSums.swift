import Foundation

/// Per-channel reductions of batch norm, vectorised: Float SIMD lanes within chunks of 1024
/// values (at most 64 additions per lane, rounding error ~1e-6 of the chunk's magnitude), chunk
/// totals accumulated in Double so millions of values per channel keep Double-like accuracy.
enum BatchNormSums {
    static let chunk = 1024

    /// Σ (x − shift) and Σ (x − shift)² over `count` values. Shifting by a value of the channel
    /// (its first) keeps Σx² − (Σx)²/m from cancelling when the mean is large against the spread.
    @inline(__always)
    static func shifted(_ p: UnsafePointer<Float>, count: Int, shift: Float) -> (sum: Double, squares: Double) {
        var sum = 0.0, squares = 0.0
        let k = SIMD16<Float>(repeating: shift)
        var start = 0
        while start < count {
            let end = min(count, start + chunk)
            var s = SIMD16<Float>.zero, q = SIMD16<Float>.zero
            var i = start
            while i + 16 <= end {
                let v = UnsafeRawPointer(p + i).loadUnaligned(as: SIMD16<Float>.self) - k
                s += v; q += v * v
                i += 16
            }
            var ts = Double(s.sum()), tq = Double(q.sum())
            while i < end { let v = Double(p[i] - shift); ts += v; tq += v * v; i += 1 }
            sum += ts; squares += tq
            start = end
        }
        return (sum, squares)
    }

    /// Σ a and Σ a·b over `count` values.
    @inline(__always)
    static func sumAndDot(_ a: UnsafePointer<Float>, _ b: UnsafePointer<Float>, count: Int) -> (sum: Double, dot: Double) {
        var sum = 0.0, dot = 0.0
        var start = 0
        while start < count {
            let end = min(count, start + chunk)
            var s = SIMD16<Float>.zero, d = SIMD16<Float>.zero
            var i = start
            while i + 16 <= end {
                let va = UnsafeRawPointer(a + i).loadUnaligned(as: SIMD16<Float>.self)
                let vb = UnsafeRawPointer(b + i).loadUnaligned(as: SIMD16<Float>.self)
                s += va; d += va * vb
                i += 16
            }
            var ts = Double(s.sum()), td = Double(d.sum())
            while i < end { ts += Double(a[i]); td += Double(a[i]) * Double(b[i]); i += 1 }
            sum += ts; dot += td
            start = end
        }
        return (sum, dot)
    }
}
