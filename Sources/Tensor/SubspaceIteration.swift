import CBLAS

/// The few largest eigenpairs of a large symmetric positive semi-definite single-precision matrix
/// by block subspace iteration with Rayleigh–Ritz (Saad, "Numerical Methods for Large Eigenvalue
/// Problems", 2nd ed., §5.2, Algorithm 5.3).
///
/// Each iteration is one product of the matrix with an `(n, p)` block (`ssymm`, BLAS 3), `p` the
/// wanted count plus oversampling; the small projected problem and the orthonormalisation are in
/// float64. A Ritz pair `(θ, y)` is accepted when its residual `‖A y − θ y‖` is at most
/// `tolerance · θ₁`; the error of the Ritz value is then of order residual² / gap.
/// Convergence of pair j goes as `(λ_{p+1} / λ_j)^iterations`, so oversampling pays where the
/// spectrum decays slowly (HOG features).
public struct SubspaceIteration: Sendable {
    /// Eigenpairs wanted.
    public var count: Int
    /// Extra vectors in the block (default `max(count, 10)`).
    public var oversampling: Int
    /// Accept when every wanted residual is at most `tolerance · θ₁`.
    public var tolerance: Double
    public var maxIterations: Int
    public var seed: UInt64

    public init(count: Int, oversampling: Int? = nil, tolerance: Double = 1e-5, maxIterations: Int = 200, seed: UInt64 = 0) {
        precondition(count > 0, "SubspaceIteration needs at least one eigenpair")
        self.count = count
        self.oversampling = oversampling ?? max(count, 10)
        self.tolerance = tolerance
        self.maxIterations = maxIterations
        self.seed = seed
    }

    /// The result: `values` descending, `vectors` as rows `(count, n)`, unit length.
    public struct Result: Sendable {
        public let values: [Double]
        public let vectors: Matrix<Double>
        public let iterations: Int
        /// Largest residual `‖A y − θ y‖ / θ₁` among the wanted pairs at the end.
        public let relativeResidual: Double
    }

    /// Runs on the `(n, n)` matrix `a` (row-major, only its **upper** triangle is read).
    /// `progress(iteration, maxIterations)` is called after each iteration.
    public func run(_ a: UnsafeBufferPointer<Float>, n: Int, progress: ((Int, Int) -> Void)? = nil) throws -> Result {
        precondition(a.count >= n * n, "SubspaceIteration needs an \(n) x \(n) matrix")
        precondition(count <= n, "asked for \(count) eigenpairs of an \(n) x \(n) matrix")
        let p = min(n, count + oversampling)
        var generator = SeededGenerator(seed: seed)
        var basis = [Double](repeating: 0, count: n * p)          // Q, row-major (n, p), orthonormal columns
        for i in basis.indices { basis[i] = generator.nextGaussian() }
        try Self.orthonormalize(&basis, rows: n, columns: p)
        var q32 = [Float](repeating: 0, count: n * p)
        var z32 = [Float](repeating: 0, count: n * p)
        var z = [Double](repeating: 0, count: n * p)               // A Q
        var y = [Double](repeating: 0, count: n * p)               // Ritz vectors Q W
        var ay = [Double](repeating: 0, count: n * p)              // A Q W
        var h = [Double](repeating: 0, count: p * p)
        var theta = [Double](repeating: 0, count: p)
        var residual = Double.infinity
        var iteration = 0
        while iteration < maxIterations {
            iteration += 1
            for i in basis.indices { q32[i] = Float(basis[i]) }
            cblas_ssymm(CblasRowMajor, CblasLeft, CblasUpper, Int32(n), Int32(p), 1, a.baseAddress, Int32(n),
                        q32, Int32(p), 0, &z32, Int32(p))
            for i in z.indices { z[i] = Double(z32[i]) }
            // H = Qᵀ A Q, symmetrised against rounding; its eigenvectors W rotate Q to Ritz vectors.
            Double.gemm(transA: true, transB: false, m: p, n: p, k: n, alpha: 1, a: basis, lda: p, b: z, ldb: p,
                        beta: 0, c: &h, ldc: p)
            for i in 0..<p { for j in (i + 1)..<p { let s = (h[i * p + j] + h[j * p + i]) / 2; h[i * p + j] = s; h[j * p + i] = s } }
            let info = LAPACKE_dsyevd(LAPACK_ROW_MAJOR, Int8(UInt8(ascii: "V")), Int8(UInt8(ascii: "U")), Int32(p), &h, Int32(p), &theta)
            guard info == 0 else { throw LAPACKError.failed(routine: "dsyevd", info: info) }
            // dsyevd is ascending: reverse the columns of W and the values so index 0 is the largest.
            theta.reverse()
            for i in 0..<p { for j in 0..<(p / 2) { h.swapAt(i * p + j, i * p + p - 1 - j) } }
            Double.gemm(transA: false, transB: false, m: n, n: p, k: p, alpha: 1, a: basis, lda: p, b: h, ldb: p,
                        beta: 0, c: &y, ldc: p)
            Double.gemm(transA: false, transB: false, m: n, n: p, k: p, alpha: 1, a: z, lda: p, b: h, ldb: p,
                        beta: 0, c: &ay, ldc: p)
            let scale = max(abs(theta[0]), Double.leastNormalMagnitude)
            residual = 0
            for j in 0..<count {
                var sum = 0.0
                for i in 0..<n { let r = ay[i * p + j] - theta[j] * y[i * p + j]; sum += r * r }
                residual = max(residual, sum.squareRoot() / scale)
            }
            progress?(iteration, maxIterations)
            if residual <= tolerance { break }
            basis = ay
            try Self.orthonormalize(&basis, rows: n, columns: p)
        }
        var vectors = Matrix<Double>(rows: count, columns: n)
        for j in 0..<count { for i in 0..<n { vectors.storage[j * n + i] = y[i * p + j] } }
        return Result(values: Array(theta.prefix(count)), vectors: vectors, iterations: iteration, relativeResidual: residual)
    }

    /// Replaces the columns of the row-major `(rows, columns)` matrix by an orthonormal basis of
    /// their span (Householder QR: `dgeqrf`, `dorgqr`).
    static func orthonormalize(_ m: inout [Double], rows: Int, columns: Int) throws {
        var tau = [Double](repeating: 0, count: columns)
        var info = LAPACKE_dgeqrf(LAPACK_ROW_MAJOR, Int32(rows), Int32(columns), &m, Int32(columns), &tau)
        guard info == 0 else { throw LAPACKError.failed(routine: "dgeqrf", info: info) }
        info = LAPACKE_dorgqr(LAPACK_ROW_MAJOR, Int32(rows), Int32(columns), Int32(columns), &m, Int32(columns), &tau)
        guard info == 0 else { throw LAPACKError.failed(routine: "dorgqr", info: info) }
    }
}
