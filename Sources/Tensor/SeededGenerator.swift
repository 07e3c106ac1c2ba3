import Foundation

/// A small, fast, seedable random number generator (xoshiro256**), so every random routine of the
/// study (shuffling, initialisation, k-means++, t-SNE, SHAP sampling) is reproducible from `--seed`.
///
/// Seeding goes through SplitMix64, as the xoshiro authors recommend, so nearby seeds give
/// unrelated streams. Reference: Blackman & Vigna, "Scrambled linear pseudorandom number
/// generators" (2018).
///
///     var rng = SeededGenerator(seed: 42)
///     let x = Double.random(in: 0..<1, using: &rng)
public struct SeededGenerator: RandomNumberGenerator, Sendable {
    private var s0, s1, s2, s3: UInt64

    public init(seed: UInt64) {
        var sm = seed
        func splitMix() -> UInt64 {
            sm &+= 0x9E37_79B9_7F4A_7C15
            var z = sm
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        s0 = splitMix(); s1 = splitMix(); s2 = splitMix(); s3 = splitMix()
    }

    public mutating func next() -> UInt64 {
        let result = rotl(s1 &* 5, 7) &* 9
        let t = s1 << 17
        s2 ^= s0; s3 ^= s1; s1 ^= s2; s0 ^= s3
        s2 ^= t
        s3 = rotl(s3, 45)
        return result
    }

    /// An independent generator for a sub-task (a worker thread, a step of the pipeline), derived
    /// from this one's seed and a stream number, so parallel work stays deterministic.
    public static func stream(seed: UInt64, _ stream: UInt64) -> SeededGenerator {
        SeededGenerator(seed: seed &+ 0xA076_1D64_78BD_642F &* (stream &+ 1))
    }

    @inline(__always) private func rotl(_ x: UInt64, _ k: UInt64) -> UInt64 { (x << k) | (x >> (64 - k)) }
}

extension RandomNumberGenerator {
    /// A standard normal draw (Box–Muller), used for weight initialisation and t-SNE's start.
    public mutating func nextGaussian() -> Double {
        var u1 = 0.0
        repeat { u1 = Double.random(in: 0..<1, using: &self) } while u1 <= Double.leastNormalMagnitude
        let u2 = Double.random(in: 0..<1, using: &self)
        return (-2 * log(u1)).squareRoot() * cos(2 * Double.pi * u2)
    }
}

