import Tensor

extension HOG {
    /// HOG features of `count` images as rows of a Float32 matrix `(count, featureLength)`,
    /// extracted in parallel over the cores (one ``Workspace`` per worker, written straight into
    /// the matrix, so nothing is allocated per image beyond what `image` itself allocates).
    ///
    /// - Parameters:
    ///   - count: number of images.
    ///   - width, height: the size every image has (the study: 360 x 360).
    ///   - image: returns image `i` (grey, `width` x `height`); called from worker threads, each
    ///     index once. Its first error stops the extraction and is rethrown.
    ///   - progress: called on worker threads after each image with the number finished so far
    ///     (approximate order), e.g. for a progress bar.
    /// - Returns: `(count, featureLength(width:height:))`; for the whole study 17,092 x 44,100
    ///   Floats, about 3 GB.
    public func featureMatrix(count: Int, width: Int, height: Int,
                              image: (Int) throws -> Image,
                              progress: ((Int) -> Void)? = nil) throws -> Matrix<Float> {
        let length = featureLength(width: width, height: height)
        var matrix = Matrix<Float>(rows: count, columns: length)
        let failure = FirstError()
        let finished = Counter()
        matrix.storage.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            Parallel.forEachChunk(count) { range in
                var workspace = Workspace(for: self)
                for i in range {
                    if failure.isSet { return }
                    do {
                        let picture = try image(i)
                        precondition(picture.width == width && picture.height == height,
                                     "Image \(i) is \(picture.width)x\(picture.height), expected \(width)x\(height)")
                        features(of: picture, into: UnsafeMutableBufferPointer(start: base + i * length, count: length),
                                 workspace: &workspace)
                    } catch {
                        failure.set(error)
                        return
                    }
                    if let progress { progress(finished.increment()) }
                }
            }
        }
        if let error = failure.error { throw error }
        return matrix
    }
}
