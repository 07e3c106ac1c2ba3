import Tensor

/// The study's 70 / 15 / 15 stratified split into training, validation and test sets:
///
/// ```python
/// train_df, temp_df = train_test_split(df, test_size=0.3, stratify=df['label'])
/// val_df, test_df = train_test_split(temp_df, test_size=0.5, stratify=temp_df['label'])
/// ```
///
/// Both steps use `StratifiedSplit` (scikit-learn's allocation), so on the 17,092 images the sizes
/// are scikit-learn's: 11,964 / 2,564 / 2,564, and every class's share of each part is within one
/// image of exact. Seeded: the same seed gives the same three index lists.
public struct StudySplit: Sendable, Equatable {
    /// Indices into the labels given to `init`, each list shuffled.
    public var train: [Int]
    public var validation: [Int]
    public var test: [Int]

    /// Splits `0..<labels.count`.
    /// - Parameters:
    ///   - labels: one class label per sample.
    ///   - seed: seeds the shuffles (the study's `--seed`, default 42).
    ///   - holdOut: fraction of the samples held out from training (0.3), then halved into
    ///     validation and test (`test_size=0.5`).
    public init(labels: [Int], seed: UInt64, holdOut: Double = 0.3) {
        var generator = SeededGenerator(seed: seed)
        let (train, temp) = StratifiedSplit(testFraction: holdOut).split(labels: labels, using: &generator)
        let tempLabels = temp.map { labels[$0] }
        let (validation, test) = StratifiedSplit(testFraction: 0.5).split(labels: tempLabels, using: &generator)
        self.train = train
        self.validation = validation.map { temp[$0] }
        self.test = test.map { temp[$0] }
    }
}
