import Foundation
import Tensor

extension PCA {
    /// The fast path for large problems that need the whole spectrum but only a few leading
    /// scores (the study's HOG PCA: 17,092 x 44,100, all 17,092 eigenvalues, 50 scores for t-SNE).
    ///
    /// 1. The `(m, m)` Gram (`n < d`) or scatter (`d <= n`) matrix in **float32**: `ssyrk` on
    ///    blocks of the centred data, `blockSize` columns (or rows) at a time.
    /// 2. The `leading` largest eigenpairs of it by ``SubspaceIteration`` (the matrix is read, not
    ///    changed).
    /// 3. Every eigenvalue by ``SymmetricSpectrum`` (two-stage reduction, float32, no vectors),
    ///    which overwrites the matrix.
    /// 4. Scores `U S` (Gram) or `Xc V` (scatter), signs flipped as sklearn's `svd_flip` from the
    ///    leading components (`Uᵀ Xc`, one more pass over the data, never stored whole).
    ///
    /// Peak memory beyond `x`: the float32 `(m, m)` matrix plus one block. Accuracy: float32
    /// eigenvalues agree with ``fit(_:)``'s float64 ones to about `1e-6 · λ₁` (tested), enough
    /// for the component counts; use ``fit(_:)`` when components or float64 values are needed.
    ///
    /// `progress(done, total)` counts work in units of one Gram block's `ssyrk`; the other stages
    /// are weighted by their flop counts (see ``SpectrumWork``).
    public static func spectrum<Scalar: BLASScalar>(of x: Matrix<Scalar>, leading: Int, blockSize: Int = 512,
                                                    progress: ((Int, Int) -> Void)? = nil) throws -> PCASpectrum {
        let n = x.rows, d = x.columns
        precondition(n >= 2, "PCA needs at least 2 samples, got \(n)")
        precondition(d >= 1, "PCA needs at least 1 feature")
        let gram = n < d
        let m = min(n, d)
        precondition(leading >= 1 && leading <= m, "leading scores must be in 1...\(m), got \(leading)")
        let mean = CenteredBlocks.columnMeans(x)
        let outer = gram ? d : n
        let solver = SubspaceIteration(count: leading, seed: 0x5EC7)
        var work = SpectrumWork(m: m, outer: outer, blockSize: blockSize, subspace: leading + solver.oversampling,
                                maxIterations: solver.maxIterations, progress: progress)

        var seconds = PCASpectrum.StageSeconds()
        var clock = Date()
        func lap() -> Double { let now = Date(); defer { clock = now }; return now.timeIntervalSince(clock) }

        // 1. The float32 symmetric matrix, upper triangle.
        var symmetric = [Float](repeating: 0, count: m * m)
        var block = [Float](repeating: 0, count: m * min(blockSize, outer))
        block.withUnsafeMutableBufferPointer { buffer in
            symmetric.withUnsafeMutableBufferPointer { s in
                for lo in stride(from: 0, to: outer, by: blockSize) {
                    let range = lo..<min(outer, lo + blockSize)
                    if gram {
                        CenteredBlocks.fillColumns(x, mean: mean, columns: range, into: buffer)
                        Float.syrk(trans: false, n: n, k: range.count, alpha: 1, a: buffer.baseAddress!, lda: range.count,
                                   beta: 1, c: s.baseAddress!, ldc: n)
                    } else {
                        CenteredBlocks.fillRows(x, mean: mean, rows: range, into: buffer)
                        Float.syrk(trans: true, n: d, k: range.count, alpha: 1, a: buffer.baseAddress!, lda: d,
                                   beta: 1, c: s.baseAddress!, ldc: d)
                    }
                    work.gramBlockDone()
                }
            }
        }
        block = []
        seconds.matrix = lap()

        // 2. Leading eigenpairs, before the eigenvalue routine destroys the matrix.
        let pairs = try symmetric.withUnsafeBufferPointer { s in
            try solver.run(s, n: m) { iteration, _ in work.iterationDone(iteration) }
        }
        work.iterationsFinished()
        seconds.leading = lap()

        // 3. Every eigenvalue: S² >= 0 (rounding can make the null ones slightly negative).
        let values = try SymmetricSpectrum.eigenvalues(destroying: &symmetric, n: m)
        symmetric = []
        work.eigenvaluesDone()
        seconds.eigenvalues = lap()
        let squared = values.map { max(Double($0), 0) }
        let total = squared.reduce(0, +)
        let ratios = squared.map { total > 0 ? $0 / total : 0 }

        // 4. Scores and sklearn's signs.
        let singular = pairs.values.map { max($0, 0).squareRoot() }
        let scores = gram
            ? gramScores(x, mean: mean, u: pairs.vectors, singular: singular, blockSize: blockSize)
            : scatterScores(x, mean: mean, v: pairs.vectors, blockSize: blockSize)
        work.finished()
        seconds.scores = lap()
        return PCASpectrum(explainedVariance: squared.map { $0 / Double(n - 1) }, explainedVarianceRatio: ratios,
                           scores: scores, iterations: pairs.iterations, residual: pairs.relativeResidual, sampleCount: n,
                           stageSeconds: seconds)
    }

