import Tensor

/// Principal component analysis with the full explained-variance spectrum, as scikit-learn's
/// `PCA` (its `full` / `covariance_eigh` solvers give the same numbers up to rounding).
///
/// Port of the model of sklearn/decomposition/_pca.py, computed through an eigen-decomposition:
/// - `n < d` (wide, e.g. the study's 17,092 x 44,100 HOG features): the `(n, n)` Gram matrix
///   `Xc Xcᵀ` of the centred data. Its eigenvalues are the squared singular values `S²` of `Xc`;
///   eigenvectors are the left singular vectors `U`; components are `Vᵀ = diag(1/S) Uᵀ Xc` and the
///   training data's projection is simply `U S`.
/// - `d <= n` (tall, e.g. ViT's 17,092 x 768): the `(d, d)` scatter matrix `Xcᵀ Xc`, whose
///   eigenvectors are the components (sklearn's `covariance_eigh`).
/// Either matrix is accumulated in float64 with BLAS `dsyrk` from blocks of centred rows or
/// columns, so a Float32 data matrix is never copied whole (peak memory: the data, the `(m, m)`
/// matrix with `m = min(n, d)`, and `m * k` for the kept eigenvectors). Eigenvalues come from
/// ``LeadingSymmetricEigen``: all of them, plus vectors for the kept components only.
///
/// - Parameters:
///   - nComponents: components to keep vectors for (default ``Components/all``, as sklearn's
///     `n_components=None`: `min(n, d)`). The explained-variance spectrum is always complete.
///   - blockSize: rows or columns widened to float64 per BLAS call (default 512).
///
/// Learned values are in ``FittedPCA``. Signs follow sklearn's `svd_flip(u_based_decision=False)`:
/// in every component the entry of largest magnitude is positive.
///
///     let pca = try PCA().fit(scaled)                      // scaled: (n_samples, n_features)
///     let k95 = pca.componentsFor(varianceFraction: 0.95)   // the study's argmax(cumsum >= t) + 1
public struct PCA: Sendable {
    /// How many components to keep.
    public enum Components: Sendable, Equatable {
        /// `min(n_samples, n_features)`, sklearn's `n_components=None`.
        case all
        /// A fixed number in `1...min(n_samples, n_features)`.
        case count(Int)
        /// The fewest components whose explained-variance ratios add up to more than this
        /// fraction in (0, 1), sklearn's float `n_components` (`searchsorted(cumsum, f, 'right') + 1`).
        case varianceFraction(Double)
    }

    public var nComponents: Components
    public var blockSize: Int

    public init(nComponents: Components = .all, blockSize: Int = 512) {
        if case let .varianceFraction(f) = nComponents {
            precondition(f > 0 && f < 1, "PCA variance fraction must be in (0, 1), got \(f)")
        }
        if case let .count(k) = nComponents { precondition(k > 0, "PCA needs at least one component, got \(k)") }
        precondition(blockSize > 0, "PCA block size must be positive")
        self.nComponents = nComponents
        self.blockSize = blockSize
    }

    /// Fits the model to `x` `(n_samples, n_features)`.
    public func fit<Scalar: BLASScalar>(_ x: Matrix<Scalar>) throws -> FittedPCA {
        try fitModel(x, wantScores: false).model
    }

    /// Fits the model and returns the projection of `x` on the kept components `(n_samples, k)`,
    /// sklearn's `fit_transform` (cheap on the Gram path: `U S`).
    public func fitTransform<Scalar: BLASScalar>(_ x: Matrix<Scalar>) throws -> (model: FittedPCA, transformed: Matrix<Double>) {
        let (model, scores) = try fitModel(x, wantScores: true)
        return (model, scores!)
    }

    /// The number of kept components for a spectrum of explained-variance ratios.
    func keptCount(ratios: [Double]) -> Int {
        let m = ratios.count
        switch nComponents {
        case .all: return m
        case let .count(k):
            precondition(k <= m, "PCA n_components=\(k) must be at most min(n_samples, n_features) = \(m)")
            return k
        case let .varianceFraction(f):
            var sum = 0.0, below = 0
            for r in ratios { sum += r; if sum <= f { below += 1 } else { break } }
            return min(m, below + 1)
        }
    }
}
