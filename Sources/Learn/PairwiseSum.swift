/// The sum of `values` in the order numpy's `add.reduce` takes for a contiguous float64 array
/// (pairwise summation: blocks of at most 128 summed with eight interleaved accumulators, larger
/// arrays split in halves at a multiple of 8), so that a metric ported from scikit-learn gives the
/// same last bit rather than a sum a few ulps away.
///
/// Port of `pairwise_sum` in numpy/_core/src/umath/loops_utils.h.src.
func numpySum(_ values: ArraySlice<Double>) -> Double {
    let n = values.count, base = values.startIndex
    if n < 8 {
        // numpy starts from -0.0 so that a sum of negative zeros stays -0.0.
        var sum = -0.0
        for v in values { sum += v }
        return sum
    }
    if n <= 128 {
        var r = (0..<8).map { values[base + $0] }
        var i = 8
        while i < n - (n % 8) {
            for k in 0..<8 { r[k] += values[base + i + k] }
            i += 8
        }
        var sum = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n { sum += values[base + i]; i += 1 }
        return sum
    }
    var half = n / 2
    half -= half % 8
    return numpySum(values[base..<(base + half)]) + numpySum(values[(base + half)...])
}

func numpySum(_ values: [Double]) -> Double { numpySum(values[...]) }

/// `numpy.mean` of a float64 vector (NaN when empty).
func numpyMean(_ values: [Double]) -> Double {
    values.isEmpty ? .nan : numpySum(values) / Double(values.count)
}