    /// `U S` with each column's sign chosen so that the component `Uᵀ Xc` (row j scaled by 1/S_j)
    /// has its largest-magnitude entry positive, as sklearn's `svd_flip(u_based_decision=False)`.
    static func gramScores<Scalar: BLASScalar>(_ x: Matrix<Scalar>, mean: [Double], u: Matrix<Double>, singular: [Double],
                                               blockSize: Int) -> Matrix<Double> {
        let n = x.rows, d = x.columns, k = u.rows
        let u32 = u.storage.map(Float.init)
        var best = [Float](repeating: 0, count: k), bestValue = [Float](repeating: 0, count: k)
        var block = [Float](repeating: 0, count: n * min(blockSize, d))
        var piece = [Float](repeating: 0, count: k * min(blockSize, d))
        block.withUnsafeMutableBufferPointer { buffer in
            for lo in stride(from: 0, to: d, by: blockSize) {
                let range = lo..<min(d, lo + blockSize), w = range.count
                CenteredBlocks.fillColumns(x, mean: mean, columns: range, into: buffer)
                Float.gemm(transA: false, transB: false, m: k, n: w, k: n, alpha: 1, a: u32, lda: n,
                           b: buffer.baseAddress!, ldb: w, beta: 0, c: &piece, ldc: w)
                for j in 0..<k {
                    for i in 0..<w where abs(piece[j * w + i]) > best[j] { best[j] = abs(piece[j * w + i]); bestValue[j] = piece[j * w + i] }
                }
            }
        }
        var scores = Matrix<Double>(rows: n, columns: k)
        for j in 0..<k {
            let f = (bestValue[j] < 0 ? -1.0 : 1.0) * singular[j]
            for i in 0..<n { scores.storage[i * k + j] = u.storage[j * n + i] * f }
        }
        return scores
    }

    /// `Xc V` with each component `V_j` signed as sklearn's `svd_flip`.
    static func scatterScores<Scalar: BLASScalar>(_ x: Matrix<Scalar>, mean: [Double], v: Matrix<Double>,
                                                  blockSize: Int) -> Matrix<Double> {
        var components = v
        _ = flipSigns(&components)
        let n = x.rows, d = x.columns, k = v.rows
        var scores = Matrix<Double>(rows: n, columns: k)
        var block = [Double](repeating: 0, count: min(blockSize, n) * d)
        block.withUnsafeMutableBufferPointer { buffer in
            components.storage.withUnsafeBufferPointer { c in
                scores.storage.withUnsafeMutableBufferPointer { o in
                    for lo in stride(from: 0, to: n, by: blockSize) {
                        let range = lo..<min(n, lo + blockSize)
                        CenteredBlocks.fillRows(x, mean: mean, rows: range, into: buffer)
                        Double.gemm(transA: false, transB: true, m: range.count, n: k, k: d, alpha: 1,
                                    a: buffer.baseAddress!, lda: d, b: c.baseAddress!, ldb: d,
                                    beta: 0, c: o.baseAddress! + lo * k, ldc: k)
                    }
                }
            }
        }
        return scores
    }
}

/// Progress of ``PCA/spectrum(of:leading:blockSize:progress:)`` in units of one Gram block
/// (`m² · blockSize` multiply-adds of `ssyrk`). The other stages are converted by flop count:
/// a subspace iteration is a `(m, m) x (m, p)` product (`2p / blockSize` blocks); the two-stage
/// eigenvalue routine does about `(4/3) m³` flops at roughly a third of BLAS-3 speed, counted as
/// `4m / blockSize` blocks; the scores pass re-reads the data once (`leading / m` of the Gram work).
struct SpectrumWork {
    let gramBlocks: Int
    let iterationUnits: Double
    let maxIterations: Int
    let eigenUnits: Int
    let scoreUnits: Int
    let progress: ((Int, Int) -> Void)?
    private(set) var done = 0.0
    var total: Int { gramBlocks + Int((iterationUnits * Double(Self.budgetedIterations)).rounded(.up)) + eigenUnits + scoreUnits }
    /// Iterations the estimate assumes (typical for slowly decaying spectra); more are not
    /// counted beyond the budget, fewer jump ahead.
    static let budgetedIterations = 40

    init(m: Int, outer: Int, blockSize: Int, subspace: Int, maxIterations: Int, progress: ((Int, Int) -> Void)?) {
        gramBlocks = (outer + blockSize - 1) / blockSize
        // Scale the per-block cost to full-width blocks: units are m² · blockSize.
        iterationUnits = 2 * Double(subspace) / Double(blockSize)
        self.maxIterations = maxIterations
        eigenUnits = max(1, Int((4 * Double(m) / Double(blockSize)).rounded()))
        scoreUnits = 1
        self.progress = progress
        report()
    }

    private func report() { progress?(min(Int(done), total), total) }
    mutating func gramBlockDone() { done += 1; report() }
    mutating func iterationDone(_ iteration: Int) {
        done = Double(gramBlocks) + iterationUnits * Double(min(iteration, Self.budgetedIterations)); report()
    }
    mutating func iterationsFinished() { done = Double(total - eigenUnits - scoreUnits); report() }
    mutating func eigenvaluesDone() { done = Double(total - scoreUnits); report() }
    mutating func finished() { done = Double(total); report() }
}
