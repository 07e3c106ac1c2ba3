import CBLAS

/// Every eigenvalue, and no eigenvector, of a large symmetric single-precision matrix.
///
/// LAPACK's `ssyev_2stage` with `jobz = 'N'`: the two-stage tridiagonal reduction
/// (`ssytrd_2stage`: a blocked, BLAS-3 reduction to band form, then bulge chasing) and `ssterf`.
/// For eigenvalues alone it is much faster than the one-stage `dsytrd`, whose half of the work is
/// memory-bound matrix-vector products, and single precision halves the memory traffic again.
/// Float32 is enough for PCA's explained-variance counts: on the study's 17,092 x 17,092 HOG Gram
/// matrix it gives the same 95% and 99% counts as float64 (issue 12).
public enum SymmetricSpectrum {
    /// The `n` eigenvalues of the symmetric `(n, n)` matrix in `matrix` (row-major, only its
    /// **upper** triangle is read, as `ssyrk` fills it), descending. `matrix` is overwritten.
    public static func eigenvalues(destroying matrix: inout [Float], n: Int) throws -> [Float] {
        precondition(matrix.count >= n * n, "SymmetricSpectrum needs an \(n) x \(n) matrix")
        guard n > 0 else { return [] }
        var w = [Float](repeating: 0, count: n)
        // The row-major upper triangle is the column-major lower triangle (no transposed copy).
        let info = matrix.withUnsafeMutableBufferPointer { a in
            LAPACKE_ssyev_2stage(LAPACK_COL_MAJOR, Int8(UInt8(ascii: "N")), Int8(UInt8(ascii: "L")),
                                 Int32(n), a.baseAddress, Int32(n), &w)
        }
        guard info == 0 else { throw LAPACKError.failed(routine: "ssyev_2stage", info: info) }
        return Array(w.reversed())
    }
}
