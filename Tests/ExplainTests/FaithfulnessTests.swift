import Testing
@testable import Explain

/// Deletion and insertion curves on a model whose output is known: the probability of class 0 is
/// the share of the left half's pixels that are bright (the right half is ignored). The image's left
/// half is a checkerboard of white and black, so half of it is bright, and its blurred copy has no
/// bright pixel at all.
@Suite struct FaithfulnessTests {
    static let side = 8

    static func model(_ images: [[UInt8]]) -> [[Double]] {
        images.map { image in
            var bright = 0
            for y in 0..<side { for x in 0..<(side / 2) where image[(y * side + x) * 3] > 200 { bright += 1 } }
            let p = Double(bright) / Double(side * side / 2)
            return [p, 1 - p]
        }
    }

    static let image: [UInt8] = (0..<(side * side)).flatMap { p -> [UInt8] in
        let (x, y) = (p % side, p / side)
        guard x < side / 2 else { return [40, 40, 40] }
        return (x + y) % 2 == 0 ? [255, 255, 255] : [0, 0, 0]
    }

    @Test func areaIsTheTrapezoid() {
        #expect(shap.Faithfulness.area([0, 0.5, 1], [1, 1, 0]) == 0.75)
        #expect(shap.Faithfulness.area([0, 1], [0.2, 0.2]) == 0.2)
    }

    @Test func rankingIsLargestFirstTiesInPixelOrder() {
        #expect(shap.Faithfulness.ranking([0.1, 0.5, 0.5, -1]) == [1, 2, 0, 3])
    }

    @Test func mapOnTheUsedPixelsBeatsARandomOrder() {
        let side = Self.side
        // A map that puts the left half first, and one that puts it last.
        let faithful = (0..<(side * side)).map { Double(side - $0 % side) }
        let unfaithful = faithful.map { -$0 }
        let good = shap.Faithfulness.curves(image: Self.image, side: side, order: shap.Faithfulness.ranking(faithful),
                                            target: 0, steps: 16, model: Self.model)
        let bad = shap.Faithfulness.curves(image: Self.image, side: side, order: shap.Faithfulness.ranking(unfaithful),
                                           target: 0, steps: 16, model: Self.model)
        var generator = SplitMix64(state: 7)
        let random = shap.Faithfulness.curves(image: Self.image, side: side, order: Array(0..<(side * side)).shuffled(using: &generator),
                                              target: 0, steps: 16, model: Self.model)
        #expect(good.fractions.count == 17 && good.fractions.first == 0 && good.fractions.last == 1)
        // Deletion starts at the model's output on the image and ends on a black image (p = 0);
        // insertion starts on the blurred copy (no bright pixel) and ends on the image.
        #expect(good.deletion.first == 0.5 && good.deletion.last == 0)
        #expect(good.insertion.first == 0 && good.insertion.last == 0.5)
        print("deletion area: faithful \(good.deletionArea), random \(random.deletionArea), reversed \(bad.deletionArea); "
              + "insertion: \(good.insertionArea), \(random.insertionArea), \(bad.insertionArea)")
        #expect(good.deletionArea < random.deletionArea && random.deletionArea < bad.deletionArea)
        #expect(good.insertionArea > random.insertionArea && random.insertionArea > bad.insertionArea)
    }
}

/// A seeded generator for the random order (SplitMix64), so the test draws the same order every run.
private struct SplitMix64: RandomNumberGenerator {
    var state: UInt64
    mutating func next() -> UInt64 {
        state &+= 0x9E37_79B9_7F4A_7C15
        var z = state
        z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
        z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
        return z ^ (z >> 31)
    }
}
