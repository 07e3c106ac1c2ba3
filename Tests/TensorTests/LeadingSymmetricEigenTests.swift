import Testing
import Tensor

@Suite struct LeadingSymmetricEigenTests {
    @Test func agreesWithTheFullSolver() throws {
        // A random symmetric 60 x 60 matrix: all eigenvalues equal dsyevd's, and each of the
        // leading vectors satisfies S v = λ v.
        var rng = SeededGenerator(seed: 3)
        let n = 60
        var s = Matrix<Double>(rows: n, columns: n)
        for i in 0..<n { for j in i..<n { let v = rng.nextGaussian(); s[i, j] = v; s[j, i] = v } }
        let full = try SymmetricEigen.decompose(s)
        var upperOnly = s
        for i in 0..<n { for j in 0..<i { upperOnly[i, j] = .nan } }  // only the upper triangle is read
        let leading = try LeadingSymmetricEigen.decompose(destroying: &upperOnly) { _ in 7 }
        #expect(leading.vectors.rows == 7 && leading.vectors.columns == n)
        for (a, b) in zip(leading.values, full.values) { #expect(abs(a - b) < 1e-10) }
        for k in 0..<7 {
            let v = leading.vectors.row(k)
            for i in 0..<n {
                let sv = (0..<n).map { s[i, $0] * v[$0] }.reduce(0, +)
                #expect(abs(sv - leading.values[k] * v[i]) < 1e-9)
            }
        }
    }
}
