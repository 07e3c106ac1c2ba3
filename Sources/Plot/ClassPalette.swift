/// Discrete colours: qualitative palettes and a fixed colour per named class.
public enum Palette {
    /// matplotlib's `tab10`.
    public static let tab10: [Color] = ["#1f77b4", "#ff7f0e", "#2ca02c", "#d62728", "#9467bd",
                                        "#8c564b", "#e377c2", "#7f7f7f", "#bcbd22", "#17becf"].map { Color(hex: $0)! }
    /// Plotly's default qualitative sequence (the study's ROC colours).
    public static let plotly: [Color] = ["#636EFA", "#EF553B", "#00CC96", "#AB63FA", "#FFA15A",
                                         "#19D3F3", "#FF6692", "#B6E880", "#FF97FF", "#FECB52"].map { Color(hex: $0)! }
    /// The study's `color_map` sequence for the split bar charts.
    public static let splits: [Color] = ["#003f5c", "#2f4b7c", "#665191", "#a05195", "#d45087",
                                         "#f95d6a", "#ff7c43", "#ffa600"].map { Color(hex: $0)! }
}

/// A colour for every class name, the same in every figure of a report.
///
/// Known names take their fixed colour (the study's `color_map2` by default); any other name takes
/// the next colour of `fallback` in order of first request, so a figure's legend stays stable.
public struct ClassPalette: Sendable, Equatable {
    /// Fixed colours by lower-cased class name.
    public var fixed: [String: Color]
    /// Colours for names not in `fixed`, cycled.
    public var fallback: [Color]
    /// Names that were given fallback colours, in order.
    public private(set) var assigned: [String] = []

    public init(fixed: [String: Color], fallback: [Color] = Palette.tab10) {
        self.fixed = Dictionary(uniqueKeysWithValues: fixed.map { ($0.key.lowercased(), $0.value) })
        self.fallback = fallback
    }

    /// The colour of `name`, assigning a fallback colour on first use of an unknown name.
    public mutating func color(for name: String) -> Color {
        if let c = fixed[name.lowercased()] { return c }
        if let i = assigned.firstIndex(of: name) { return fallback[i % fallback.count] }
        assigned.append(name)
        return fallback[(assigned.count - 1) % fallback.count]
    }

    /// Colours for `names` in order (unknown names take fallback colours in the order given).
    public func colors(for names: [String]) -> [Color] {
        var copy = self
        return names.map { copy.color(for: $0) }
    }
}
