import Testing
import Learn
import Tensor
import _TestSupport

/// The fast path (`PCA.spectrum`: float32 Gram or scatter matrix, float32 eigenvalues, leading
/// vectors by subspace iteration) against the exact float64 path (`PCA().fitTransform`, itself
/// tested against scikit-learn in PCATests) on seeded random data whose spectrum decays
/// geometrically (column scales 0.85^j), so that the leading eigenvalues are well separated.
@Suite struct PCASpectrumTests {
    static func data(rows: Int, columns: Int, seed: UInt64) -> Matrix<Float> {
        var rng = SeededGenerator(seed: seed)
        var x = Matrix<Float>(rows: rows, columns: columns)
        var scale = [Double](repeating: 0, count: columns)
        for j in 0..<columns { scale[j] = 3 * pow085(j) + 0.05 }
        for i in 0..<rows { for j in 0..<columns { x[i, j] = Float(rng.nextGaussian() * scale[j] + Double(j % 7)) } }
        return x
    }
    static func pow085(_ j: Int) -> Double { (0..<j).reduce(1.0) { r, _ in r * 0.85 } }

    @Test(arguments: [(90, 240), (260, 40)])
    func agreesWithTheExactPath(rows: Int, columns: Int) throws {
        let x = Self.data(rows: rows, columns: columns, seed: UInt64(rows))
        let leading = 6
        let (exact, exactScores) = try PCA().fitTransform(x)
        var calls: [(Int, Int)] = []
        let fast = try PCA.spectrum(of: x, leading: leading, blockSize: 32) { calls.append(($0, $1)) }
        let m = min(rows, columns)
        #expect(fast.explainedVarianceRatio.count == m)
        // Eigenvalues: float32 Gram and float32 LAPACK, so errors of a few float32 ulps of λ₁
        // (1.2e-7 each, times the accumulation over d terms); 2e-5 of λ₁ leaves a wide margin.
        let top = exact.explainedVariance[0]
        let worstVariance = maxAbsDifference(fast.explainedVariance, exact.explainedVariance)
        print("PCA.spectrum \(rows)x\(columns): max |variance fast - exact| / λ₁ = \(worstVariance / top)")
        #expect(worstVariance < 2e-5 * top)
        #expect(maxAbsDifference(fast.explainedVarianceRatio, exact.explainedVarianceRatio) < 2e-5)
        for t in [0.5, 0.8, 0.95] {
            #expect(fast.componentsFor(varianceFraction: t) == exact.componentsFor(varianceFraction: t))
        }
        // Leading scores, up to sign: the subspace iteration stops at residual 1e-5 λ₁ and the
        // relative gaps here are above 5%, so the vectors agree to about 1e-4; allow 1e-3 of each
        // column's largest score.
        #expect(fast.scores.rows == rows && fast.scores.columns == leading)
        for j in 0..<leading {
            let a = (0..<rows).map { fast.scores[$0, j] }, b = (0..<rows).map { exactScores[$0, j] }
            let largest = b.map(abs).max()!
            let same = maxAbsDifference(a, b), flipped = maxAbsDifference(a, b.map { -$0 })
            #expect(min(same, flipped) < 1e-3 * largest, "score column \(j): \(min(same, flipped) / largest)")
        }
        // Progress: never decreasing, one total, ending at it.
        #expect(!calls.isEmpty)
        #expect(Set(calls.map { $0.1 }).count == 1)
        #expect(zip(calls, calls.dropFirst()).allSatisfy { $0.0 <= $1.0 })
        #expect(calls.last!.0 == calls.last!.1)
    }

    @Test func signsFollowScikitLearnsRule() throws {
        // svd_flip(u_based_decision=False): each component's largest entry is positive, so the
        // fast scores have the exact path's signs wherever that entry is well separated.
        let x = Self.data(rows: 70, columns: 150, seed: 11)
        let (_, exactScores) = try PCA().fitTransform(x)
        let fast = try PCA.spectrum(of: x, leading: 3)
        for j in 0..<3 {
            let dot = (0..<x.rows).map { fast.scores[$0, j] * exactScores[$0, j] }.reduce(0, +)
            #expect(dot > 0, "score column \(j) has the opposite sign")
        }
    }
}
