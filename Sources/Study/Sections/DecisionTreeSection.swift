import Foundation
import Learn
import Report
import Tensor

/// The decision tree on the deep features (In [214]–[221]): `StandardScaler` on the training
/// part, then CART with Gini impurity (`DecisionTreeClassifier(max_depth, min_samples_split,
/// random_state)` from the profile), and the evaluation every model page shares, plus the tree's
/// depth, leaf count and most important features.
public struct DecisionTreeSection: ComputedSection {
    public let id = "decision-tree"
    public let title = "Decision tree on deep features"
    public let dependencies = ["split", "deep-features"]
    public let usesDataset = false
    public let version = 3
    public let configKeys = ["decision_tree"]
    static let key = "decision_tree"
    static let keys = FeatureModelKeys.decisionTree
    static let displayName = "Decision tree"
    static let topFeatures = 15

    public init() {}

    public func inputs(_ config: StudyConfig) -> StepInputs {
        StepInputs().adding("decision_tree", config.decisionTree)
    }

    static var reference: Cell {
        let printed = DocumentedResults.decisionTreeAccuracies
        return Cell.reference(
            text: """
                Decision Tree training finished. Total time: \(DocumentedResults.decisionTreeFitSeconds.printed)s
                Final Accuracy (Decision Tree):
                  Train: \(Fmt.fixed(printed.train, 4))
                  Validation: \(Fmt.fixed(printed.validation, 4))
                  Test: \(Fmt.fixed(printed.test, 4))
                … The model suffers from substantial overfitting, as evidenced by the large gap between training and testing accuracy. … It handles platelets and eosinophils adequately but struggles considerably with monocytes, basophils, and lymphocytes.
                """,
            source: "documented study, In [218]–[219] and the analysis after In [220] (ViT-B/16 features)")
    }

    /// What the fit and evaluation found: everything the page shows.
    public struct Result: Codable, Sendable {
        /// Nil when the deep-features step extracted no features (the page says why).
        var trained: Trained?

        struct Trained: Codable, Sendable {
            var features: FeatureSource
            var maxDepth: Int, minSamplesSplit: Int, randomState: Int
            var depth: Int, leaves: Int, nodes: Int
            /// Normalised Gini importance of each feature.
            var importances: [Double]
            var metrics: FeatureModelMetrics
            var evaluation: StoredEvaluation
            /// The run's seed, which draws the page's bootstrap resamples.
            var seed: UInt64
        }
    }

    public func compute(_ context: StudyContext) throws -> Result {
        let (index, loaded) = try DeepFeatureParts.load(context)
        guard let parts = loaded else { return Result(trained: nil) }
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
        return Result(trained: .init(
            features: parts.source, maxDepth: config.maxDepth, minSamplesSplit: config.minSamplesSplit, randomState: config.randomState,
            depth: tree.depth, leaves: tree.leafCount, nodes: tree.nodeCount, importances: tree.featureImportances,
            metrics: FeatureModelMetrics(evaluation, trainAccuracy: trainAccuracy, validationAccuracy: validationAccuracy, trainSeconds: seconds),
            evaluation: StoredEvaluation(evaluation, datasetRoot: context.datasetRoot), seed: context.seed))
    }

