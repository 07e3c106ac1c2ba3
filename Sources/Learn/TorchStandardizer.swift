import Foundation
import Tensor

/// The study's `scale_features` for the logistic regression (In [204]): each column shifted by the
/// training mean and divided by the training standard deviation as `torch.std` computes it
/// (unbiased, divided by n − 1), a zero deviation replaced by 1e-6 (so a constant column becomes 0).
/// Unlike `StandardScaler` (biased deviation, zero → 1), this is the PyTorch recipe the study ran.
///
///     let scaler = TorchStandardizer.fit(train)        // (N, F)
///     let scaled = scaler.transform(test)             // (M, F)
public struct TorchStandardizer: Sendable, Codable, Equatable {
    /// Per column, (F,).
    public let mean: [Float]
    public let std: [Float]

    /// Statistics of `x` (N, F), N ≥ 2, accumulated in float64 and rounded to float32 once.
    public static func fit(_ x: Matrix<Float>) -> TorchStandardizer {
        precondition(x.rows >= 2, "the unbiased standard deviation needs at least 2 rows, got \(x.rows)")
        let n = x.rows, f = x.columns
        var sum = [Double](repeating: 0, count: f)
        for i in 0..<n { for j in 0..<f { sum[j] += Double(x.storage[i * f + j]) } }
        let mean = sum.map { $0 / Double(n) }
        var squares = [Double](repeating: 0, count: f)
        for i in 0..<n {
            for j in 0..<f {
                let d = Double(x.storage[i * f + j]) - mean[j]
                squares[j] += d * d
            }
        }
        let std = squares.map { Float(($0 / Double(n - 1)).squareRoot()) }
        // std[std == 0] = 1e-6
        return TorchStandardizer(mean: mean.map { Float($0) }, std: std.map { $0 == 0 ? 1e-6 : $0 })
    }

    public init(mean: [Float], std: [Float]) {
        precondition(mean.count == std.count, "mean and std differ in length")
        self.mean = mean; self.std = std
    }

    /// `(x − mean) / std` in float32, (N, F) → (N, F).
    public func transform(_ x: Matrix<Float>) -> Matrix<Float> {
        precondition(x.columns == mean.count, "fitted on \(mean.count) columns, got \(x.columns)")
        var out = x
        let f = x.columns
        for i in 0..<x.rows { for j in 0..<f { out.storage[i * f + j] = (x.storage[i * f + j] - mean[j]) / std[j] } }
        return out
    }
}
