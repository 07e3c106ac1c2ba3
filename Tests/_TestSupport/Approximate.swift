/// Largest absolute difference between two equally long sequences (reported by parity tests).
public func maxAbsDifference<A: Collection, B: Collection>(_ a: A, _ b: B) -> Double
where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    precondition(a.count == b.count, "Compared sequences differ in length: \(a.count) vs \(b.count)")
    var worst = 0.0
    for (x, y) in zip(a, b) { worst = max(worst, abs(Double(x) - Double(y))) }
    return worst
}

/// Largest relative difference `|a - b| / max(|b|, floor)`.
public func maxRelativeDifference<A: Collection, B: Collection>(_ a: A, _ b: B, floor: Double = 1e-6) -> Double
where A.Element: BinaryFloatingPoint, B.Element: BinaryFloatingPoint {
    precondition(a.count == b.count, "Compared sequences differ in length: \(a.count) vs \(b.count)")
    var worst = 0.0
    for (x, y) in zip(a, b) { worst = max(worst, abs(Double(x) - Double(y)) / max(abs(Double(y)), floor)) }
    return worst
}
