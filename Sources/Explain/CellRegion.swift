/// Where an explanation's positive attribution lies: inside the stained nucleus or outside it.
///
/// The nucleus region is a simple threshold: May–Grünwald–Giemsa stains nuclei dark purple, so
/// their green channel is far below the pale background's; pixels whose green value is at most
/// Otsu's threshold of the image's green histogram form the region.
public enum CellRegion {
    /// Nucleus mask of an 8-bit (H, W, 3) RGB image, H·W booleans.
    public static func nucleusMask(rgb: [UInt8], height: Int, width: Int) -> [Bool] {
        let green = (0..<(height * width)).map { rgb[$0 * 3 + 1] }
        let threshold = otsuThreshold(green)
        return green.map { $0 <= threshold }
    }

    /// Otsu's threshold of 8-bit values: the level maximising the between-class variance of
    /// {v ≤ t} and {v > t}.
    public static func otsuThreshold(_ values: [UInt8]) -> UInt8 {
        var histogram = [Double](repeating: 0, count: 256)
        for v in values { histogram[Int(v)] += 1 }
        let total = Double(values.count)
        let sumAll = (0..<256).reduce(0.0) { $0 + Double($1) * histogram[$1] }
        var weightBelow = 0.0, sumBelow = 0.0, best = -1.0, level = 0
        for t in 0..<256 {
            weightBelow += histogram[t]; sumBelow += Double(t) * histogram[t]
            let weightAbove = total - weightBelow
            guard weightBelow > 0 && weightAbove > 0 else { continue }
            let meanBelow = sumBelow / weightBelow, meanAbove = (sumAll - sumBelow) / weightAbove
            let between = weightBelow * weightAbove * (meanBelow - meanAbove) * (meanBelow - meanAbove)
            if between > best { best = between; level = t }
        }
        return UInt8(level)
    }

    /// Share of the positive attribution of `map` (H·W values) that falls in `region`, and the
    /// region's share of the area; nil share when the map has no positive value.
    public static func positiveShare(_ map: [Double], in region: [Bool]) -> (inside: Double?, area: Double) {
        precondition(map.count == region.count, "map and region differ in size")
        var inside = 0.0, total = 0.0
        for (v, r) in zip(map, region) where v > 0 { total += v; if r { inside += v } }
        let area = Double(region.filter { $0 }.count) / Double(max(region.count, 1))
        return (total > 0 ? inside / total : nil, area)
    }
}
