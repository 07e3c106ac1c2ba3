import Explain
import Foundation
import Neural
import Plot
import Report

/// Deletion and insertion curves of a network's SHAP maps beside a random order of the same
/// pixels (shap.Faithfulness), over the images its page explains, and what the explanations cost.
struct ShapFaithfulness {
    /// Per explained image: the curves in the SHAP map's order and in a random order.
    var shapCurves: [shap.FaithfulnessCurves]
    var randomCurves: [shap.FaithfulnessCurves]
    /// Wall seconds of the SHAP explanations per explained image.
    var secondsPerImage: Double

    static func measure(_ e: ShapExplanation, model: Layer, explainSeconds: Double,
                        using generator: inout some RandomNumberGenerator) -> ShapFaithfulness {
        let probabilities = shap.PartitionExplainer.softmaxModel(model, height: e.side, width: e.side)
        var ours: [shap.FaithfulnessCurves] = [], random: [shap.FaithfulnessCurves] = []
        for (i, image) in e.images.enumerated() {
            let target = e.predicted[i]
            ours.append(shap.Faithfulness.curves(image: image, side: e.side, order: shap.Faithfulness.ranking(e.maps[i][target]),
                                                 target: target, model: probabilities))
            random.append(shap.Faithfulness.curves(image: image, side: e.side, order: Array(0..<(e.side * e.side)).shuffled(using: &generator),
                                                   target: target, model: probabilities))
        }
        return ShapFaithfulness(shapCurves: ours, randomCurves: random,
                                secondsPerImage: e.images.isEmpty ? .nan : explainSeconds / Double(e.images.count))
    }

    private static func mean(_ values: [Double]) -> Double { values.isEmpty ? .nan : values.reduce(0, +) / Double(values.count) }
    var deletion: (shap: Double, random: Double) { (Self.mean(shapCurves.map(\.deletionArea)), Self.mean(randomCurves.map(\.deletionArea))) }
    var insertion: (shap: Double, random: Double) { (Self.mean(shapCurves.map(\.insertionArea)), Self.mean(randomCurves.map(\.insertionArea))) }

    /// The mean curve over images at each fraction.
    private static func meanCurve(_ curves: [shap.FaithfulnessCurves], _ pick: (shap.FaithfulnessCurves) -> [Double]) -> [Double] {
        guard let first = curves.first else { return [] }
        return first.fractions.indices.map { j in mean(curves.map { pick($0)[j] }) }
    }

