import Testing
import Tensor

/// The float32 eigen routines of the fast PCA path against the float64 `dsyevd` (SymmetricEigen).
@Suite struct SubspaceIterationTests {
    /// A random positive semi-definite `B Bᵀ` with a geometrically decaying spectrum.
    static func psd(_ n: Int, seed: UInt64) -> Matrix<Double> {
        var rng = SeededGenerator(seed: seed)
        var b = Matrix<Double>(rows: n, columns: n)
        var scale = 1.0
        for j in 0..<n { for i in 0..<n { b[i, j] = rng.nextGaussian() * scale }; scale *= 0.9 }
        return b.multiplied(by: b, transposeOther: true)
    }

    @Test func spectrumAgreesWithDsyevd() throws {
        let n = 120
        let a = Self.psd(n, seed: 5)
        let exact = try SymmetricEigen.decompose(a, vectors: false)
        var single = a.storage.map(Float.init)
        for i in 0..<n { for j in 0..<i { single[i * n + j] = .nan } }  // only the upper triangle is read
        let values = try SymmetricSpectrum.eigenvalues(destroying: &single, n: n)
        // float32: errors of order n · ulp(λ₁); 1e-5 λ₁ is a generous bound that a wrong order,
        // a missing value or a read of the NaN triangle would break.
        for (x, y) in zip(values, exact.values) { #expect(abs(Double(x) - y) < 1e-5 * exact.values[0]) }
        #expect(values.count == n)
    }

    @Test func leadingPairsSatisfyTheEigenEquation() throws {
        let n = 150, k = 5
        let a = Self.psd(n, seed: 8)
        let exact = try SymmetricEigen.decompose(a)
        var single = a.storage.map(Float.init)
        for i in 0..<n { for j in 0..<i { single[i * n + j] = .nan } }
        var seen: [Int] = []
        let result = try single.withUnsafeBufferPointer {
            try SubspaceIteration(count: k, tolerance: 1e-6).run($0, n: n) { i, _ in seen.append(i) }
        }
        #expect(result.relativeResidual <= 1e-6)
        #expect(seen == Array(1...result.iterations))
        for j in 0..<k {
            // Ritz values: float32 products, so agreement to about 1e-6 of λ₁.
            #expect(abs(result.values[j] - exact.values[j]) < 1e-5 * exact.values[0])
            // Vectors up to sign against dsyevd's (gaps of about 10% here).
            let v = result.vectors.row(j), e = exact.vectors.row(j)
            let dot = zip(v, e).map { $0 * $1 }.reduce(0, +)
            #expect(abs(abs(dot) - 1) < 1e-6, "vector \(j): |cos| = \(abs(dot))")
        }
    }
}
