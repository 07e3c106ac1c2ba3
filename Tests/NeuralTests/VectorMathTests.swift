import Foundation
import Testing
@testable import Neural

/// The 16-lane `exp` and `erf` against libm, over the ranges the transformer feeds them.
@Suite struct VectorMathTests {
    static func values(from lo: Float, to hi: Float, count: Int) -> [Float] {
        (0..<count).map { lo + (hi - lo) * Float($0) / Float(count - 1) }
    }

    /// `f` over every value of `x` through `VectorMath.map`.
    static func mapped(_ x: [Float], _ f: (SIMD16<Float>) -> SIMD16<Float>) -> [Float] {
        var y = [Float](repeating: .nan, count: x.count)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            VectorMath.map(xp.baseAddress!, yp.baseAddress!, count: x.count, f)
        } }
        return y
    }

    /// Relative error within 4e-7 (a few float ulps) for the softmax's range, [-87, 88].
    @Test func expMatchesLibm() {
        let x = Self.values(from: -87, to: 88, count: 100_003)
        let y = Self.mapped(x) { VectorMath.exp($0) }
        var worst: Double = 0
        for (v, e) in zip(x, y) { worst = max(worst, abs(Double(e) - Foundation.exp(Double(v))) / Foundation.exp(Double(v))) }
        #expect(worst < 4e-7, "worst relative error \(worst)")
        // exp(0) is exactly 1 (a softmax row's maximum).
        #expect(VectorMath.exp(.zero) == SIMD16(repeating: 1))
    }

    /// Absolute error within 6e-7: A&S 7.1.26's 1.5e-7 plus the float32 rounding of its polynomial
    /// and exponential (measured 4.9e-7, near |erf| = 1 where a float ulp is 6e-8); odd symmetry exact.
    @Test func erfMatchesLibm() {
        let x = Self.values(from: -6, to: 6, count: 100_001)
        let y = Self.mapped(x) { VectorMath.erf($0) }
        var worst: Double = 0
        for (v, e) in zip(x, y) { worst = max(worst, abs(Double(e) - Foundation.erf(Double(v)))) }
        #expect(worst < 6e-7, "worst absolute error \(worst)")
        let negated = Self.mapped(x.map { -$0 }) { VectorMath.erf($0) }
        #expect(zip(y, negated).allSatisfy { $0 == -$1 })
    }

    /// A partial last vector: only the valid lanes are written.
    @Test func mapWritesOnlyTheValidLanesOfTheTail() {
        let x: [Float] = (0..<21).map(Float.init)
        var y = [Float](repeating: -1, count: 24)
        x.withUnsafeBufferPointer { xp in y.withUnsafeMutableBufferPointer { yp in
            VectorMath.map(xp.baseAddress!, yp.baseAddress!, count: 21) { $0 * 2 }
        } }
        #expect(Array(y[..<21]) == x.map { $0 * 2 })
        #expect(Array(y[21...]) == [-1, -1, -1])
    }
}
