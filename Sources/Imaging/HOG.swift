/// Histogram of Oriented Gradients of a grey image, identical to `skimage.feature.hog`.
///
/// Port of skimage/feature/_hog.py and _hoghistogram.pyx (scikit-image 0.26), same semantics:
/// 1. Gradients of the image as float64, skimage's way: `g_row[y] = I[y+1] - I[y-1]` (no 1/2
///    factor) and zero on the first and last row; likewise `g_col` along columns.
/// 2. Per pixel, magnitude `hypot(g_row, g_col)` and orientation
///    `rad2deg(arctan2(g_row, g_col)) % 180`; bin `i` takes orientations in
///    `[180/n * i, 180/n * (i + 1))`.
/// 3. Per cell, the magnitudes of each bin summed in a **Float32** accumulator (skimage's
///    `cell_hog` declares `cnp.float32_t total`) and divided by the cell's pixel count.
///    Only whole cells count: pixels beyond `(height / cellRows) * cellRows` are ignored.
/// 4. Blocks of `cellsPerBlock` cells, sliding by one cell, normalised (`blockNorm`, eps = 1e-5)
///    and flattened in the order (block row, block column, cell row, cell column, orientation).
///
/// Parameters (skimage's names and defaults): `orientations` 9, `pixelsPerCell` (8, 8) as
/// (rows, columns), `cellsPerBlock` (3, 3), `blockNorm` L2-Hys. The study uses
/// ``HOG/study``: 9, (10, 10), (2, 2), L2-Hys, which gives 44,100 values for a 360x360 image.
///
/// The input is an 8-bit grey ``Image``, so gradients are integers in [-255, 255]; bins and
/// magnitudes come from tables indexed by the gradient pair (see ``HOG/Workspace``), which makes a
/// 360x360 image cost well under a millisecond. Values agree with scikit-image to float32 rounding
/// (the fixtures in Tests/Fixtures/hog check 1e-5).
///
///     let hog = HOG.study
///     var workspace = HOG.Workspace(for: hog)
///     let features = hog.features(of: grey, workspace: &workspace)   // 44,100 Floats
public struct HOG: Sendable {
    /// How each block of cell histograms is normalised (skimage's `block_norm`), eps = 1e-5.
    public enum BlockNorm: String, Sendable, CaseIterable {
        /// `v / (sum|v| + eps)`.
        case l1 = "L1"
        /// `sqrt(v / (sum|v| + eps))`.
        case l1Sqrt = "L1-sqrt"
        /// `v / sqrt(sum v² + eps²)`.
        case l2 = "L2"
        /// L2, then clip at 0.2, then L2 again (Lowe's hysteresis).
        case l2Hys = "L2-Hys"
    }

    /// Number of orientation bins over [0, 180) degrees. Default 9.
    public var orientations: Int
    /// Cell size in pixels as (rows, columns). Default (8, 8).
    public var pixelsPerCell: (rows: Int, columns: Int)
    /// Block size in cells as (rows, columns). Default (3, 3).
    public var cellsPerBlock: (rows: Int, columns: Int)
    /// Block normalisation. Default L2-Hys.
    public var blockNorm: BlockNorm

    public init(orientations: Int = 9, pixelsPerCell: (rows: Int, columns: Int) = (8, 8),
                cellsPerBlock: (rows: Int, columns: Int) = (3, 3), blockNorm: BlockNorm = .l2Hys) {
        precondition(orientations > 0 && orientations < 255, "HOG needs 1...254 orientation bins, got \(orientations)")
        precondition(pixelsPerCell.rows > 0 && pixelsPerCell.columns > 0, "HOG cells must be at least 1x1 pixel")
        precondition(cellsPerBlock.rows > 0 && cellsPerBlock.columns > 0, "HOG blocks must be at least 1x1 cell")
        self.orientations = orientations
        self.pixelsPerCell = pixelsPerCell
        self.cellsPerBlock = cellsPerBlock
        self.blockNorm = blockNorm
    }

    /// The study's parameters: 9 orientations, 10x10-pixel cells, 2x2-cell blocks, L2-Hys.
    public static let study = HOG(orientations: 9, pixelsPerCell: (10, 10), cellsPerBlock: (2, 2), blockNorm: .l2Hys)

    /// The cell and block grid of a `width` x `height` image.
    public struct Geometry: Sendable, Equatable {
        public let cellRows: Int, cellColumns: Int
        public let blockRows: Int, blockColumns: Int
        /// Values per block: `cellsPerBlock.rows * cellsPerBlock.columns * orientations`.
        public let blockLength: Int
        public var featureLength: Int { blockRows * blockColumns * blockLength }
    }

    /// The grid for an image of this size; nil when the image is smaller than one block.
    public func geometry(width: Int, height: Int) -> Geometry? {
        let cellRows = height / pixelsPerCell.rows, cellColumns = width / pixelsPerCell.columns
        let blockRows = cellRows - cellsPerBlock.rows + 1, blockColumns = cellColumns - cellsPerBlock.columns + 1
        guard blockRows > 0, blockColumns > 0 else { return nil }
        return Geometry(cellRows: cellRows, cellColumns: cellColumns, blockRows: blockRows,
                        blockColumns: blockColumns,
                        blockLength: cellsPerBlock.rows * cellsPerBlock.columns * orientations)
    }

    /// Length of the feature vector of a `width` x `height` image (44,100 for the study at 360x360).
    public func featureLength(width: Int, height: Int) -> Int {
        requireGeometry(width: width, height: height).featureLength
    }

    func requireGeometry(width: Int, height: Int) -> Geometry {
        guard let g = geometry(width: width, height: height) else {
            preconditionFailure("A \(width)x\(height) image is too small for HOG blocks of "
                + "\(cellsPerBlock.rows * pixelsPerCell.rows)x\(cellsPerBlock.columns * pixelsPerCell.columns) pixels; "
                + "resize it first (the study uses 360x360).")
        }
        return g
    }

    /// The HOG feature vector of a grey image (allocates a workspace; prefer the workspace variant in loops).
    public func features(of image: Image) -> [Float] {
        var workspace = Workspace(for: self)
        return features(of: image, workspace: &workspace)
    }

    /// The HOG feature vector of a grey image, reusing `workspace`'s tables and buffers.
    public func features(of image: Image, workspace: inout Workspace) -> [Float] {
        let g = requireGeometry(width: image.width, height: image.height)
        var out = [Float](repeating: 0, count: g.featureLength)
        out.withUnsafeMutableBufferPointer { features(of: image, into: $0, workspace: &workspace) }
        return out
    }

    /// Writes the HOG feature vector of a grey image into `output` (exactly
    /// ``featureLength(width:height:)`` long). Allocation-free once `workspace` has seen an image
    /// of this size.
    public func features(of image: Image, into output: UnsafeMutableBufferPointer<Float>,
                         workspace: inout Workspace) {
        let g = requireGeometry(width: image.width, height: image.height)
        precondition(output.count == g.featureLength,
                     "HOG output buffer holds \(output.count) values, a \(image.width)x\(image.height) image needs \(g.featureLength)")
        computeCellHistograms(of: image, geometry: g, workspace: &workspace)
        normalizeBlocks(geometry: g, workspace: &workspace, into: output)
    }
}