    public func page(_ result: Result) -> SectionResult {
        guard let run = result.trained else {
            return FeatureModelPages.skipped(keys: Self.keys, title: title, reason: DeepFeaturesIndex.missingFeaturesReason,
                                             reference: Self.reference)
        }
        let parts = run.features, metrics = run.metrics
        let evaluation = run.evaluation.evaluation
        let (seconds, trainAccuracy, validationAccuracy) = (metrics.trainSeconds, metrics.trainAccuracy, metrics.validationAccuracy)
        let documented = DocumentedResults.decisionTreeAccuracies, narrated = DocumentedResults.decisionTreeNarrative
        let substitute = parts.substituteNote.map { " " + $0 } ?? ""
        let importances = run.importances
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
                              rows: [["max_depth (setting)", String(DocumentedResults.decisionTreeMaxDepth), String(run.maxDepth)],
                                     ["Depth reached", "—", String(run.depth)],
                                     ["Leaves", "—", Fmt.int(run.leaves)],
                                     ["Nodes", "—", Fmt.int(run.nodes)],
                                     ["Fit seconds", "\(DocumentedResults.decisionTreeFitSeconds.printed) (fit and two scores, the study's machine)", String(format: "%.2f", seconds)],
                                     ["Train accuracy", Fmt.fixed(documented.train, 4), Fmt.fixed(trainAccuracy, 4)],
                                     ["Validation accuracy", Fmt.fixed(documented.validation, 4), Fmt.fixed(validationAccuracy, 4)]],
                              note: "Documented accuracies: the printed ones (\(documented.source)). The study's narrative after In [220] states "
                                  + "other numbers, \(Fmt.fixed(100 * narrated.train, 1))% on training and \(Fmt.fixed(100 * narrated.test, 1))% on test, "
                                  + "which no printed output shows; this report compares with the printed \(Fmt.fixed(documented.train, 4)) and \(Fmt.fixed(documented.test, 4)).")
        let printed = """
            Training Decision Tree model...
            Decision Tree training finished. Total time: \(String(format: "%.2f", seconds))s
            Train Accuracy: \(String(format: "%.4f", trainAccuracy))
            Validation Accuracy: \(String(format: "%.4f", validationAccuracy))

            Final Accuracy (Decision Tree):
              Train: \(String(format: "%.4f", trainAccuracy))
              Validation: \(String(format: "%.4f", validationAccuracy))
              Test: \(String(format: "%.4f", metrics.testAccuracy))
            """
        let narrative = """
            ## A tree of axis-aligned rules

            The study's second classifier on the same deep features: `StandardScaler` on the training part, then \
            a CART tree with Gini impurity, `max_depth` \(run.maxDepth), `min_samples_split` \(run.minSamplesSplit), \
            ties between equally good splits broken as scikit-learn's `DecisionTreeClassifier(random_state=\(run.randomState))` \
            does.\(substitute) Fitting on \(Fmt.int(parts.trainImages)) x \(parts.featureWidth) took \(Fmt.seconds(seconds)) and grew \
            a tree of depth \(run.depth) with \(Fmt.int(run.leaves)) leaves. Accuracy: **\(Fmt.fixed(trainAccuracy, 4))** on \
            the training part, **\(Fmt.fixed(validationAccuracy, 4))** on validation, **\(Fmt.fixed(metrics.testAccuracy, 4))** \
            on test; the gap between the first and the others is the overfitting the study describes (\(Fmt.fixed(documented.train, 4)) against \(Fmt.fixed(documented.test, 4)) there).
            """
        var cells: [Cell] = [
            .markdown(narrative),
            .code(source: """
                    X_train_scaled, X_val_scaled, X_test_scaled = scale_features(X_train_np, X_val_np, X_test_np)  # StandardScaler
                    dt_model = DecisionTreeClassifier(max_depth=\(run.maxDepth), min_samples_split=\(run.minSamplesSplit), random_state=\(run.randomState))
                    dt_model.fit(X_train_scaled, y_train_np)
                    """,
                  outputs: [.text(printed), .table(structure), .table(topTable)]),
        ]
        if let note = parts.substituteNote { cells.append(.code(source: "// deep-features backbone", outputs: [.warning(note)])) }
        cells += evaluation.cells(captionNote: parts.substituteNote ?? "")
        cells += FeatureModelPages.studyComparisonCells(evaluation, keys: Self.keys, metrics: metrics, study: DocumentedResults.decisionTreeReport,
                                                        captionNote: parts.substituteNote ?? "")
        let quality = evaluation.qualityCells(seed: run.seed, thumbnails: run.evaluation.thumbnails, keys: Self.keys.uncertainty, captionNote: parts.substituteNote ?? "")
        cells += quality.cells
        cells.append(Self.reference)
        let headlines = metrics.headlines(Self.keys, displayName: Self.displayName)
        return SectionResult(cells: cells,
                             headlines: headlines.prefix(6) + quality.headlines
                                 + [Headline("models.decision_tree.depth", .int(run.depth), label: "Decision tree: depth reached"),
                                    Headline("models.decision_tree.leaves", .int(run.leaves), label: "Decision tree: leaves")]
                                 + headlines.dropFirst(6),
                             deviations: [parts.substituteDeviation(model: Self.displayName)].compactMap { $0 })
    }
}
