import Foundation

/// Adjusted Rand index between two labellings: 1 for identical partitions (up to renaming),
/// about 0 for independent ones, negative when worse than chance.
///
/// Port of `sklearn.metrics.adjusted_rand_score` (sklearn/metrics/cluster/_supervised.py): it
/// counts agreeing and disagreeing sample pairs from the contingency table (the pair confusion
/// matrix) in exact integer arithmetic, then `2 (tp·tn − fn·fp) / ((tp + fn)(fn + tn) + (tp + fp)(fp + tn))`.
/// Symmetric in its arguments.
public func adjustedRandIndex(_ truth: [Int], _ predicted: [Int]) -> Double {
    let table = ContingencyTable(truth: truth, predicted: predicted)
    let n = table.total
    let rowTotals = table.classTotals, columnTotals = table.clusterTotals
    let sumSquares = table.counts.reduce(0) { $0 + $1.reduce(0) { $0 + $1 * $1 } }
    // pair_confusion_matrix: C[1,1] = tp, C[0,1] = fp, C[1,0] = fn, C[0,0] = tn (ordered pairs).
    let tp = sumSquares - n
    var fp = -sumSquares, fn = -sumSquares
    for (r, row) in table.counts.enumerated() {
        for (c, count) in row.enumerated() where count != 0 {
            fp += count * columnTotals[c]
            fn += count * rowTotals[r]
        }
    }
    let tn = n * n - fp - fn - sumSquares
    if fn == 0 && fp == 0 { return 1 }
    // Python evaluates these in unbounded integers; the products fit in 128 bits for any n we see.
    let numerator = wideDifference(tp, tn, fn, fp)
    let denominator = wideSum(tp + fn, fn + tn, tp + fp, fp + tn)
    return 2.0 * numerator / denominator
}

/// `a·b − c·d` evaluated exactly in 128-bit integers, then rounded once to Double (as Python does).
private func wideDifference(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
    Double(Int128(a) * Int128(b) - Int128(c) * Int128(d))
}

/// `a·b + c·d` evaluated exactly, then rounded once to Double.
private func wideSum(_ a: Int, _ b: Int, _ c: Int, _ d: Int) -> Double {
    Double(Int128(a) * Int128(b) + Int128(c) * Int128(d))
}

/// Mutual information (in nats) between two labellings, from their contingency table.
///
/// Port of `sklearn.metrics.mutual_info_score`: `Σ (n_ij/N) (log n_ij − log N − log a_i − log b_j + 2 log N)`
/// over the non-zero cells, terms below machine epsilon set to 0, the sum clipped at 0.
public func mutualInformation(_ truth: [Int], _ predicted: [Int]) -> Double {
    mutualInformation(ContingencyTable(truth: truth, predicted: predicted))
}

func mutualInformation(_ table: ContingencyTable) -> Double {
    let rowTotals = table.classTotals, columnTotals = table.clusterTotals
    if rowTotals.count == 1 || columnTotals.count == 1 { return 0 }
    let total = Double(table.total)
    let logTotal = log(total)
    let logRowSum = log(Double(rowTotals.reduce(0, +))), logColumnSum = log(Double(columnTotals.reduce(0, +)))
    var terms: [Double] = []
    for (r, row) in table.counts.enumerated() {
        for (c, count) in row.enumerated() where count != 0 {
            let share = Double(count) / total
            let logOuter = -log(Double(rowTotals[r] * columnTotals[c])) + logRowSum + logColumnSum
            let term = share * (log(Double(count)) - logTotal) + share * logOuter
            terms.append(abs(term) < Double.ulpOfOne ? 0 : term)
        }
    }
    return max(0, pairwiseSum(terms))
}

/// Shannon entropy (nats) of a labelling, as sklearn's `entropy` in the same module.
public func labelEntropy(_ labels: [Int]) -> Double {
    var counts: [Int: Int] = [:]
    for l in labels { counts[l, default: 0] += 1 }
    let sizes = counts.keys.sorted().map { Double(counts[$0]!) }
    if sizes.count <= 1 { return 0 }
    let total = pairwiseSum(sizes), logTotal = log(total)
    return -pairwiseSum(sizes.map { ($0 / total) * (log($0) - logTotal) })
}

/// Normalised mutual information with the arithmetic mean of the entropies as normaliser,
/// scikit-learn's default (`normalized_mutual_info_score(average_method="arithmetic")`).
///
/// 1 for identical partitions, 0 for independent ones. Both labellings with a single class give 1,
/// as in scikit-learn.
public func normalizedMutualInformation(_ truth: [Int], _ predicted: [Int]) -> Double {
    let table = ContingencyTable(truth: truth, predicted: predicted)
    if (table.classes.count == 1 && table.clusters.count == 1) || (table.classes.isEmpty && table.clusters.isEmpty) {
        return 1
    }
    let mi = mutualInformation(table)
    if mi == 0 { return 0 }
    let normalizer = (labelEntropy(truth) + labelEntropy(predicted)) / 2
    return mi / normalizer
}

/// NumPy's pairwise summation (blocks of 8 unrolled, halves recursively above 128 values), so sums
/// round as `np.sum` does and the scores agree with scikit-learn to the last bits.
func pairwiseSum(_ values: [Double]) -> Double {
    values.withUnsafeBufferPointer { pairwiseSum($0) }
}

private func pairwiseSum(_ a: UnsafeBufferPointer<Double>) -> Double {
    let n = a.count
    if n < 8 {
        var s = 0.0
        for v in a { s += v }
        return s
    }
    if n <= 128 {
        var r = [Double](repeating: 0, count: 8)
        for k in 0..<8 { r[k] = a[k] }
        var i = 8
        while i < n - (n % 8) {
            for k in 0..<8 { r[k] += a[i + k] }
            i += 8
        }
        var s = ((r[0] + r[1]) + (r[2] + r[3])) + ((r[4] + r[5]) + (r[6] + r[7]))
        while i < n { s += a[i]; i += 1 }
        return s
    }
    var half = n / 2
    half -= half % 8
    return pairwiseSum(UnsafeBufferPointer(rebasing: a[0..<half])) + pairwiseSum(UnsafeBufferPointer(rebasing: a[half..<n]))
}
