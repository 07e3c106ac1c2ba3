import Tensor

/// What ``PCA/spectrum(of:leading:blockSize:progress:)`` computes: the whole explained-variance
/// spectrum and the training data's scores on the few leading components, without the
/// `(k, d)` components matrix.
///
/// Shapes: n = samples, m = min(n, d), L = leading components.
public struct PCASpectrum: Sendable {
    /// Variance along every principal axis, `(m,)`, descending: `S² / (n - 1)` (sklearn
    /// `explained_variance_` with `n_components=None`), from single-precision eigenvalues.
    public let explainedVariance: [Double]
    /// Share of the total variance per axis, `(m,)` (sklearn `explained_variance_ratio_`).
    public let explainedVarianceRatio: [Double]
    /// Scores of the training data on the leading L components, `(n, L)`: sklearn's
    /// `fit_transform(x)[:, :L]`, signs as sklearn's `svd_flip` (largest entry of each component positive).
    public let scores: Matrix<Double>
    /// Subspace iterations the leading vectors took, and their final relative residual.
    public let iterations: Int
    public let residual: Double
    public let sampleCount: Int
    /// Wall seconds of each stage: the Gram (or scatter) matrix, the leading eigenpairs, every
    /// eigenvalue, the scores.
    public let stageSeconds: StageSeconds

    public struct StageSeconds: Sendable, Equatable {
        public var matrix = 0.0, leading = 0.0, eigenvalues = 0.0, scores = 0.0
    }

    /// The study's `argmax(cumsum(ratio) >= fraction) + 1`, as ``FittedPCA/componentsFor(varianceFraction:)``.
    public func componentsFor(varianceFraction fraction: Double) -> Int {
        PCA.componentsFor(varianceFraction: fraction, ratios: explainedVarianceRatio)
    }
}

extension PCA {
    /// The fewest leading ratios whose sum reaches `fraction` (all of them when rounding keeps the
    /// sum below it).
    static func componentsFor(varianceFraction fraction: Double, ratios: [Double]) -> Int {
        var sum = 0.0
        for (i, r) in ratios.enumerated() {
            sum += r
            if sum >= fraction { return i + 1 }
        }
        return ratios.count
    }
}
