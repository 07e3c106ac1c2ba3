import Learn
import Testing

/// The study's 70/15/15 stratified split on the dataset's class sizes.
@Suite("StudySplit: 70 / 15 / 15 stratified")
struct StudySplitTests {
    /// The eight documented class sizes (basophil ... platelet).
    static let classSizes = [1218, 3117, 1551, 2895, 1214, 1420, 3329, 2348]
    static let labels: [Int] = classSizes.enumerated().flatMap { k, n in [Int](repeating: k, count: n) }

    @Test("Sizes are scikit-learn's on the full data: 11,964 / 2,564 / 2,564")
    func sizes() {
        let split = StudySplit(labels: Self.labels, seed: 42)
        #expect(split.train.count == 11_964)
        #expect(split.validation.count == 2_564)
        #expect(split.test.count == 2_564)
    }

    @Test("The three parts are disjoint and cover every sample")
    func partition() {
        let split = StudySplit(labels: Self.labels, seed: 7)
        let all = split.train + split.validation + split.test
        #expect(all.count == Self.labels.count)
        #expect(Set(all).count == Self.labels.count)
    }

    @Test("Each class's count in each part is within one image of its exact share")
    func stratified() {
        let split = StudySplit(labels: Self.labels, seed: 42)
        let total = Double(Self.labels.count)
        for part in [split.train, split.validation, split.test] {
            var counts = [Int](repeating: 0, count: Self.classSizes.count)
            for i in part { counts[Self.labels[i]] += 1 }
            for (k, n) in Self.classSizes.enumerated() {
                let exact = Double(n) / total * Double(part.count)
                #expect(abs(Double(counts[k]) - exact) <= 1, "class \(k): \(counts[k]) vs exact \(exact)")
            }
        }
    }

    @Test("The same seed gives the same split; another seed another one")
    func seeded() {
        #expect(StudySplit(labels: Self.labels, seed: 42) == StudySplit(labels: Self.labels, seed: 42))
        #expect(StudySplit(labels: Self.labels, seed: 42) != StudySplit(labels: Self.labels, seed: 43))
    }
}
