import Foundation

/// How tick values are written.
public enum TickFormat: Sendable, Equatable {
    /// Plain decimals with as many digits as the step needs; scientific (`1.5e6`) for very large
    /// or very small magnitudes.
    case automatic
    /// Fractions as percent: 0.25 → "25%", with at least `decimals` digits after the point (more
    /// when a tick such as 0.125 needs them).
    case percent(decimals: Int)
    /// Always scientific notation: 1500 → "1.5e3".
    case scientific
    /// Rounded integers with thousands separators: 12000 → "12,000".
    case integer
}

/// "Nice" tick positions (1, 2, 2.5, 5 × 10ᵏ steps) in the spirit of matplotlib's MaxNLocator.
public enum Ticks {
    /// Ticks at a nice step splitting `lower...upper` into at most `target` intervals (so at most
    /// `target + 1` ticks), all inside the range.
    public static func nice(_ lower: Double, _ upper: Double, target: Int = 6) -> [Double] {
        guard lower.isFinite, upper.isFinite else { return [] }
        if lower == upper { return [lower] }
        let (lo, hi) = lower < upper ? (lower, upper) : (upper, lower)
        let step = niceStep((hi - lo) / Double(max(1, target)))
        let first = (lo / step).rounded(.up), last = (hi / step).rounded(.down)
        guard last >= first, last - first < 10_000 else { return [lo, hi] }
        return stride(from: first, through: last, by: 1).map { k in
            let v = k * step
            return abs(v) < step * 1e-9 ? 0 : v
        }
    }

    /// The smallest of 1, 2, 2.5, 5, 10 × 10ᵏ that is at least `raw`.
    public static func niceStep(_ raw: Double) -> Double {
        guard raw > 0, raw.isFinite else { return 1 }
        let magnitude = pow(10, floor(log10(raw)))
        for m in [1.0, 2, 2.5, 5, 10] where m * magnitude >= raw * (1 - 1e-9) { return m * magnitude }
        return 10 * magnitude
    }

    /// Labels for `values` in `format`; all labels share one number of decimals.
    public static func labels(_ values: [Double], format: TickFormat) -> [String] {
        guard !values.isEmpty else { return [] }
        let step = values.count > 1 ? zip(values.dropFirst(), values).map { abs($0 - $1) }.min()! : abs(values[0])
        switch format {
        case .percent(let decimals):
            // More digits when the requested ones would round a tick (12.5% must not read "12%").
            var d = decimals
            while d < 4 && values.contains(where: { v in
                let s = String(format: "%.\(d)f", v * 100)
                return abs((Double(s) ?? 0) - v * 100) > 1e-6
            }) { d += 1 }
            return values.map { String(format: "%.\(d)f%%", $0 * 100) }
        case .scientific:
            return values.map { scientific($0) }
        case .integer:
            return values.map { grouped(Int($0.rounded())) }
        case .automatic:
            let largest = values.map { abs($0) }.max()!
            if largest >= 1e6 || (largest > 0 && largest < 1e-3) { return values.map { scientific($0) } }
            let decimals = step > 0 ? max(0, min(6, Int(ceil(-log10(step) - 1e-9)))) : 0
            // 2.5-type steps need one more digit than their magnitude suggests.
            let needed = values.contains { v in
                let s = String(format: "%.\(decimals)f", v)
                return abs((Double(s) ?? v) - v) > step * 1e-6
            } ? decimals + 1 : decimals
            return values.map { v in
                let s = String(format: "%.\(needed)f", v)
                return s.hasPrefix("-") && Double(s) == 0 ? String(s.dropFirst()) : s.replacingOccurrences(of: "-", with: "\u{2212}")
            }
        }
    }

    /// `1.5e3`, `−2e-4`, `0`.
    static func scientific(_ v: Double) -> String {
        guard v != 0 else { return "0" }
        let exponent = Int(floor(log10(abs(v))))
        var mantissa = v / pow(10, Double(exponent))
        if abs(mantissa) >= 9.9995 { mantissa /= 10; return scientificText(mantissa, exponent + 1) }
        return scientificText(mantissa, exponent)
    }

    private static func scientificText(_ mantissa: Double, _ exponent: Int) -> String {
        var m = String(format: "%.3g", mantissa)
        if m.hasPrefix("-") { m = "\u{2212}" + m.dropFirst() }
        return "\(m)e\(exponent)"
    }

    /// 12000 → "12,000".
    static func grouped(_ n: Int) -> String {
        let digits = String(abs(n))
        var out = ""
        for (i, ch) in digits.enumerated() {
            if i > 0 && (digits.count - i) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return (n < 0 ? "\u{2212}" : "") + out
    }
}
