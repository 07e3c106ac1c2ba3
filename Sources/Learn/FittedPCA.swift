import Tensor

/// A fitted ``PCA``.
///
/// Shapes: n = samples seen, d = features, m = min(n, d), k = kept components.
public struct FittedPCA: Sendable {
    /// Per-feature mean, shape `(d,)` (sklearn `mean_`).
    public let mean: [Double]
    /// Principal axes as rows, unit length, by decreasing variance, shape `(k, d)` (sklearn
    /// `components_`); signs as sklearn's `svd_flip`.
    public let components: Matrix<Double>
    /// Variance along every principal axis, shape `(m,)`: `S² / (n - 1)` (sklearn
    /// `explained_variance_` with `n_components=None`; all m values even when k < m).
    public let explainedVariance: [Double]
    /// Share of the total variance per axis, shape `(m,)`, relative to the sum of all m
    /// eigenvalues (the trace), as sklearn with `n_components=None`.
    public let explainedVarianceRatio: [Double]
    /// Singular values `S` of the centred data, shape `(m,)` (sklearn `singular_values_`).
    public let singularValues: [Double]
    /// Number of samples seen (sklearn `n_samples_`).
    public let sampleCount: Int

    /// k, the number of kept components (sklearn `n_components_`).
    public var componentCount: Int { components.rows }

    /// The study's `select_pca_components`: `argmax(cumsum(ratio) >= fraction) + 1`, the fewest
    /// leading components whose ratios reach `fraction`. When rounding keeps the sum below
    /// `fraction`, all m components are needed and m is returned.
    public func componentsFor(varianceFraction fraction: Double) -> Int {
        var sum = 0.0
        for (i, r) in explainedVarianceRatio.enumerated() {
            sum += r
            if sum >= fraction { return i + 1 }
        }
        return explainedVarianceRatio.count
    }

    /// Projects `x` `(rows, d)` on the first `components` axes (default all kept):
    /// `(x - mean) · componentsᵀ`, shape `(rows, components)`, computed in float64 by row blocks.
    public func transform<Scalar: BLASScalar>(_ x: Matrix<Scalar>, components count: Int? = nil,
                                              blockSize: Int = 512) -> Matrix<Double> {
        let d = mean.count, k = count ?? componentCount
        precondition(x.columns == d, "PCA was fitted on \(d) features, got \(x.columns)")
        precondition(k >= 0 && k <= componentCount, "Asked for \(k) components, the model keeps \(componentCount)")
        var out = Matrix<Double>(rows: x.rows, columns: k)
        guard k > 0, x.rows > 0 else { return out }
        var block = [Double](repeating: 0, count: min(blockSize, x.rows) * d)
        block.withUnsafeMutableBufferPointer { buffer in
            components.storage.withUnsafeBufferPointer { v in
                out.storage.withUnsafeMutableBufferPointer { o in
                    for lo in stride(from: 0, to: x.rows, by: blockSize) {
                        let range = lo..<min(x.rows, lo + blockSize)
                        CenteredBlocks.fillRows(x, mean: mean, rows: range, into: buffer)
                        Double.gemm(transA: false, transB: true, m: range.count, n: k, k: d, alpha: 1,
                                    a: buffer.baseAddress!, lda: d, b: v.baseAddress!, ldb: d,
                                    beta: 0, c: o.baseAddress! + lo * k, ldc: k)
                    }
                }
            }
        }
        return out
    }
}
