import Tensor

extension Matrix where Scalar == Float {
    /// The first `count` columns widened to float64, for the estimators that take `Matrix<Double>`.
    func leadingColumnsAsDouble(_ count: Int) -> Matrix<Double> {
        let k = Swift.min(count, columns)
        var out = Matrix<Double>(rows: rows, columns: k)
        for i in 0..<rows { for j in 0..<k { out.storage[i * k + j] = Double(storage[i * columns + j]) } }
        return out
    }
}
