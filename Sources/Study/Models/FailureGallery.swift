import Foundation
import Imaging
import Plot
import Report

/// SHAP maps of a network's most confidently wrong test images, for its failure gallery: the
/// `shap-<network>` step explains them and writes this as its artifact `failure-maps`.
public struct FailureMaps: Codable, Sendable, Equatable {
    /// Test-part indices of the explained failures, most confident first.
    public var indices: [Int]
    /// The images as the network saw them, 8-bit (side, side, 3).
    public var images: [[UInt8]]
    public var side: Int
    /// Per failure, the SHAP map (summed over colour channels) of the predicted class and of the true class.
    public var predictedMaps: [[Double]]
    public var trueMaps: [[Double]]
    /// Wall seconds spent explaining them.
    public var seconds: Double
}

/// The thumbnails of a model's failure gallery, decoded once (a `ComputedSection`'s result keeps
/// them, so its page draws the gallery without reading the dataset).
public struct FailureThumbnails: Codable, Sendable, Equatable {
    /// Side of each square thumbnail, pixels.
    public var side: Int
    /// Test-part indices of the failures shown, most confident first (nil: the gallery's own choice,
    /// `FailureGallery.failures`, recomputed from the evaluation).
    public var indices: [Int]?
    /// 8-bit RGB pixels (side, side, 3) of each failure, most confident first.
    public var pixels: [Data]
    /// "path: reason" of each failure whose file could not be read (a grey square stands in).
    public var unreadable: [String]

    /// Side of the gallery's thumbnails.
    public static let defaultSide = 128

    public init(side: Int = FailureThumbnails.defaultSide, indices: [Int]? = nil, pixels: [Data], unreadable: [String]) {
        self.side = side; self.indices = indices; self.pixels = pixels; self.unreadable = unreadable
    }
}

/// A model's most confidently wrong test images: the wrong predictions with the highest
/// probability for the predicted class, with the true and predicted class.
enum FailureGallery {
    static let size = 8
    static let thumbnailSide = FailureThumbnails.defaultSide
    static let credit = ImageCredit.placeholder

    /// Test indices of the wrong predictions, most confident first (ties: test order), at most `limit`.
    static func failures(labels: [Int], predictions: [Int], probabilities: [Double], classes: Int, limit: Int = size) -> [Int] {
        let wrong = labels.indices.filter { labels[$0] != predictions[$0] }
        let confidence = { (i: Int) in probabilities[i * classes + predictions[i]] }
        return Array(wrong.sorted { confidence($0) > confidence($1) || (confidence($0) == confidence($1) && $0 < $1) }.prefix(limit))
    }

    static func failures(_ e: ModelEvaluation, limit: Int = size) -> [Int] {
        failures(labels: e.labels, predictions: e.predictions, probabilities: e.probabilities, classes: e.classNames.count, limit: limit)
    }

    /// The thumbnails of the gallery's failures, read from the dataset (a grey square and the
    /// reason for an unreadable file): what a page needs to draw the gallery without the dataset.
    static func thumbnails(_ e: ModelEvaluation, datasetRoot: URL) -> FailureThumbnails {
        var out = FailureThumbnails(side: thumbnailSide, indices: failures(e), pixels: [], unreadable: [])
        for i in out.indices ?? [] {
            let url = datasetRoot.appendingPathComponent(e.paths[i])
            do {
                let image = try ImageDecoder.decode(contentsOf: url).resizedPillowBilinear(width: thumbnailSide, height: thumbnailSide)
                out.pixels.append(Data(image.pixels))
            } catch {
                // The page still lists the mistake; a grey square stands in for the image and the caption says why.
                out.unreadable.append("\(e.paths[i]): \(error)")
                out.pixels.append(Data(repeating: 200, count: thumbnailSide * thumbnailSide * 3))
            }
        }
        return out
    }

    /// The gallery's cells: a sentence, the thumbnails (from the dataset) with true class, predicted
    /// class and its probability, and, when `maps` is given, their SHAP maps.
    static func cells(_ e: ModelEvaluation, datasetRoot: URL, maps: FailureMaps? = nil, explainedBy: String? = nil) -> [Cell] {
        cells(e, thumbnails: thumbnails(e, datasetRoot: datasetRoot), maps: maps, explainedBy: explainedBy)
    }

