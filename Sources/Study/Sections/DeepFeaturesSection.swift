import Foundation
import Report

/// The deep-feature half of the exploration (In [175]–[180], [183]): the study extracts
/// `google/vit-base-patch16-224-in21k` features (mean of the last hidden state, 768 per image)
/// and repeats the neighbours, PCA / t-SNE and explained-variance analyses on them. Those
/// features mean something only with the pretrained weights; this build has no ViT feature
/// extractor yet, so the section says so, lists the documented values as reference, and reports
/// the ViT keys as null with `vit.pretrained` false. It never substitutes a random network.
public struct DeepFeaturesSection: StudySection {
    public let id = "deep-features"
    public let title = "Deep (ViT) features"
    public let usesDataset = false
    public let dependencies = ["split"]
    public let version = 2

    /// The weights file `bloodstudy fetch-weights` writes for the study's feature extractor.
    static let weightsFile = "vit-base-patch16-224-in21k.safetensors"

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("vit_features", config.vitFeatures)
    }

    public func run(_ context: StudyContext) throws -> SectionResult {
        let file = context.weights.appendingPathComponent(Self.weightsFile)
        // The page names the file relative to the weights folder, not this machine's absolute path.
        let shownPath = "\(context.weights.lastPathComponent)/\(Self.weightsFile)"
        let present = FileManager.default.fileExists(atPath: file.path)
        let weightsState = present
            ? "The weights file `\(shownPath)` is present, but this build of bloodstudy does not yet include the ViT feature extractor, so no features were computed."
            : "The weights file `\(shownPath)` is absent in this run."
        let split = try context.upstream("split").read(SplitSection.Split.self, "split")
        let rows = split.train + split.validation + split.test
        try context.artifacts.write(DeepFeaturesIndex(backbone: "none", backboneName: "none", weightsSHA256: "", imageSize: 0,
                                                      classes: split.classes, paths: rows.map(\.path), labels: rows.map(\.label),
                                                      train: split.train.count, validation: split.validation.count,
                                                      test: split.test.count), as: "index")
        context.progress(1, 1)
        let narrative = """
            ## Deep features need pretrained weights

            The study's second feature set is the mean of the last hidden state of \
            `google/vit-base-patch16-224-in21k` (ImageNet-21k weights), 768 numbers per image, on which it \
            repeats the nearest-neighbour figure, PCA / t-SNE and the explained-variance analysis. Those features \
            describe images only with the pretrained weights; a randomly initialised network would give numbers \
            that cannot be compared, so none are made up here. \(weightsState)

            To get the weights, run `bloodstudy fetch-weights` (it downloads \
            `https://huggingface.co/google/vit-base-patch16-224-in21k/resolve/main/model.safetensors` into the \
            weights folder, `--weights`). Until then the ViT rows of the results table are empty for this run \
            and the HOG sections stand alone; the values below are the study's, quoted for reference.
            """
        let table = Table(caption: "The study's deep-feature results (documented values, not this run's)",
                          columns: ["Quantity", "Documented", "This run"],
                          rows: [["Feature shape", "(17092, 768)", "not computed"],
                                 ["PCA components for 95% variance", "117", "not computed"],
                                 ["PCA components for 99% variance", "343", "not computed"],
                                 ["t-SNE", "clear, separate clusters per class", "not computed"]])
        return SectionResult(
            cells: [
                .markdown(narrative),
                .code(source: "// extract_features_for_dataset(df, feature_extractor, model): needs \(Self.weightsFile)",
                      outputs: [.warning("ViT features not computed: pretrained weights for google/vit-base-patch16-224-in21k are not available to this run."),
                                .table(table)]),
                .reference(text: "Deep Features Extracted. Shape: (17092, 768)", source: "documented study, In [176]"),
                .reference(text: "PCA completed. Original dims: 768, Reduced dims: 117. … The t-SNE results show clear and relatively separate clusters for each of the 8 blood cell types. This indicates that the features that the ViT model learned to extract are informative and allow for good discrimination between the different blood cell types.",
                           source: "documented study, In [180] and the text after it"),
                .reference(text: "To preserve 95% of the original variance in the data, it is sufficient to use the 117 first principal components. To preserve 99% of the original variance in the data, 343 principal components are needed.",
                           source: "documented study, after In [183]"),
            ],
            headlines: [
                Headline("vit.pretrained", .bool(false)),
                Headline("vit.feature_length", .null),
                Headline("pca.vit.n95", .null),
                Headline("pca.vit.n99", .null),
            ],
            deviations: [Deviation(what: "ViT feature EDA (In [175]–[180], [183])", documented: "pretrained ViT-B/16 features",
                                   thisRun: "not computed", why: "pretrained weights are not available to this run and the feature extractor is not yet in this build")])
    }
}
