import Tensor

/// Standardises features to zero mean and unit variance, as scikit-learn's `StandardScaler`.
///
/// Port of sklearn/preprocessing/_data.py (`StandardScaler`, `_is_constant_feature`,
/// `_handle_zeros_in_scale`) and the dense branch of `_incremental_mean_and_var`
/// (sklearn/utils/extmath.py): float64 accumulation whatever the input type, population variance
/// (divides by n) with the two-pass correction `sum((x - mean)²) - (sum(x - mean))² / n`.
///
/// - Parameters (sklearn's defaults): `withMean` true, `withStd` true.
///
///     let fitted = StandardScaler().fit(features)        // features: (n_samples, n_features)
///     fitted.transform(inPlace: &features)                // big matrices: no copy
public struct StandardScaler: Sendable {
    /// Subtract the mean. Default true.
    public var withMean: Bool
    /// Divide by the standard deviation. Default true.
    public var withStd: Bool

    public init(withMean: Bool = true, withStd: Bool = true) {
        self.withMean = withMean
        self.withStd = withStd
    }

    /// Learns the per-feature mean and variance of `x` `(n_samples, n_features)`.
    public func fit<Scalar: BLASScalar>(_ x: Matrix<Scalar>) -> FittedStandardScaler {
        precondition(x.rows > 0, "StandardScaler needs at least one sample")
        let (mean, variance) = columnMeanAndVariance(x)
        let n = Double(x.rows)
        let eps = Double.ulpOfOne
        var scale = [Double](repeating: 1, count: x.columns)
        if withStd {
            for j in 0..<x.columns {
                // sklearn's _is_constant_feature: the variance is below the rounding error its
                // computation can make, so the feature counts as constant and keeps scale 1.
                let bound = n * eps * variance[j] + (n * mean[j] * eps) * (n * mean[j] * eps)
                scale[j] = variance[j] <= bound ? 1 : variance[j].squareRoot()
            }
        }
        return FittedStandardScaler(mean: withMean ? mean : nil, variance: withStd ? variance : nil,
                                    scale: withStd ? scale : nil, sampleCount: x.rows, columnMean: mean)
    }
}

/// A fitted ``StandardScaler``.
public struct FittedStandardScaler: Sendable {
    /// Per-feature mean, shape `(n_features,)` (sklearn `mean_`); nil when `withMean` is false.
    public let mean: [Double]?
    /// Per-feature population variance, shape `(n_features,)` (sklearn `var_`); nil without `withStd`.
    public let variance: [Double]?
    /// Per-feature divisor: `sqrt(variance)`, or 1 for constant features, shape `(n_features,)`
    /// (sklearn `scale_`); nil without `withStd`.
    public let scale: [Double]?
    /// Number of samples seen (sklearn `n_samples_seen_`).
    public let sampleCount: Int
    /// The mean even when it is not subtracted (variance needs it).
    let columnMean: [Double]

    /// Number of features the scaler was fitted on.
    public var featureCount: Int { columnMean.count }

    /// `(x - mean) / scale`, a new matrix of the same type.
    public func transform<Scalar: BLASScalar>(_ x: Matrix<Scalar>) -> Matrix<Scalar> {
        var out = x
        transform(inPlace: &out)
        return out
    }

    /// `(x - mean) / scale` in place, for matrices too big to copy (the HOG features are 3 GB).
    ///
    /// For Float32 input the two steps round separately, as NumPy's in-place `X -= mean_;
    /// X /= scale_` does, so results match sklearn's bit for bit.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    public func transform<Scalar: BLASScalar>(inPlace x: inout Matrix<Scalar>) {
        precondition(x.columns == featureCount, "StandardScaler was fitted on \(featureCount) features, got \(x.columns)")
        let columns = x.columns
        let zeros = [Double](repeating: 0, count: columns), ones = [Double](repeating: 1, count: columns)
        let shift = mean ?? zeros, divisor = scale ?? ones
        let subtract = mean != nil, divide = scale != nil
        x.storage.withUnsafeMutableBufferPointer { data in
            shift.withUnsafeBufferPointer { m in
            divisor.withUnsafeBufferPointer { s in
                Parallel.forEachChunk(x.rows, minimumChunk: max(1, 65_536 / max(1, columns))) { rows in
                    for i in rows {
                        let row = i * columns
                        for j in 0..<columns {
                            var v = data[row + j]
                            if subtract { v = Scalar(Double(v) - m[j]) }
                            if divide { v = Scalar(Double(v) / s[j]) }
                            data[row + j] = v
                        }
                    }
                }
            }
            }
        }
    }
}

/// Per-column mean and population variance in float64, parallel over column ranges.
/// Specialised for Float and Double: called unspecialised from another module, every generic
/// `Double(x)` conversion would go through protocol witnesses (about 50x slower on 3 GB of HOG).
@_specialize(where Scalar == Float)
@_specialize(where Scalar == Double)
func columnMeanAndVariance<Scalar: BLASScalar>(_ x: Matrix<Scalar>) -> (mean: [Double], variance: [Double]) {
    let n = x.rows, d = x.columns
    var mean = [Double](repeating: 0, count: d)
    var variance = [Double](repeating: 0, count: d)
    x.storage.withUnsafeBufferPointer { data in
        mean.withUnsafeMutableBufferPointer { meanOut in
        variance.withUnsafeMutableBufferPointer { varianceOut in
            Parallel.forEachChunk(d, minimumChunk: 64) { columns in
                let width = columns.count, lo = columns.lowerBound
                // Three running sums per column: sum x, then sum (x - mean) and sum (x - mean)².
                let sums = UnsafeMutableBufferPointer<Double>.allocate(capacity: 3 * width)
                defer { sums.deallocate() }
                sums.initialize(repeating: 0)
                let sum = sums.baseAddress!, correction = sum + width, squares = sum + 2 * width
                for i in 0..<n {
                    let row = i * d + lo
                    for j in 0..<width { sum[j] += Double(data[row + j]) }
                }
                for j in 0..<width { sum[j] /= Double(n) }
                for i in 0..<n {
                    let row = i * d + lo
                    for j in 0..<width {
                        let t = Double(data[row + j]) - sum[j]
                        correction[j] += t
                        squares[j] += t * t
                    }
                }
                for j in 0..<width {
                    meanOut[lo + j] = sum[j]
                    varianceOut[lo + j] = (squares[j] - correction[j] * correction[j] / Double(n)) / Double(n)
                }
            }
        }
        }
    }
    return (mean, variance)
}