    /// The same from thumbnails read before (`thumbnails(_:datasetRoot:)`): reads no file.
    static func cells(_ e: ModelEvaluation, thumbnails: FailureThumbnails, maps: FailureMaps? = nil, explainedBy: String? = nil) -> [Cell] {
        let k = e.classNames.count
        let shown = thumbnails.indices ?? failures(e)
        let wrongCount = zip(e.labels, e.predictions).filter { $0 != $1 }.count
        guard !shown.isEmpty else {
            return [.markdown("## Most confident mistakes\n\nThe \(e.displayName) got every one of the \(Fmt.int(e.labels.count)) test images right, so there is no failure to show.")]
        }
        precondition(thumbnails.pixels.count == shown.count, "\(e.key): \(thumbnails.pixels.count) thumbnails for \(shown.count) failures")
        let unreadable = thumbnails.unreadable
        var cells: [ImageCell] = []
        for (i, pixels) in zip(shown, thumbnails.pixels) {
            let raster = Raster(width: thumbnails.side, height: thumbnails.side, channels: 3, pixels: [UInt8](pixels))
            let p = e.probabilities[i * k + e.predictions[i]]
            // Title: "true as predicted" class; the probability in the corner box (titles are one line).
            cells.append(ImageCell(image: raster, title: "\(e.classNames[e.labels[i]]) as \(e.classNames[e.predictions[i]])",
                                   caption: Caption("p = \(Fmt.fixed(p, 3))")))
        }
        let columns = min(4, cells.count)
        let figure = ImageGrid.figure(cells, columns: columns, cellSize: 175, title: "\(e.displayName): most confident mistakes on the test set").render()
        let listed = shown.map { i in
            "\(e.paths[i]) (true \(e.classNames[e.labels[i]]), predicted \(e.classNames[e.predictions[i]]) with probability \(Fmt.fixed(e.probabilities[i * k + e.predictions[i]], 3)))"
        }
        let caption = "The \(shown.count) wrong test predictions of the \(e.displayName) with the highest probability for the predicted class "
            + "(of \(Fmt.int(wrongCount)) wrong in all), most confident first: 'true class as predicted class' above each image, the predicted class's probability in its corner. \(credit)"
            + (unreadable.isEmpty ? "" : " Not readable, shown grey: " + unreadable.joined(separator: "; ") + ".")
        let alt = "\(shown.count) blood-cell images the model misclassified with high confidence: " + listed.joined(separator: "; ") + "."
        let confusions = Dictionary(grouping: shown) { "\(e.classNames[e.labels[$0]]) → \(e.classNames[e.predictions[$0]])" }
            .sorted { $0.value.count > $1.value.count || ($0.value.count == $1.value.count && $0.key < $1.key) }
            .map { "\($0.key) (\($0.value.count))" }
        var out: [Cell] = [
            .markdown("""
                ## Most confident mistakes

                Of the \(Fmt.int(e.labels.count)) test images the \(e.displayName) got \(Fmt.int(wrongCount)) wrong. These are the \
                \(shown.count) it was surest about: \(confusions.joined(separator: ", ")). Looking at them shows whether the mistakes \
                are ambiguous cells, labelling slips or a blind spot of the model.
                """),
            .code(source: "wrong = np.flatnonzero(y_test_pred != y_test_true); wrong[np.argsort(-y_test_probs[wrong, y_test_pred[wrong]])][:\(size)]",
                  outputs: [.figure(FigureOutput(rendered: figure, caption: caption, alt: alt))]),
        ]
        if let maps, !maps.indices.isEmpty {
            let rasters = maps.images.map { Raster(width: maps.side, height: maps.side, channels: 3, pixels: $0) }
            let values = zip(maps.predictedMaps, maps.trueMaps).map { [$0, $1] }
            let labels = maps.indices.map { "\(e.classNames[e.labels[$0]]) as \(e.classNames[e.predictions[$0]])" }
            let shap = ShapImagePlot.figure(images: rasters, values: values, classNames: ["predicted class", "true class"],
                                            trueLabels: labels, cellSize: 96).render()
            out.append(.code(source: "shap_values(wrong_images)  # \(explainedBy ?? "the page's SHAP explainer"): predicted and true class",
                             outputs: [.figure(FigureOutput(
                                rendered: shap,
                                caption: "SHAP maps of the \(maps.indices.count) most confident mistakes (rows, as above), explained as the page's other images "
                                    + "(\(Fmt.seconds(maps.seconds))): for the class the network predicted (middle) and the true class (right); red raised that class's output, "
                                    + "blue lowered it. \(credit)",
                                alt: "\(maps.indices.count) misclassified images, each with two SHAP heat maps: the predicted class and the true class."))]))
        }
        return out
    }
}
