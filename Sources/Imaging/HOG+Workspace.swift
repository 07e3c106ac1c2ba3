import Foundation

extension HOG {
    /// Reusable per-thread state of ``HOG``: lookup tables for the gradient pairs of 8-bit images
    /// and the histogram buffers. Make one per thread (it is not shared) and pass it to every call.
    ///
    /// Why tables: an 8-bit image has integer gradients `(g_row, g_col)` in [-255, 255]², so the
    /// orientation bin and the magnitude of each pixel can be looked up instead of calling
    /// `atan2` and `hypot` 129,600 times per image. The tables are filled with the same float64
    /// formulas as scikit-image (`hypot`, `rad2deg(arctan2(...)) % 180` with NumPy's floor-style
    /// modulo, bins by skimage's `>= start` / `< end` tests). NumPy's vectorised `arctan2` may
    /// differ from libm's by an ulp, but no integer gradient pair lies within 1e-4 degrees of a
    /// bin edge (checked when the fixtures were made), so the bins are the same.
    public struct Workspace {
        /// The orientation count the bin table was built for.
        let orientations: Int
        /// Bin of `(g_row, g_col)` at `(g_row + 255) * 511 + (g_col + 255)`; `orientations`
        /// means "no bin" (cannot happen for finite gradients, kept so the hot loop needs no branch).
        var binTable: [UInt8]
        /// `hypot(|g_row|, |g_col|)` at `|g_row| * 256 + |g_col|`.
        var magnitudeTable: [Double]
        /// Cell histograms `(cellRows, cellColumns, orientations)`, float64 holding float32 values.
        var histogram: [Double] = []
        /// One band of cell accumulators `(cellColumns, orientations + 1)` in Float32, as skimage.
        var accumulator: [Float] = []
        /// One block's values while it is normalised.
        var block: [Double] = []

        /// Builds the tables for `hog.orientations` bins (about 260,000 `atan2` calls, once).
        public init(for hog: HOG) {
            orientations = hog.orientations
            let n = hog.orientations
            let perBin = 180.0 / Double(n)
            let degreesPerRadian = 180.0 / Double.pi
            var bins = [UInt8](repeating: UInt8(n), count: 511 * 511)
            for gr in -255...255 {
                for gc in -255...255 {
                    // NumPy: np.rad2deg(np.arctan2(g_row, g_col)) % 180, % taking the divisor's sign.
                    var angle = fmod(atan2(Double(gr), Double(gc)) * degreesPerRadian, 180)
                    if angle < 0 { angle += 180 } else if angle == 0 { angle = 0 }  // -0 becomes +0
                    for i in 0..<n where angle < perBin * Double(i + 1) && angle >= perBin * Double(i) {
                        bins[(gr + 255) * 511 + gc + 255] = UInt8(i)
                        break
                    }
                }
            }
            binTable = bins
            var magnitudes = [Double](repeating: 0, count: 256 * 256)
            for a in 0...255 { for b in 0...255 { magnitudes[a * 256 + b] = hypot(Double(a), Double(b)) } }
            magnitudeTable = magnitudes
        }

        /// Sizes the buffers for a grid (allocates only when the grid grows).
        mutating func prepare(for g: Geometry, orientations n: Int) {
            precondition(n == orientations, "This HOG.Workspace was made for \(orientations) orientations, not \(n)")
            let histogramCount = g.cellRows * g.cellColumns * n
            if histogram.count < histogramCount { histogram = [Double](repeating: 0, count: histogramCount) }
            let bandCount = g.cellColumns * (n + 1)
            if accumulator.count < bandCount { accumulator = [Float](repeating: 0, count: bandCount) }
            if block.count < g.blockLength { block = [Double](repeating: 0, count: g.blockLength) }
        }
    }
}
