import Foundation

extension HOG {
    /// One row of the study's "HOG features on sample images" figure (`visualize_hog_samples`).
    public struct Sample: Sendable {
        /// `load_preprocess_image(path, (360, 360), 'rgb')`: imread, BGR2RGB, `cv2.resize` 360x360 (RGB).
        public let color: Image
        /// `cv2.cvtColor(color, COLOR_RGB2GRAY)`: grey of the **resized** colour image (the
        /// figure's path; the features use grey-then-resize, which can differ by a grey level).
        public let grey: Image
        /// `exposure.rescale_intensity(hog_image, in_range=(0, 10))`: `(360, 360)` row-major in [0, 1].
        public let visualization: [Double]
    }

    /// The study's image / grey / HOG-visualisation triple for one dataset file, with this HOG's
    /// parameters (the study passes `HOG.study`'s).
    /// - Throws: `ImageDecodingError` when the file is not a readable image.
    public func sample(contentsOf url: URL, side: Int = StudyPreprocessing.hogSide) throws -> Sample {
        let color = try ImageDecoder.decode(contentsOf: url).rgb().resizedOpenCVLinear(width: side, height: side)
        let grey = color.grayscaleOpenCV()
        return Sample(color: color, grey: grey, visualization: Self.rescaledForDisplay(visualization(of: grey)))
    }
}
