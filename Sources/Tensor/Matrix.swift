/// A dense row-major matrix of `Float` or `Double`, the currency of the classical estimators
/// (features `(n_samples, n_features)`, components, distances).
///
/// Storage is one contiguous array so it can be handed to BLAS and LAPACK without copying.
public struct Matrix<Scalar: BLASScalar>: Sendable, Equatable {
    /// Number of rows (samples).
    public let rows: Int
    /// Number of columns (features).
    public let columns: Int
    /// Row-major values, `rows * columns` long: element `(i, j)` is `storage[i * columns + j]`.
    public var storage: [Scalar]

    public init(rows: Int, columns: Int, repeating value: Scalar = 0) {
        precondition(rows >= 0 && columns >= 0, "Matrix dimensions must be non-negative")
        self.rows = rows
        self.columns = columns
        self.storage = [Scalar](repeating: value, count: rows * columns)
    }

    public init(rows: Int, columns: Int, storage: [Scalar]) {
        precondition(storage.count == rows * columns,
                     "Matrix storage has \(storage.count) values, expected \(rows) x \(columns)")
        self.rows = rows
        self.columns = columns
        self.storage = storage
    }

    /// Builds a matrix from equally long rows.
    public init(_ rowArrays: [[Scalar]]) {
        let c = rowArrays.first?.count ?? 0
        precondition(rowArrays.allSatisfy { $0.count == c }, "All rows must have the same length")
        self.init(rows: rowArrays.count, columns: c, storage: rowArrays.flatMap { $0 })
    }

    @inlinable public subscript(row: Int, column: Int) -> Scalar {
        get { storage[row * columns + column] }
        set { storage[row * columns + column] = newValue }
    }

    /// A copy of one row.
    public func row(_ i: Int) -> [Scalar] { Array(storage[(i * columns)..<((i + 1) * columns)]) }

    /// The rows at `indices`, in that order.
    public func rows(_ indices: [Int]) -> Matrix {
        var out = Matrix(rows: indices.count, columns: columns)
        out.storage.withUnsafeMutableBufferPointer { dst in
            storage.withUnsafeBufferPointer { src in
                for (k, i) in indices.enumerated() {
                    for j in 0..<columns { dst[k * columns + j] = src[i * columns + j] }
                }
            }
        }
        return out
    }

    /// The first `count` columns.
    public func leadingColumns(_ count: Int) -> Matrix {
        precondition(count <= columns)
        var out = Matrix(rows: rows, columns: count)
        for i in 0..<rows {
            for j in 0..<count { out.storage[i * count + j] = storage[i * columns + j] }
        }
        return out
    }

    /// The transpose `(columns, rows)`.
    public var transposed: Matrix {
        var out = Matrix(rows: columns, columns: rows)
        for i in 0..<rows { for j in 0..<columns { out.storage[j * rows + i] = storage[i * columns + j] } }
        return out
    }
}
