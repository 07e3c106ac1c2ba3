import Foundation

extension HOG {
    /// skimage's `hog(..., visualize=True)` picture: `(height, width)` float64, row-major.
    ///
    /// For each cell and orientation bin a line of radius `min(pixelsPerCell) / 2 - 1` is drawn
    /// through the cell centre, perpendicular to the bin's middle angle, adding the cell's
    /// (unnormalised) histogram value to the pixels of the line (`skimage.draw.line`, Bresenham).
    /// Values are histogram magnitudes (mean gradient per pixel), so the study shows it through
    /// ``rescaledForDisplay(_:inRange:)`` with the range (0, 10).
    public func visualization(of image: Image) -> [Double] {
        var workspace = Workspace(for: self)
        return visualization(of: image, workspace: &workspace)
    }

    /// ``visualization(of:)`` reusing a workspace.
    public func visualization(of image: Image, workspace: inout Workspace) -> [Double] {
        let g = requireGeometry(width: image.width, height: image.height)
        computeCellHistograms(of: image, geometry: g, workspace: &workspace)
        let n = orientations
        let cellHeight = pixelsPerCell.rows, cellWidth = pixelsPerCell.columns
        let radius = Double(min(cellHeight, cellWidth) / 2 - 1)
        // skimage: midpoints = pi * (o + 0.5) / orientations; dr = r sin, dc = r cos.
        let offsets = (0..<n).map { o -> (dr: Double, dc: Double) in
            let midpoint = Double.pi * (Double(o) + 0.5) / Double(n)
            return (radius * sin(midpoint), radius * cos(midpoint))
        }
        var picture = [Double](repeating: 0, count: image.width * image.height)
        let width = image.width
        workspace.histogram.withUnsafeBufferPointer { hist in
            for r in 0..<g.cellRows {
                for c in 0..<g.cellColumns {
                    let centreRow = Double(r * cellHeight + cellHeight / 2)
                    let centreColumn = Double(c * cellWidth + cellWidth / 2)
                    for o in 0..<n {
                        let value = hist[(r * g.cellColumns + c) * n + o]
                        let (dr, dc) = offsets[o]
                        // Python's int() truncates toward zero, as Swift's Int(_:) does.
                        Self.drawLine(r0: Int(centreRow - dc), c0: Int(centreColumn + dr),
                                      r1: Int(centreRow + dc), c1: Int(centreColumn - dr)) { y, x in
                            picture[y * width + x] += value
                        }
                    }
                }
            }
        }
        return picture
    }

    /// `exposure.rescale_intensity(picture, in_range=inRange)` for a float image: clip to the
    /// range, then map it linearly onto [0, 1] (the study uses (0, 10)).
    public static func rescaledForDisplay(_ picture: [Double], inRange: (low: Double, high: Double) = (0, 10)) -> [Double] {
        precondition(inRange.high > inRange.low, "rescale range must be increasing, got \(inRange)")
        let span = inRange.high - inRange.low
        return picture.map { (min(max($0, inRange.low), inRange.high) - inRange.low) / span }
    }

    /// The pixels of `skimage.draw.line((r0, c0), (r1, c1))` (integer Bresenham, both ends
    /// included), visited once each.
    static func drawLine(r0: Int, c0: Int, r1: Int, c1: Int, _ visit: (Int, Int) -> Void) {
        var r = r0, c = c0
        var dr = abs(r1 - r0), dc = abs(c1 - c0)
        var sc = (c1 - c) > 0 ? 1 : -1
        var sr = (r1 - r) > 0 ? 1 : -1
        let steep = dr > dc
        if steep {
            swap(&c, &r); swap(&dc, &dr); swap(&sc, &sr)
        }
        var d = 2 * dr - dc
        for _ in 0..<dc {
            if steep { visit(c, r) } else { visit(r, c) }
            while d >= 0 {
                r += sr
                d -= 2 * dc
            }
            c += sc
            d += 2 * dr
        }
        visit(r1, c1)
    }
}
