/// Stratified shuffle split, as scikit-learn's `train_test_split(..., stratify=labels)`.
///
/// Port of the allocation in sklearn/model_selection/_split.py (`StratifiedShuffleSplit` and
/// `_approximate_mode`): the test size is `ceil(testFraction * n)`, each class gets the floor of
/// its exact share, and the images left over go to the classes with the largest remainders (ties
/// broken at random). The shuffling uses this project's seeded generator, so the split is
/// identical for the same seed, though not index-for-index the same as NumPy's.
public struct StratifiedSplit: Sendable {
    /// Fraction of the samples that go to the second part, in (0, 1).
    public var testFraction: Double

    public init(testFraction: Double) {
        precondition(testFraction > 0 && testFraction < 1, "testFraction must be in (0, 1), got \(testFraction)")
        self.testFraction = testFraction
    }

    /// Splits the sample indices `0..<labels.count` into (train, test), each shuffled.
    public func split(labels: [Int], using generator: inout some RandomNumberGenerator) -> (train: [Int], test: [Int]) {
        let n = labels.count
        guard n > 1 else { return (Array(0..<n), []) }
        let nTest = min(n - 1, max(1, Int((testFraction * Double(n)).rounded(.up))))
        let nTrain = n - nTest
        let classes = Array(Set(labels)).sorted()
        var members: [[Int]] = classes.map { _ in [] }
        let position = Dictionary(uniqueKeysWithValues: classes.enumerated().map { ($1, $0) })
        for (i, y) in labels.enumerated() { members[position[y]!].append(i) }
        let counts = members.map(\.count)
        let trainPerClass = Self.approximateMode(counts: counts, draws: nTrain, using: &generator)
        let remaining = zip(counts, trainPerClass).map { $0 - $1 }
        let testPerClass = Self.approximateMode(counts: remaining, draws: nTest, using: &generator)
        var train: [Int] = [], test: [Int] = []
        train.reserveCapacity(nTrain); test.reserveCapacity(nTest)
        for k in members.indices {
            let shuffled = members[k].shuffled(using: &generator)
            train += shuffled[0..<trainPerClass[k]]
            test += shuffled[trainPerClass[k]..<(trainPerClass[k] + testPerClass[k])]
        }
        return (train.shuffled(using: &generator), test.shuffled(using: &generator))
    }

    /// The most likely per-class draw counts of a multivariate hypergeometric draw of `draws`
    /// items from classes of size `counts` (scikit-learn's `_approximate_mode`).
    public static func approximateMode(counts: [Int], draws: Int,
                                       using generator: inout some RandomNumberGenerator) -> [Int] {
        let total = counts.reduce(0, +)
        guard total > 0 else { return counts.map { _ in 0 } }
        let continuous = counts.map { Double($0) / Double(total) * Double(draws) }
        var floored = continuous.map { Int($0.rounded(.down)) }
        var needToAdd = draws - floored.reduce(0, +)
        if needToAdd > 0 {
            let remainder = zip(continuous, floored).map { $0 - Double($1) }
            for value in Set(remainder).sorted(by: >) {
                let candidates = remainder.indices.filter { remainder[$0] == value }
                let chosen = candidates.shuffled(using: &generator).prefix(min(candidates.count, needToAdd))
                for k in chosen { floored[k] += 1 }
                needToAdd -= chosen.count
                if needToAdd == 0 { break }
            }
        }
        return floored
    }
}