    func cells(kind: NetworkKind) -> [Cell] {
        guard let fractions = shapCurves.first?.fractions else { return [] }
        let n = shapCurves.count
        let (d, ins) = (deletion, insertion)
        let figure = Figure(width: 980, height: 420, title: "\(kind.displayName): deletion and insertion curves of the SHAP maps")
        let (left, right) = figure.subplots(rows: 1, columns: 2).pair
        let shapColor = Color(hex: "#4B0082")!, randomColor = Color(hex: "#9E9E9E")!
        left.line(fractions, Self.meanCurve(shapCurves, \.deletion), color: shapColor, width: 2, label: "SHAP order (area \(Fmt.fixed(d.shap, 3)))")
        left.line(fractions, Self.meanCurve(randomCurves, \.deletion), color: randomColor, width: 2, dash: .dashed, label: "Random order (area \(Fmt.fixed(d.random, 3)))")
        right.line(fractions, Self.meanCurve(shapCurves, \.insertion), color: shapColor, width: 2, label: "SHAP order (area \(Fmt.fixed(ins.shap, 3)))")
        right.line(fractions, Self.meanCurve(randomCurves, \.insertion), color: randomColor, width: 2, dash: .dashed, label: "Random order (area \(Fmt.fixed(ins.random, 3)))")
        left.title = "Deletion (lower is more faithful)"; right.title = "Insertion (higher is more faithful)"
        for a in [left, right] {
            a.xLabel = "Share of pixels deleted / inserted"; a.yLabel = "Probability of the predicted class"
            a.xLimits = 0...1; a.yLimits = 0...1.02; a.legend = .best
        }
        let verdictDeletion = d.shap < d.random ? "falls faster than" : "does not fall faster than"
        let verdictInsertion = ins.shap > ins.random ? "rises faster than" : "does not rise faster than"
        let faithful = d.shap < d.random && ins.shap > ins.random
        let verdict = faithful ? "on both tests the maps beat a random ranking, so they carry information about what drives the output."
            : "the maps do not beat a random ranking on both tests, so read them with care."
        let text = """
            ### Do the maps point at what the network uses?

            Deleting the pixels the SHAP map ranks highest first (set to black, 5% at a time), the probability of the \
            predicted class \(verdictDeletion) when the same pixels go in a random order: area under the deletion curve \
            **\(Fmt.fixed(d.shap, 3))** against \(Fmt.fixed(d.random, 3)) (lower is better). Inserting them into a blurred \
            copy of the image in the same order, it \(verdictInsertion) random insertion: area **\(Fmt.fixed(ins.shap, 3))** \
            against \(Fmt.fixed(ins.random, 3)) (higher is better). Means over the \(n) explained image\(n == 1 ? "" : "s"); \
            \(verdict) The explanations cost \
            **\(Fmt.seconds(secondsPerImage))** per image on this machine.
            """
        let table = Table(caption: "\(kind.displayName): faithfulness of the SHAP maps (mean over \(n) images)",
                          columns: ["Curve", "SHAP order", "Random order", "Better"],
                          rows: [["Deletion area", Fmt.fixed(d.shap, 4), Fmt.fixed(d.random, 4), "lower"],
                                 ["Insertion area", Fmt.fixed(ins.shap, 4), Fmt.fixed(ins.random, 4), "higher"],
                                 ["Seconds per explained image", Fmt.seconds(secondsPerImage), "—", "—"]],
                          note: "Petsiuk et al. (2018): pixels ranked by the predicted class's SHAP value (summed over colour), 20 steps; "
                              + "the random order is one seeded permutation per image.")
        let caption = "Probability of the predicted class as pixels are deleted (left, blacked out) or inserted into a blurred copy (right), "
            + "in the SHAP map's order (purple) and in a random order (grey dashed), mean over the \(n) explained images."
        return [
            .markdown(text),
            .code(source: "deletion_insertion(model, images, shap_maps, steps=20)  # and a random pixel order",
                  outputs: [.table(table), .figure(FigureOutput(rendered: figure.render(), caption: caption,
                                                                alt: "Two line charts: deletion and insertion curves of the SHAP order against a random order."))]),
        ]
    }

    /// The numbers the headlines carry (nil where not finite: no image explained).
    var summary: ShapFaithfulnessSummary {
        func finite(_ v: Double) -> Double? { v.isFinite ? v : nil }
        return ShapFaithfulnessSummary(deletion: finite(deletion.shap), deletionRandom: finite(deletion.random),
                       insertion: finite(insertion.shap), insertionRandom: finite(insertion.random),
                       secondsPerImage: finite(secondsPerImage))
    }
}

/// The faithfulness numbers of a SHAP step's result (`ShapSection.Result`).
public struct ShapFaithfulnessSummary: Codable, Sendable, Equatable {
    public var deletion: Double?
    public var deletionRandom: Double?
    public var insertion: Double?
    public var insertionRandom: Double?
    public var secondsPerImage: Double?

    public init(deletion: Double?, deletionRandom: Double?, insertion: Double?, insertionRandom: Double?, secondsPerImage: Double?) {
        self.deletion = deletion; self.deletionRandom = deletionRandom; self.insertion = insertion
        self.insertionRandom = insertionRandom; self.secondsPerImage = secondsPerImage
    }

    func headlines(kind: NetworkKind) -> [Headline] {
        let keys = NetworkResultKeys.of(kind)
        func value(_ v: Double?) -> JSONValue { v.map(JSONValue.double) ?? .null }
        return [
            Headline(keys.shapDeletionAUC, value(deletion), label: "\(kind.displayName): area under the SHAP deletion curve"),
            Headline(keys.shapDeletionAUCRandom, value(deletionRandom), label: "\(kind.displayName): area under the random-order deletion curve"),
            Headline(keys.shapInsertionAUC, value(insertion), label: "\(kind.displayName): area under the SHAP insertion curve"),
            Headline(keys.shapInsertionAUCRandom, value(insertionRandom), label: "\(kind.displayName): area under the random-order insertion curve"),
            Headline(keys.shapSecondsPerImage, value(secondsPerImage), label: "\(kind.displayName): seconds per image explained with SHAP"),
        ]
    }
}
