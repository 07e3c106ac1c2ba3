import Foundation
import Learn
import Report
import Tensor

/// The decision tree on the deep features (In [214]–[221]): `StandardScaler` on the training
/// part, then CART with Gini impurity (`DecisionTreeClassifier(max_depth, min_samples_split,
/// random_state)` from the profile), and the evaluation every model page shares, plus the tree's
/// depth, leaf count and most important features.
public struct DecisionTreeSection: StudySection {
    public let id = "decision-tree"
    public let title = "Decision tree on deep features"
    public let dependencies = ["split", "deep-features"]
    public let usesDataset = false
    public let version = 2
    public let configKeys = ["decision_tree"]
    static let key = "decision_tree"
    static let displayName = "Decision tree"
    static let topFeatures = 15

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("decision_tree", config.decisionTree)
    }

    static let reference = Cell.reference(
        text: """
            Decision Tree training finished. Total time: 6.04s
            Final Accuracy (Decision Tree):
              Train: 0.8353
              Validation: 0.6486
              Test: 0.6408
            … The model suffers from substantial overfitting, as evidenced by the large gap between training and testing accuracy. … It handles platelets and eosinophils adequately but struggles considerably with monocytes, basophils, and lymphocytes.
            """,
        source: "documented study, In [218]–[219] and the analysis after In [220] (ViT-B/16 features)")

    public func run(_ context: StudyContext) throws -> SectionResult {
        let (index, loaded) = try DeepFeatureParts.load(context)
        guard let parts = loaded else {
            return FeatureModelPages.skipped(key: Self.key, title: title, index: index, reference: Self.reference)
        }
        let config = context.config.decisionTree
        guard config.randomState >= 0 && config.randomState <= Int(UInt32.max) else {
            throw StudyError.badConfig(file: "profile \(context.config.profile)",
                                       detail: "decision_tree.random_state must be in 0...4294967295 (a numpy seed), got \(config.randomState)")
        }
        let classes = index.classes.count
        // scale_features (In [214]): StandardScaler fitted on the training part.
        let scaler = StandardScaler().fit(parts.train)
        let train = scaler.transform(parts.train), validation = scaler.transform(parts.validation), test = scaler.transform(parts.test)
        let estimator = DecisionTree(maxDepth: config.maxDepth, minSamplesSplit: config.minSamplesSplit, minSamplesLeaf: 1,
                                     randomState: UInt32(config.randomState))
        let started = Date()
        let tree = estimator.fit(train, labels: parts.trainLabels, classes: classes) { done, total in context.progress(done, total) }
        let seconds = Date().timeIntervalSince(started)
        func accuracy(_ x: Matrix<Float>, _ y: [Int]) -> Double {
            let p = tree.predict(x)
            return Double(zip(p, y).filter { $0 == $1 }.count) / Double(max(1, y.count))
        }
        let trainAccuracy = accuracy(train, parts.trainLabels), validationAccuracy = accuracy(validation, parts.validationLabels)
        let evaluation = ModelEvaluation(key: Self.key, displayName: Self.displayName, classNames: index.classes,
                                         paths: parts.testPaths, labels: parts.testLabels, predictions: tree.predict(test),
                                         probabilities: tree.predictProba(test))
        try context.artifacts.write(tree, as: "tree")
        let summary = evaluation.summary(parameterCount: nil, trainingSeconds: seconds, imageSize: nil, weights: parts.weightsText,
                                         note: "depth \(tree.depth), \(tree.leafCount) leaves on \(parts.featureWidth) features per image")
        try context.artifacts.write(summary, as: "summary")

        let substitute = parts.substituteNote.map { " " + $0 } ?? ""
        let importances = tree.featureImportances
        let ranked = importances.indices.sorted { importances[$0] > importances[$1] || (importances[$0] == importances[$1] && $0 < $1) }
        let used = importances.filter { $0 > 0 }.count
        let top = ranked.prefix(Self.topFeatures).filter { importances[$0] > 0 }
        let topTable = Table(caption: "The \(top.count) most important features of this run's tree (normalised Gini importance)",
                             columns: ["Rank", "Feature (column)", "Importance", "Cumulative"],
                             rows: top.enumerated().map { rank, f in
                                 [String(rank + 1), String(f), Fmt.fixed(importances[f], 4),
                                  Fmt.fixed(top.prefix(rank + 1).reduce(0) { $0 + importances[$1] }, 4)]
                             },
                             note: "\(used) of the \(parts.featureWidth) features are used by at least one split.")
        let structure = Table(caption: "The fitted tree", columns: ["Quantity", "Documented", "This run"],
                              rows: [["max_depth (setting)", "10", String(config.maxDepth)],
                                     ["Depth reached", "—", String(tree.depth)],
                                     ["Leaves", "—", Fmt.int(tree.leafCount)],
                                     ["Nodes", "—", Fmt.int(tree.nodeCount)],
                                     ["Fit seconds", "6.04 (fit and two scores, the study's machine)", String(format: "%.2f", seconds)],
                                     ["Train accuracy", "0.8353", Fmt.fixed(trainAccuracy, 4)],
                                     ["Validation accuracy", "0.6486", Fmt.fixed(validationAccuracy, 4)]])
        let printed = """
            Training Decision Tree model...
            Decision Tree training finished. Total time: \(String(format: "%.2f", seconds))s
            Train Accuracy: \(String(format: "%.4f", trainAccuracy))
            Validation Accuracy: \(String(format: "%.4f", validationAccuracy))

            Final Accuracy (Decision Tree):
              Train: \(String(format: "%.4f", trainAccuracy))
              Validation: \(String(format: "%.4f", validationAccuracy))
              Test: \(String(format: "%.4f", evaluation.testAccuracy))
            """
        let narrative = """
            ## A tree of axis-aligned rules

            The study's second classifier on the same deep features: `StandardScaler` on the training part, then \
            a CART tree with Gini impurity, `max_depth` \(config.maxDepth), `min_samples_split` \(config.minSamplesSplit), \
            ties between equally good splits broken as scikit-learn's `DecisionTreeClassifier(random_state=\(config.randomState))` \
            does.\(substitute) Fitting on \(Fmt.int(parts.train.rows)) x \(parts.featureWidth) took \(Fmt.seconds(seconds)) and grew \
            a tree of depth \(tree.depth) with \(Fmt.int(tree.leafCount)) leaves. Accuracy: **\(Fmt.fixed(trainAccuracy, 4))** on \
            the training part, **\(Fmt.fixed(validationAccuracy, 4))** on validation, **\(Fmt.fixed(evaluation.testAccuracy, 4))** \
            on test; the gap between the first and the others is the overfitting the study describes (0.8353 against 0.6408 there).
            """
        var cells: [Cell] = [
            .markdown(narrative),
            .code(source: """
                    X_train_scaled, X_val_scaled, X_test_scaled = scale_features(X_train_np, X_val_np, X_test_np)  # StandardScaler
                    dt_model = DecisionTreeClassifier(max_depth=\(config.maxDepth), min_samples_split=\(config.minSamplesSplit), random_state=\(config.randomState))
                    dt_model.fit(X_train_scaled, y_train_np)
                    """,
                  outputs: [.text(printed), .table(structure), .table(topTable)]),
        ]
        if let note = parts.substituteNote { cells.append(.code(source: "// deep-features backbone", outputs: [.warning(note)])) }
        cells += evaluation.cells(captionNote: parts.substituteNote ?? "")
        let quality = evaluation.qualityCells(seed: context.seed, datasetRoot: context.datasetRoot, captionNote: parts.substituteNote ?? "")
        cells += quality.cells
        cells.append(Self.reference)
        var headlines = evaluation.headlines(trainingSeconds: seconds, pretrained: true)
        headlines += quality.headlines
        headlines += [Headline("models.decision_tree.depth", .int(tree.depth), label: "Decision tree: depth reached"),
                      Headline("models.decision_tree.leaves", .int(tree.leafCount), label: "Decision tree: leaves"),
                      Headline("models.decision_tree.train_accuracy", .double(trainAccuracy), label: "Decision tree: train accuracy"),
                      Headline("models.decision_tree.val_accuracy", .double(validationAccuracy), label: "Decision tree: validation accuracy")]
        return SectionResult(cells: cells, headlines: headlines,
                             deviations: [parts.substituteDeviation(model: Self.displayName)].compactMap { $0 })
    }
}
