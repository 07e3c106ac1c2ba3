extension HOG {
    /// Fills `workspace.histogram` `(cellRows, cellColumns, orientations)` with skimage's cell
    /// histograms (`hog_histograms` / `cell_hog` in _hoghistogram.pyx).
    ///
    /// skimage loops bin by bin and, inside a cell, row by row; adding each pixel's magnitude to its
    /// own bin while walking the cell row by row performs, per bin, the same additions in the same
    /// order, so the Float32 sums match bit for bit. Each addition is `Float(Double(total) + m)`,
    /// which is what C does for `float total; total += double_value`.
    func computeCellHistograms(of image: Image, geometry g: Geometry, workspace: inout Workspace) {
        precondition(image.channels == 1, "HOG takes a grey image (1 channel), got \(image.channels) channels; convert it first")
        let n = orientations
        workspace.prepare(for: g, orientations: n)
        let width = image.width, height = image.height
        let cellHeight = pixelsPerCell.rows, cellWidth = pixelsPerCell.columns
        let stride = n + 1  // the extra slot takes "no bin" votes
        let cellArea = Float(cellHeight * cellWidth)
        image.pixels.withUnsafeBufferPointer { px in
            workspace.binTable.withUnsafeBufferPointer { bins in
            workspace.magnitudeTable.withUnsafeBufferPointer { magnitudes in
            workspace.accumulator.withUnsafeMutableBufferPointer { acc in
            workspace.histogram.withUnsafeMutableBufferPointer { hist in
                for cellRow in 0..<g.cellRows {
                    for k in 0..<(g.cellColumns * stride) { acc[k] = 0 }
                    for y in (cellRow * cellHeight)..<((cellRow + 1) * cellHeight) {
                        let rowInterior = y > 0 && y < height - 1
                        let up = rowInterior ? (y - 1) * width : 0
                        let down = rowInterior ? (y + 1) * width : 0
                        let here = y * width
                        for cellColumn in 0..<g.cellColumns {
                            let base = cellColumn * stride
                            for x in (cellColumn * cellWidth)..<((cellColumn + 1) * cellWidth) {
                                // skimage: g_row = I[y+1] - I[y-1], zero on the first/last row;
                                // g_col likewise along x.
                                let gr = rowInterior ? Int(px[down + x]) - Int(px[up + x]) : 0
                                let gc = (x > 0 && x < width - 1) ? Int(px[here + x + 1]) - Int(px[here + x - 1]) : 0
                                let bin = Int(bins[(gr + 255) * 511 + gc + 255])
                                let magnitude = magnitudes[abs(gr) * 256 + abs(gc)]
                                acc[base + bin] = Float(Double(acc[base + bin]) + magnitude)
                            }
                        }
                    }
                    // cell_hog returns `total / (cell_rows * cell_columns)` in float32.
                    for cellColumn in 0..<g.cellColumns {
                        let out = (cellRow * g.cellColumns + cellColumn) * n
                        for o in 0..<n { hist[out + o] = Double(acc[cellColumn * stride + o] / cellArea) }
                    }
                }
            }
            }
            }
            }
        }
    }

    /// Normalises every block of `workspace.histogram` into `output`, skimage's
    /// `_hog_normalize_block` (float64, eps = 1e-5), flattened as (block row, block column,
    /// cell row in block, cell column in block, orientation).
    func normalizeBlocks(geometry g: Geometry, workspace: inout Workspace, into output: UnsafeMutableBufferPointer<Float>) {
        let n = orientations
        let eps = 1e-5
        let blockCellRows = cellsPerBlock.rows, blockCellColumns = cellsPerBlock.columns
        let length = g.blockLength
        let norm = blockNorm
        workspace.histogram.withUnsafeBufferPointer { hist in
        workspace.block.withUnsafeMutableBufferPointer { block in
            for blockRow in 0..<g.blockRows {
                for blockColumn in 0..<g.blockColumns {
                    var k = 0
                    for r in blockRow..<(blockRow + blockCellRows) {
                        for c in blockColumn..<(blockColumn + blockCellColumns) {
                            let cell = (r * g.cellColumns + c) * n
                            for o in 0..<n { block[k] = hist[cell + o]; k += 1 }
                        }
                    }
                    switch norm {
                    case .l1, .l1Sqrt:
                        var sum = 0.0
                        for i in 0..<length { sum += abs(block[i]) }
                        let denominator = sum + eps
                        for i in 0..<length {
                            let v = block[i] / denominator
                            block[i] = norm == .l1 ? v : v.squareRoot()
                        }
                    case .l2, .l2Hys:
                        var sum = 0.0
                        for i in 0..<length { sum += block[i] * block[i] }
                        var scale = (sum + eps * eps).squareRoot()
                        for i in 0..<length { block[i] /= scale }
                        if norm == .l2Hys {
                            sum = 0
                            for i in 0..<length {
                                block[i] = min(block[i], 0.2)
                                sum += block[i] * block[i]
                            }
                            scale = (sum + eps * eps).squareRoot()
                            for i in 0..<length { block[i] /= scale }
                        }
                    }
                    let start = (blockRow * g.blockColumns + blockColumn) * length
                    for i in 0..<length { output[start + i] = Float(block[i]) }
                }
            }
        }
        }
    }
}
