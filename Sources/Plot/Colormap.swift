/// A continuous colour map: colours at evenly spaced stops in [0, 1], linearly interpolated.
///
/// The stops of `viridis` (65 samples) and `rdPu` (its 9 ColorBrewer stops) were taken from
/// matplotlib 3.11; interpolating them stays within 3/255 of matplotlib's 256-entry tables, which
/// `ColormapTests` checks against `Tests/Fixtures/plot/colormaps.json`
/// (made by `Tests/Fixtures/tools/plot_colormaps.py`).
public struct Colormap: Sendable, Equatable {
    public var name: String
    /// Colours at `t = i / (stops.count - 1)`.
    public var stops: [Color]

    public init(name: String, stops: [Color]) {
        precondition(stops.count >= 2, "a colormap needs at least two stops")
        self.name = name; self.stops = stops
    }

    init(name: String, hex: [String]) {
        self.init(name: name, stops: hex.map { Color(hex: $0)! })
    }

    /// The colour at `t` in [0, 1] (clamped; NaN gives the middle).
    public func color(at t: Double) -> Color {
        let t = t.isNaN ? 0.5 : min(max(t, 0), 1)
        let f = t * Double(stops.count - 1)
        let i = min(Int(f), stops.count - 2)
        let w = f - Double(i)
        let a = stops[i], b = stops[i + 1]
        return Color(red: a.red + (b.red - a.red) * w, green: a.green + (b.green - a.green) * w,
                     blue: a.blue + (b.blue - a.blue) * w, alpha: a.alpha + (b.alpha - a.alpha) * w)
    }

    /// The colour of `value` on a scale from `minimum` to `maximum`.
    public func color(_ value: Double, minimum: Double, maximum: Double) -> Color {
        let span = maximum - minimum
        return color(at: span > 0 ? (value - minimum) / span : 0.5)
    }

    /// `n` RGBA entries (straight alpha, 4 bytes each), for mapping many values fast.
    public func lookupTable(_ n: Int) -> [UInt8] {
        var out = [UInt8](repeating: 0, count: n * 4)
        for k in 0..<n {
            let c = color(at: Double(k) / Double(n - 1))
            out[k * 4] = byte(c.red); out[k * 4 + 1] = byte(c.green)
            out[k * 4 + 2] = byte(c.blue); out[k * 4 + 3] = byte(c.alpha)
        }
        return out
    }

    /// The same map run backwards.
    public var reversed: Colormap { Colormap(name: name + "_r", stops: stops.reversed()) }
}

@inline(__always) func byte(_ x: Double) -> UInt8 { UInt8((min(max(x, 0), 1) * 255).rounded()) }

extension Colormap {
    /// matplotlib's default perceptually uniform map.
    public static let viridis = Colormap(name: "viridis", hex: [
        "#440154", "#46075a", "#470d60", "#471365", "#48186a", "#481d6f", "#482374", "#482878",
        "#472d7b", "#46327e", "#453781", "#443b84", "#424086", "#404588", "#3e4989", "#3d4e8a",
        "#3b528b", "#39568c", "#375b8d", "#355f8d", "#33638d", "#31678e", "#2f6b8e", "#2e6f8e",
        "#2c728e", "#2a768e", "#297a8e", "#277e8e", "#26828e", "#25858e", "#23898e", "#228d8d",
        "#21918c", "#1f948c", "#1f988b", "#1e9c89", "#1fa088", "#20a386", "#22a785", "#25ab82",
        "#28ae80", "#2db27d", "#32b67a", "#38b977", "#3fbc73", "#46c06f", "#4ec36b", "#56c667",
        "#5ec962", "#67cc5c", "#70cf57", "#7ad151", "#84d44b", "#8ed645", "#98d83e", "#a2da37",
        "#addc30", "#b8de29", "#c2df23", "#cde11d", "#d8e219", "#e2e418", "#ece51b", "#f6e620",
        "#fde725",
    ])

    /// ColorBrewer RdPu (white-pink to deep purple), the study's confusion-matrix map.
    public static let rdPu = Colormap(name: "RdPu", hex: [
        "#fff7f3", "#fde0dd", "#fcc5c0", "#fa9fb5", "#f768a1", "#dd3497", "#ae017e", "#7a0177", "#49006a",
    ])

    /// Black to white.
    public static let greys = Colormap(name: "gray", hex: ["#000000", "#ffffff"])

    /// Diverging map for signed values centred on zero: blue (negative), white (0), red (positive),
    /// using SHAP's blue #008bfb and red #ff0051. Use with a symmetric range `-m...m`.
    public static let redWhiteBlue = Colormap(name: "shap_rwb", hex: ["#008bfb", "#ffffff", "#ff0051"])

    /// SHAP's `red_transparent_blue`: the hues of `redWhiteBlue` with alpha rising linearly from 0 at
    /// the centre to 1 at either end, so a faded grey copy of the image shows through where a pixel
    /// has no effect. Drawn over white it looks exactly like `redWhiteBlue`.
    public static let redTransparentBlue: Colormap = {
        let blue = Color(hex: "#008bfb")!, red = Color(hex: "#ff0051")!
        let n = 101
        return Colormap(name: "shap_rtb", stops: (0..<n).map { k in
            let t = Double(k) / Double(n - 1)
            return t < 0.5 ? blue.withAlpha((0.5 - t) * 2) : red.withAlpha((t - 0.5) * 2)
        })
    }()
}
