import Tensor

/// Float64, mean-centred copies of slices of a (possibly Float32) data matrix, the pieces PCA
/// hands to BLAS: the data stays in its compact type and only one block at a time is widened.
/// The loops are specialised for Float and Double (`@_specialize`), so they stay fast when the
/// generic public API is called from another module.
enum CenteredBlocks {
    /// Per-column means of `x` in float64, parallel over column ranges, shape `(columns,)`.
    @_specialize(where Scalar == Float)
    @_specialize(where Scalar == Double)
    static func columnMeans<Scalar: BLASScalar>(_ x: Matrix<Scalar>) -> [Double] {
        let n = x.rows, d = x.columns
        var mean = [Double](repeating: 0, count: d)
        x.storage.withUnsafeBufferPointer { data in
            mean.withUnsafeMutableBufferPointer { out in
                Parallel.forEachChunk(d, minimumChunk: 64) { columns in
                    for i in 0..<n {
                        let row = i * d
                        for j in columns { out[j] += Double(data[row + j]) }
                    }
                    for j in columns { out[j] /= Double(n) }
                }
            }
        }
        return mean
    }

    /// Writes columns `columns` of `x - mean` into `block` as a row-major `(x.rows, columns.count)`
    /// matrix of `Output` (float64 for the exact path, float32 for the Gram matrix of the fast one).
    @_specialize(where Scalar == Float, Output == Double)
    @_specialize(where Scalar == Double, Output == Double)
    @_specialize(where Scalar == Float, Output == Float)
    @_specialize(where Scalar == Double, Output == Float)
    static func fillColumns<Scalar: BLASScalar, Output: BinaryFloatingPoint>(_ x: Matrix<Scalar>, mean: [Double], columns: Range<Int>,
                                                                            into block: UnsafeMutableBufferPointer<Output>) {
        let d = x.columns, width = columns.count, lo = columns.lowerBound
        precondition(block.count >= x.rows * width)
        x.storage.withUnsafeBufferPointer { data in
            mean.withUnsafeBufferPointer { m in
                Parallel.forEachChunk(x.rows, minimumChunk: 256) { rows in
                    for i in rows {
                        let src = i * d + lo, dst = i * width
                        for j in 0..<width { block[dst + j] = Output(Double(data[src + j]) - m[lo + j]) }
                    }
                }
            }
        }
    }

    /// Writes rows `rows` of `x - mean` into `block` as a row-major `(rows.count, x.columns)` matrix of `Output`.
    @_specialize(where Scalar == Float, Output == Double)
    @_specialize(where Scalar == Double, Output == Double)
    @_specialize(where Scalar == Float, Output == Float)
    @_specialize(where Scalar == Double, Output == Float)
    static func fillRows<Scalar: BLASScalar, Output: BinaryFloatingPoint>(_ x: Matrix<Scalar>, mean: [Double], rows: Range<Int>,
                                                                         into block: UnsafeMutableBufferPointer<Output>) {
        let d = x.columns, lo = rows.lowerBound
        precondition(block.count >= rows.count * d)
        x.storage.withUnsafeBufferPointer { data in
            mean.withUnsafeBufferPointer { m in
                Parallel.forEachChunk(rows.count, minimumChunk: 16) { chunk in
                    for r in chunk {
                        let src = (lo + r) * d, dst = r * d
                        for j in 0..<d { block[dst + j] = Output(Double(data[src + j]) - m[j]) }
                    }
                }
            }
        }
    }
}
