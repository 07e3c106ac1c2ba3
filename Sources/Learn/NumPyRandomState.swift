/// The part of `numpy.random.RandomState(seed)` that scikit-learn's trees use: MT19937 seeded from
/// an integer (legacy `init_genrand` seeding) and `randint(0, high)` by masked rejection sampling,
/// so that `DecisionTreeClassifier(random_state=42)` draws the same splitter seed here.
///
/// Port of numpy/random/src/mt19937/mt19937.c (`mt19937_seed`, `mt19937_gen`, `mt19937_next32`) and
/// the masked branch of `random_bounded_uint64_fill` (numpy/random/src/distributions/distributions.c).
struct NumPyRandomState {
    private var key = [UInt32](repeating: 0, count: 624)
    private var position = 624

    init(seed: UInt32) {
        var s = seed
        for i in 0..<624 {
            key[i] = s
            s = 1_812_433_253 &* (s ^ (s >> 30)) &+ UInt32(i + 1)
        }
    }

    mutating func nextUInt32() -> UInt32 {
        if position == 624 { regenerate() }
        var y = key[position]
        position += 1
        y ^= y >> 11
        y ^= (y << 7) & 0x9D2C_5680
        y ^= (y << 15) & 0xEFC6_0000
        y ^= y >> 18
        return y
    }

    /// Refills the state in place: entries past i + 397 wrap to the already-updated start, as in the C code.
    private mutating func regenerate() {
        for i in 0..<624 {
            let y = (key[i] & 0x8000_0000) | (key[(i + 1) % 624] & 0x7FFF_FFFF)
            key[i] = key[(i + 397) % 624] ^ (y >> 1) ^ ((y & 1) != 0 ? 0x9908_B0DF : 0)
        }
        position = 0
    }

    /// `randint(0, high)` for 1 ≤ high ≤ 2³²: draws masked to the smallest covering power of two
    /// until one falls in range (a range of one value draws nothing, as in numpy).
    mutating func randint(_ high: Int) -> Int {
        precondition(high >= 1 && high <= 1 << 32, "randint(0, \(high)) outside the 32-bit range")
        let range = UInt32(high - 1)
        if range == 0 { return 0 }
        var mask = range
        mask |= mask >> 1; mask |= mask >> 2; mask |= mask >> 4; mask |= mask >> 8; mask |= mask >> 16
        while true {
            let value = nextUInt32() & mask
            if value <= range { return Int(value) }
        }
    }
}
