import Foundation

/// The study's two image pipelines, as single calls.
public enum StudyPreprocessing {
    /// Side of the square grey image the study computes HOG on.
    public static let hogSide = 360
    /// Side of the square RGB image the study's networks take.
    public static let networkSide = 224

    /// The HOG input of the study: `cv2.imread` (BGR) -> `cv2.cvtColor(COLOR_BGR2GRAY)` ->
    /// `cv2.resize(..., (360, 360))` with `INTER_LINEAR`; a 360x360 grey image.
    /// - Throws: `ImageDecodingError` for files that are not readable images.
    public static func grey360(contentsOf url: URL) throws -> Image {
        try ImageDecoder.decode(contentsOf: url).grayscaleOpenCV()
            .resizedOpenCVLinear(width: hogSide, height: hogSide)
    }

    /// A network input of the study: `PIL.Image.open(path).convert("RGB")` ->
    /// `transforms.Resize((side, side))` (Pillow bilinear, antialiased); a side x side RGB image.
    /// Follow with `tensorCHW()` and `Tensor.normalizedPerChannel(mean:std:)` for `ToTensor` / `Normalize`.
    public static func rgb(contentsOf url: URL, side: Int = networkSide) throws -> Image {
        try ImageDecoder.decode(contentsOf: url).resizedPillowBilinear(width: side, height: side)
    }
}

/// The HOG input of the study (imread -> BGR2GRAY -> resize 360x360); see `StudyPreprocessing.grey360`.
public func loadStudyGrey360(_ url: URL) throws -> Image {
    try StudyPreprocessing.grey360(contentsOf: url)
}
