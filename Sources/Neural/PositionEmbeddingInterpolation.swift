import Tensor

/// Resizes a ViT position-embedding table to another patch grid, so a model pretrained at 224×224
/// can run on other image sizes.
///
/// The class-token row is kept; the `g×g` patch rows are treated as a `D`-channel image and resized
/// with bicubic interpolation (PyTorch's `F.interpolate(mode="bicubic")`, cubic coefficient
/// `A = -0.75`, edge-clamped taps). torchvision's `interpolate_embeddings` uses
/// `align_corners=True`; Hugging Face's `ViTEmbeddings.interpolate_pos_encoding` uses
/// `align_corners=False`: pass the convention of the checkpoint's source. Resizing happens once, at
/// load time (as torchvision does), not inside the forward pass.
public enum PositionEmbeddingInterpolation {
    /// `table` `(1, 1 + g·g, D)` → `(1, 1 + h·w, D)`.
    public static func resize(_ table: Tensor, toGrid h: Int, _ w: Int, alignCorners: Bool) -> Tensor {
        precondition(table.rank == 3 && table.shape[0] == 1, "Position table must be (1, 1+g*g, D), got \(table.shape)")
        let d = table.shape[2], old = table.shape[1] - 1
        let g = Int(Double(old).squareRoot().rounded())
        precondition(g * g == old, "Position table has \(old) patch rows, not a square grid")
        if g == h && g == w { return table }
        let rowsY = taps(from: g, to: h, alignCorners: alignCorners)
        let colsX = taps(from: g, to: w, alignCorners: alignCorners)
        var out = [Float](repeating: 0, count: (1 + h * w) * d)
        for c in 0..<d { out[c] = table.data[c] }
        for oy in 0..<h {
            for ox in 0..<w {
                for c in 0..<d {
                    var acc = 0.0
                    for (iy, wy) in rowsY[oy] {
                        for (ix, wx) in colsX[ox] {
                            acc += wy * wx * Double(table.data[(1 + iy * g + ix) * d + c])
                        }
                    }
                    out[(1 + oy * w + ox) * d + c] = Float(acc)
                }
            }
        }
        return Tensor(shape: [1, 1 + h * w, d], data: out)
    }

    /// For every output index, the four (input index, weight) taps of PyTorch's bicubic kernel.
    static func taps(from input: Int, to output: Int, alignCorners: Bool) -> [[(Int, Double)]] {
        let a = -0.75
        func near(_ x: Double) -> Double { ((a + 2) * x - (a + 3)) * x * x + 1 }          // |x| ≤ 1
        func far(_ x: Double) -> Double { ((a * x - 5 * a) * x + 8 * a) * x - 4 * a }     // 1 < |x| < 2
        return (0..<output).map { o in
            let source: Double
            if alignCorners {
                source = output > 1 ? Double(o) * Double(input - 1) / Double(output - 1) : 0
            } else {
                // Half-pixel centres; PyTorch does not clamp negative positions for cubic modes.
                source = (Double(o) + 0.5) * Double(input) / Double(output) - 0.5
            }
            let base = Int(source.rounded(.down))
            let t = source - Double(base)
            let weights = [far(t + 1), near(t), near(1 - t), far(2 - t)]
            return (0..<4).map { k in (min(max(base - 1 + k, 0), input - 1), weights[k]) }
        }
    }
}
