import Tensor

extension PCA {
    /// The two solver paths of ``PCA``; `wantScores` also returns the training projection.
    func fitModel<Scalar: BLASScalar>(_ x: Matrix<Scalar>, wantScores: Bool) throws -> (model: FittedPCA, scores: Matrix<Double>?) {
        let n = x.rows, d = x.columns
        precondition(n >= 2, "PCA needs at least 2 samples, got \(n)")
        precondition(d >= 1, "PCA needs at least 1 feature")
        let mean = CenteredBlocks.columnMeans(x)
        let gram = n < d
        let m = min(n, d)

        // The (m, m) symmetric matrix, upper triangle: Xc Xcᵀ (Gram) or Xcᵀ Xc (scatter).
        var symmetric = Matrix<Double>(rows: m, columns: m)
        let step = blockSize
        var block = [Double](repeating: 0, count: (gram ? n : d) * step)
        let outer = gram ? d : n
        block.withUnsafeMutableBufferPointer { buffer in
            symmetric.storage.withUnsafeMutableBufferPointer { s in
                for lo in stride(from: 0, to: outer, by: step) {
                    let range = lo..<min(outer, lo + step)
                    if gram {
                        CenteredBlocks.fillColumns(x, mean: mean, columns: range, into: buffer)
                        Double.syrk(trans: false, n: n, k: range.count, alpha: 1, a: buffer.baseAddress!, lda: range.count,
                                    beta: 1, c: s.baseAddress!, ldc: n)
                    } else {
                        CenteredBlocks.fillRows(x, mean: mean, rows: range, into: buffer)
                        Double.syrk(trans: true, n: d, k: range.count, alpha: 1, a: buffer.baseAddress!, lda: d,
                                    beta: 1, c: s.baseAddress!, ldc: d)
                    }
                }
            }
        }
        block = []

        var ratios: [Double] = []
        var squared: [Double] = []
        let eigen = try LeadingSymmetricEigen.decompose(destroying: &symmetric) { values in
            // Eigenvalues are S² >= 0; rounding can make the null ones slightly negative.
            squared = values.map { max($0, 0) }
            let total = squared.reduce(0, +)
            ratios = squared.map { total > 0 ? $0 / total : 0 }
            return keptCount(ratios: ratios)
        }
        symmetric = Matrix(rows: 0, columns: 0)  // free the (m, m) matrix before the components
        let k = eigen.vectors.rows
        let singular = squared.map { $0.squareRoot() }
        // Directions whose singular value is rounding noise have no defined component (sklearn's
        // SVD returns an arbitrary unit vector there); they are set to zero.
        let noise = (squared.first ?? 0) * Double(m) * Double.ulpOfOne

        var components: Matrix<Double>
        var scores: Matrix<Double>? = nil
        if gram {
            // Vᵀ (k, d) = diag(1/S) Uᵀ Xc, column block by column block; U's rows are eigen.vectors.
            components = Matrix(rows: k, columns: d)
            var block = [Double](repeating: 0, count: n * step)
            block.withUnsafeMutableBufferPointer { buffer in
                eigen.vectors.storage.withUnsafeBufferPointer { u in
                    components.storage.withUnsafeMutableBufferPointer { v in
                        for lo in stride(from: 0, to: d, by: step) {
                            let range = lo..<min(d, lo + step)
                            CenteredBlocks.fillColumns(x, mean: mean, columns: range, into: buffer)
                            Double.gemm(transA: false, transB: false, m: k, n: range.count, k: n, alpha: 1,
                                        a: u.baseAddress!, lda: n, b: buffer.baseAddress!, ldb: range.count,
                                        beta: 0, c: v.baseAddress! + lo, ldc: d)
                        }
                    }
                }
            }
            for j in 0..<k {
                let inverse = squared[j] > noise ? 1 / singular[j] : 0
                for i in 0..<d { components.storage[j * d + i] *= inverse }
            }
            var signs = Self.flipSigns(&components)
            for j in 0..<k where squared[j] <= noise { signs[j] = 0 }
            if wantScores {
                var s = Matrix<Double>(rows: n, columns: k)
                for j in 0..<k {
                    let f = signs[j] * singular[j]
                    for i in 0..<n { s.storage[i * k + j] = eigen.vectors.storage[j * n + i] * f }
                }
                scores = s
            }
        } else {
            components = eigen.vectors
            _ = Self.flipSigns(&components)
        }

        let model = FittedPCA(mean: mean, components: components,
                              explainedVariance: squared.map { $0 / Double(n - 1) },
                              explainedVarianceRatio: ratios, singularValues: singular, sampleCount: n)
        if wantScores && !gram { scores = model.transform(x) }
        return (model, scores)
    }

    /// sklearn's `svd_flip(u_based_decision=False)`: negates each row whose entry of largest
    /// magnitude (the first one, on ties) is negative. Returns the applied signs (+1 / -1).
    static func flipSigns(_ components: inout Matrix<Double>) -> [Double] {
        let d = components.columns
        return (0..<components.rows).map { j in
            var best = 0.0, bestValue = 0.0
            for i in 0..<d {
                let v = components.storage[j * d + i]
                if abs(v) > best { best = abs(v); bestValue = v }
            }
            guard bestValue < 0 else { return 1 }
            for i in 0..<d { components.storage[j * d + i] = -components.storage[j * d + i] }
            return -1
        }
    }
}
