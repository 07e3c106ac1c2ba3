import Testing
import Tensor
@testable import Neural

/// `UniformFloat` must give exactly what `Float.random(in:using:)` gives, so seeded models built
/// through it keep the weights they had before it existed.
@Suite struct UniformFloatTests {
    @Test(arguments: [Float(0.5)...Float(0.5), -0.0361...0.0361, -2...3, 0...1])
    func matchesTheStandardLibraryDrawForDraw(range: ClosedRange<Float>) {
        var ours = SeededGenerator(seed: 42), stdlib = SeededGenerator(seed: 42)
        let drawn = UniformFloat.draws(200_000, in: range, using: &ours)
        for (i, value) in drawn.enumerated() {
            let expected = Float.random(in: range, using: &stdlib)
            #expect(value.bitPattern == expected.bitPattern, "draw \(i): \(value) vs \(expected)")
            if value.bitPattern != expected.bitPattern { return }
        }
        #expect(ours.next() == stdlib.next(), "both generators consumed the same number of words")
    }

    /// Lemire's rejection path (a low product under the threshold) only runs for rare words; a
    /// generator that returns such words first checks it is taken the same way.
    @Test func rejectionPathMatches() {
        struct Scripted: RandomNumberGenerator {
            var words: [UInt64]; var i = 0
            mutating func next() -> UInt64 { defer { i += 1 }; return words[i % words.count] }
        }
        // 0 and 1 give products whose low word is below 2^24 + 1.
        let words: [UInt64] = [0, 1, 0xFFFF_FFFF, 12345, 0x1_0000_0000, 7]
        var ours = Scripted(words: words), stdlib = Scripted(words: words)
        for _ in 0..<12 {
            #expect(UniformFloat.draw(in: -1...1, using: &ours).bitPattern == Float.random(in: -1...1, using: &stdlib).bitPattern)
        }
        #expect(ours.i == stdlib.i)
    }
}
