import Tensor

extension TSNE {
    /// sklearn's `init="pca"`: the data projected on its first two principal components, signs
    /// fixed so each component's largest-magnitude loading is positive (`svd_flip` with
    /// `u_based_decision=False`), then scaled so the first coordinate has standard deviation 1e-4.
    ///
    /// - Returns: `(n, 2)` interleaved positions.
    static func pcaStart(_ x: Matrix<Double>) -> [Double] {
        let n = x.rows, d = x.columns
        var centred = x
        var mean = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += x.storage[i * d + j] } }
        for j in 0..<d { mean[j] /= Double(n) }
        for i in 0..<n { for j in 0..<d { centred.storage[i * d + j] -= mean[j] } }
        // Covariance XᵀX (upper triangle from BLAS syrk), then its top two eigenvectors.
        var scatter = Matrix<Double>(rows: d, columns: d)
        centred.storage.withUnsafeBufferPointer { a in
            scatter.storage.withUnsafeMutableBufferPointer { c in
                Double.syrk(trans: true, n: d, k: n, alpha: 1, a: a.baseAddress!, lda: d, beta: 0,
                            c: c.baseAddress!, ldc: d)
            }
        }
        let components = min(2, d)
        var loadings = [[Double]](repeating: [Double](repeating: 0, count: d), count: 2)
        if let eigen = try? SymmetricEigen<Double>.decompose(scatter) {
            for c in 0..<components {
                var row = eigen.vectors.row(c)
                let largest = row.indices.max { abs(row[$0]) < abs(row[$1]) }!
                if row[largest] < 0 { row = row.map { -$0 } }
                loadings[c] = row
            }
        }
        var positions = [Double](repeating: 0, count: 2 * n)
        for i in 0..<n {
            for c in 0..<2 {
                var s = 0.0
                for j in 0..<d { s += centred.storage[i * d + j] * loadings[c][j] }
                positions[2 * i + c] = s
            }
        }
        // np.std (population) of the first coordinate.
        var m = 0.0
        for i in 0..<n { m += positions[2 * i] }
        m /= Double(n)
        var v = 0.0
        for i in 0..<n { v += (positions[2 * i] - m) * (positions[2 * i] - m) }
        let std = (v / Double(n)).squareRoot()
        let scale = std > 0 ? 1e-4 / std : 1
        for e in positions.indices { positions[e] *= scale }
        return positions
    }
}
