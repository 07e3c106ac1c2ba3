import Testing
import Tensor

@Suite struct BLASTests {
    @Test func matrixProductMatchesHandComputation() {
        let a = Matrix<Double>([[1, 2, 3], [4, 5, 6]])
        let b = Matrix<Double>([[7, 8], [9, 10], [11, 12]])
        #expect(a.multiplied(by: b) == Matrix([[58, 64], [139, 154]]))
        // Aᵀ·A through the transpose flag equals the explicit transpose.
        #expect(a.multiplied(by: a, transposeSelf: true) == a.transposed.multiplied(by: a))
    }

    @Test func symmetricEigenReconstructsTheMatrix() throws {
        let s = Matrix<Double>([[4, 1, 0], [1, 3, 1], [0, 1, 2]])
        let eig = try SymmetricEigen.decompose(s)
        // Eigenvalues come in descending order and each pair satisfies S v = λ v.
        #expect(eig.values == eig.values.sorted(by: >))
        for k in 0..<3 {
            let v = eig.vectors.row(k)
            for i in 0..<3 {
                let sv = (0..<3).map { s[i, $0] * v[$0] }.reduce(0, +)
                #expect(abs(sv - eig.values[k] * v[i]) < 1e-10)
            }
        }
    }

    @Test func parallelMapKeepsOrder() {
        let squares = Parallel.map(1000) { $0 * $0 }
        #expect(squares == (0..<1000).map { $0 * $0 })
    }
}
