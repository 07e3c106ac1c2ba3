import CBLAS

/// Eigen-decomposition of a symmetric matrix by LAPACK's divide-and-conquer solver (?syevd).
public struct SymmetricEigen<Scalar: BLASScalar> {
    /// Eigenvalues in descending order, shape `(n,)`.
    public let values: [Scalar]
    /// Eigenvectors as rows, in the order of `values`: shape `(n, n)`, row `i` pairs with `values[i]`.
    public let vectors: Matrix<Scalar>
}

public enum LAPACKError: Error, CustomStringConvertible {
    case failed(routine: String, info: Int32)
    public var description: String {
        switch self {
        case let .failed(routine, info):
            return "LAPACK \(routine) failed (info = \(info)): the matrix is not valid input for it."
        }
    }
}

extension SymmetricEigen where Scalar == Double {
    /// Decomposes the symmetric `(n, n)` matrix `a` (only its upper triangle is read).
    /// With `vectors: false` only eigenvalues are computed, which is much cheaper.
    public static func decompose(_ a: Matrix<Double>, vectors wantVectors: Bool = true) throws -> SymmetricEigen {
        precondition(a.rows == a.columns, "Eigen-decomposition needs a square matrix")
        let n = a.rows
        var work = a.storage
        var w = [Double](repeating: 0, count: n)
        let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, wantVectors ? Int8(UInt8(ascii: "V")) : Int8(UInt8(ascii: "N")),
                                  Int8(UInt8(ascii: "U")), Int32(n), &work, Int32(n), &w)
        guard info == 0 else { throw LAPACKError.failed(routine: "dsyevd", info: info) }
        // LAPACK returns ascending values with eigenvectors as columns; flip to descending rows.
        let values = Array(w.reversed())
        var rowsOut = Matrix<Double>(rows: wantVectors ? n : 0, columns: wantVectors ? n : 0)
        if wantVectors {
            for r in 0..<n {
                let col = n - 1 - r
                for i in 0..<n { rowsOut.storage[r * n + i] = work[i * n + col] }
            }
        }
        return SymmetricEigen(values: values, vectors: rowsOut)
    }
}
