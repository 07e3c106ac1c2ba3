import CBLAS

/// Every eigenvalue of a symmetric matrix, and the eigenvectors of only the largest few.
///
/// PCA needs the whole spectrum (explained-variance ratios) but usually only a few thousand of
/// the vectors, and the matrices are large (17,092 x 17,092 for the study's HOG Gram matrix), so
/// this goes through the tridiagonal form instead of a full `dsyevd`:
/// 1. `dsytrd` reduces the matrix to tridiagonal form in place (Householder vectors stay in it);
/// 2. `dsterf` gives all eigenvalues from a copy of the tridiagonal (cheap, O(n²));
/// 3. `dstemr` (MRRR) gives the eigenvectors of the `k` largest eigenvalues of the tridiagonal;
/// 4. `dormtr` applies the Householder reflections to turn them into eigenvectors of the matrix.
/// Memory: the matrix itself plus `n * k` doubles; a full `dsyevd` would need about 3 n² more.
public struct LeadingSymmetricEigen: Sendable {
    /// All `n` eigenvalues, descending.
    public let values: [Double]
    /// Eigenvectors of `values[0..<k]` as rows, shape `(k, n)`.
    public let vectors: Matrix<Double>

    /// Decomposes the symmetric `(n, n)` matrix held in `matrix`, whose **upper triangle**
    /// (row-major, as `syrk` fills it) is read; `matrix` is overwritten with LAPACK's
    /// Householder vectors.
    ///
    /// - Parameter leading: picks `k` in `0...n` once the descending eigenvalues are known.
    public static func decompose(destroying matrix: inout Matrix<Double>,
                                 leading: ([Double]) -> Int) throws -> LeadingSymmetricEigen {
        precondition(matrix.rows == matrix.columns, "Eigen-decomposition needs a square matrix, got \(matrix.rows)x\(matrix.columns)")
        let n = matrix.rows
        if n == 0 { return LeadingSymmetricEigen(values: [], vectors: Matrix(rows: 0, columns: 0)) }
        let lower = Int8(UInt8(ascii: "L"))
        // The row-major upper triangle is the column-major lower triangle.
        var diagonal = [Double](repeating: 0, count: n)
        var offDiagonal = [Double](repeating: 0, count: n)
        var tau = [Double](repeating: 0, count: max(1, n - 1))
        var info = matrix.storage.withUnsafeMutableBufferPointer { a in
            LAPACKE_dsytrd(LAPACK_COL_MAJOR, lower, Int32(n), a.baseAddress, Int32(n), &diagonal, &offDiagonal, &tau)
        }
        guard info == 0 else { throw LAPACKError.failed(routine: "dsytrd", info: info) }

        var d = diagonal, e = offDiagonal
        info = LAPACKE_dsterf(Int32(n), &d, &e)
        guard info == 0 else { throw LAPACKError.failed(routine: "dsterf", info: info) }
        let values = Array(d.reversed())

        let k = leading(values)
        precondition(k >= 0 && k <= n, "leading eigenvector count \(k) is outside 0...\(n)")
        guard k > 0 else { return LeadingSymmetricEigen(values: values, vectors: Matrix(rows: 0, columns: n)) }

        // dstemr: eigenpairs il...iu (1-based, ascending) of the tridiagonal; we want the top k.
        var z = [Double](repeating: 0, count: n * k)
        var w = [Double](repeating: 0, count: n)
        var found: Int32 = 0
        var support = [Int32](repeating: 0, count: 2 * k)
        var tryRac: Int32 = 1
        d = diagonal; e = offDiagonal
        info = LAPACKE_dstemr(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "I")), Int32(n),
                              &d, &e, 0, 0, Int32(n - k + 1), Int32(n), &found, &w, &z, Int32(n), Int32(k),
                              &support, &tryRac)
        guard info == 0 else { throw LAPACKError.failed(routine: "dstemr", info: info) }
        guard found == Int32(k) else { throw LAPACKError.failed(routine: "dstemr (found \(found) of \(k) vectors)", info: -1) }

        info = matrix.storage.withUnsafeBufferPointer { a in
            LAPACKE_dormtr(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "L")), lower, Int8(UInt8(ascii: "N")),
                           Int32(n), Int32(k), a.baseAddress, Int32(n),
                           tau, &z, Int32(n))
        }
        guard info == 0 else { throw LAPACKError.failed(routine: "dormtr", info: info) }

        // z is column-major (n, k), ascending; its columns are contiguous, so reversing the order
        // of the columns in place turns it into row-major (k, n) rows in descending order.
        z.withUnsafeMutableBufferPointer { buffer in
            for j in 0..<(k / 2) {
                let a = j * n, b = (k - 1 - j) * n
                for i in 0..<n { buffer.swapAt(a + i, b + i) }
            }
        }
        return LeadingSymmetricEigen(values: values, vectors: Matrix(rows: k, columns: n, storage: z))
    }
}
