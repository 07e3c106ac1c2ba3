import Tensor
import Testing
@testable import Learn

@Suite("TorchStandardizer (the study's scale_features)")
struct TorchStandardizerTests {
    @Test("scaled training columns have mean 0 and unbiased standard deviation 1; a constant column becomes 0")
    func properties() {
        var rng = SeededGenerator(seed: 3)
        let n = 50, f = 4
        var x = Matrix<Float>(rows: n, columns: f)
        for i in 0..<n {
            x.storage[i * f + 0] = Float(rng.nextGaussian() * 3 + 10)
            x.storage[i * f + 1] = Float(rng.nextGaussian() * 0.01 - 2)
            x.storage[i * f + 2] = 7           // constant: std 0 → 1e-6, scaled to (7 − 7) / 1e-6 = 0
            x.storage[i * f + 3] = Float(i % 2)
        }
        let scaler = TorchStandardizer.fit(x)
        let scaled = scaler.transform(x)
        #expect(scaler.std[2] == 1e-6)
        for j in [0, 1, 3] {
            let column = (0..<n).map { Double(scaled.storage[$0 * f + j]) }
            let mean = column.reduce(0, +) / Double(n)
            let variance = column.map { ($0 - mean) * ($0 - mean) }.reduce(0, +) / Double(n - 1)
            // float32 arithmetic: a few ulps of 1.
            #expect(abs(mean) < 1e-5 && abs(variance - 1) < 1e-5, "column \(j): mean \(mean), variance \(variance)")
        }
        #expect((0..<n).allSatisfy { scaled.storage[$0 * f + 2] == 0 })
    }

    @Test("the deviation is torch's unbiased one (n − 1), not numpy's default (n)")
    func unbiased() {
        let x = Matrix<Float>(rows: 2, columns: 1, storage: [0, 2])
        // mean 1, squares 2, unbiased variance 2 / 1 → std √2 (numpy's biased one would be 1).
        #expect(TorchStandardizer.fit(x).std == [Float(2).squareRoot()])
    }
}
