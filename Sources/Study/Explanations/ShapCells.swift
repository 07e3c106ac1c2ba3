import Foundation
import Plot
import Report

/// The cells a SHAP step hands to its network's page: what was explained and how, shap's
/// `image_plot` figure, and a sentence from this run's numbers on where the attribution lies.
enum ShapCells {
    /// `substitute`: the backbone that ran the study's recipe in place of the study's network, if any.
    static func cells(kind: NetworkKind, explanation e: ShapExplanation, shown: [SplitSection.Item], classes: [String],
                      deep: Bool, config: SHAPConfig, requested: Int, seconds: Double, substitute: SubstituteRun? = nil) -> [Cell] {
        let explained = substitute.map { "The fine-tuned \($0.displayName) (\($0.headline(for: kind)))" } ?? kind.displayName
        let modelName = substitute.map { "\($0.displayName.replacingOccurrences(of: "-", with: ""))FineTuned" } ?? kind.studyClassName
        let n = e.images.count
        let how = deep
            ? "`shap.DeepExplainer` (DeepLIFT's rescale rule, averaged over a background of \(config.deepBackground) test images, "
              + "the first of the test split in order as the study's first test batch) on the next \(n) test images, for all "
              + "\(classes.count) outputs of the network (its logits)"
            : "`shap.PartitionExplainer` with the `inpaint_telea` image masker (hidden regions filled by Telea's inpainting) "
              + "on the first \(n) test images, \(config.maxEvals) model evaluations per image, for all \(classes.count) "
              + "outputs of the softmax"
        let narrative = """
            \(explained) is explained with \(how), as the study does\(studyCount(kind: kind, requested: requested, explained: n)). Computed natively (module `Explain`) \
            in \(Fmt.seconds(seconds)) on this machine; the values of every image and class add up to the model's \
            output minus the base value to within \(String(format: "%.1e", e.additivityError)).
            """
        let rasters = e.images.map { Raster(width: e.side, height: e.side, channels: 3, pixels: $0) }
        let trueLabels = shown.map { classes[$0.label] }
        let figure = ShapImagePlot.figure(images: rasters, values: e.maps, classNames: classes, trueLabels: trueLabels,
                                          cellSize: 80).render()
        let caption = "SHAP values of \(n) test images (rows; true class at the left) for each of the \(classes.count) "
            + "classes (columns), summed over the colour channels: red pushes the output for that class up, blue down, "
            + "on one symmetric scale (colour bar). " + ImageCredit.placeholder
        let alt = "A grid of \(n) rows: each row shows a blood-cell image and then \(classes.count) heat maps, one per class, "
            + "red and blue where pixels raised or lowered that class's output."
        let source = deep
            ? "explainer = shap.DeepExplainer(model: \(modelName), background: testImages[0..<\(config.deepBackground)])\n"
              + "values = explainer.shapValues(testImages[\(config.deepBackground)..<\(config.deepBackground + n)])\n"
              + "ShapImagePlot.figure(images, values)"
            : "masker = shap.ImageMasker(\"inpaint_telea\", height: \(e.side), width: \(e.side))\n"
              + "explainer = shap.PartitionExplainer(model: softmax(\(modelName)), masker: masker)\n"
              + "values = testImages[0..<\(n)].map { explainer.explain($0, maxEvals: \(config.maxEvals)) }\n"
              + "ShapImagePlot.figure(images, values, classNames: classes, trueLabels: labels)"
        return [
            .markdown(narrative),
            .code(source: source, outputs: [.figure(FigureOutput(rendered: figure, caption: caption, alt: alt))]),
            .markdown(sentence(e, classes: classes)),
        ]
    }

    /// " (the study explained 5 images too)" / "; the study explained 8 images, this run 4": this run's count beside the study's.
    static func studyCount(kind: NetworkKind, requested: Int, explained: Int) -> String {
        guard let study = DocumentedResults.shapImages(kind) else { return "" }
        let asked = "\(study.explained) images" + (study.requested == study.explained ? "" : " (\(study.requested) asked for)")
        return explained == study.explained && requested == study.requested
            ? " (the study explained \(asked) too)"
            : "; the study explained \(asked), this run \(explained)" + (requested == explained ? "" : " (\(requested) asked for)")
    }

    /// Where the positive attribution of the predicted class lies, from this run's values.
    static func sentence(_ e: ShapExplanation, classes: [String]) -> String {
        let shares = e.nucleusShares
        let measured = shares.compactMap { s in s.inside.map { ($0, s.area) } }
        let method = "The nucleus region is a simple threshold: pixels whose green value is at most Otsu's threshold of "
            + "the image's green histogram (the stain makes nuclei dark purple, low in green; the cytoplasm and the "
            + "background fall outside)."
        guard !measured.isEmpty else {
            return "No explained image has positive attribution for its predicted class, so where it lies cannot be said. " + method
        }
        let inside = measured.map(\.0).reduce(0, +) / Double(measured.count)
        let area = measured.map(\.1).reduce(0, +) / Double(measured.count)
        let verdict: String
        if inside > 1.5 * area {
            verdict = "the attribution concentrates on the cell's nucleus, well beyond its share of the image"
        } else if inside > area {
            verdict = "somewhat more than the nucleus's share, so the attribution leans to the cell but much of it lies elsewhere"
        } else {
            verdict = "no more than the nucleus's share, so the attribution is not concentrated on the cell"
        }
        return "For the predicted class of each of the \(measured.count) explained images, on average "
            + "**\(String(format: "%.0f", inside * 100))%** of the positive SHAP attribution lies inside the stained nucleus, "
            + "which covers \(String(format: "%.0f", area * 100))% of the image: \(verdict). " + method
    }
}
