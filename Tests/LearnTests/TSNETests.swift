import Foundation
import Testing
import Tensor
import _TestSupport
@testable import Learn

struct TSNEFixture: Decodable {
    var kl_divergence: Double
    var n_iter: Int
    var preservation10: Double
}

@Suite("TSNE")
struct TSNETests {
    @Test("On the digits, KL is within 5% of scikit-learn's and 10-NN preservation within 0.02")
    func digitsParity() throws {
        let raw = try NPYArray(contentsOf: TestPaths.fixture("learn/clustering_digits_x.npy"))
        let x = Matrix<Double>(rows: raw.shape[0], columns: raw.shape[1], storage: raw.values)
        let expected = try JSONDecoder().decode(TSNEFixture.self,
                                                from: Data(contentsOf: TestPaths.fixture("learn/tsne_digits.json")))
        let theirs = try NPYArray(contentsOf: TestPaths.fixture("learn/tsne_digits_embedding.npy"))
        let theirEmbedding = Matrix<Double>(rows: theirs.shape[0], columns: 2, storage: theirs.values)
        var rng = SeededGenerator(seed: 42)
        let result = TSNE(learningRate: 200).fit(x, using: &rng)
        let ours = neighborhoodPreservation(original: x, embedding: result.embedding)
        let reference = neighborhoodPreservation(original: x, embedding: theirEmbedding)
        let relative = (result.barnesHutKLDivergence - expected.kl_divergence) / expected.kl_divergence
        print("t-SNE digits: KL \(result.barnesHutKLDivergence) vs sklearn \(expected.kl_divergence) (relative \(relative)); "
              + "10-NN preservation \(ours) vs sklearn \(reference); iterations \(result.iterations)")
        #expect(abs(relative) <= 0.05)
        #expect(abs(ours - reference) <= 0.02)
        #expect(result.iterations == expected.n_iter + 1)
    }

    @Test("The affinities are symmetric, non-negative and sum to 1")
    func affinities() throws {
        var rng = SeededGenerator(seed: 5)
        let x = Matrix<Double>(rows: 120, columns: 4, storage: (0..<480).map { _ in rng.nextGaussian() })
        let k = 31
        let found = BruteForceNeighbors.search(query: x, training: x, k: k, kernel: .squaredEuclidean, excludeSelf: true)
        let p = SparseAffinities.joint(neighbors: found.indices, squaredDistances: found.distances, n: 120, k: k, perplexity: 10)
        var dense = [[Double]](repeating: [Double](repeating: 0, count: 120), count: 120)
        for i in 0..<120 {
            let cols = Array(p.columns[p.rowStart[i]..<p.rowStart[i + 1]])
            #expect(cols == cols.sorted() && Set(cols).count == cols.count)
            for e in p.rowStart[i]..<p.rowStart[i + 1] { dense[i][p.columns[e]] = p.values[e] }
        }
        var worst = 0.0
        for i in 0..<120 { for j in 0..<120 { worst = max(worst, abs(dense[i][j] - dense[j][i])) } }
        #expect(worst < 1e-15)
        #expect(p.values.allSatisfy { $0 >= 0 })
        #expect(abs(p.values.reduce(0, +) - 1) < 1e-12)
    }

    @Test("With θ = 0 the Barnes–Hut gradient equals the exact t-SNE gradient")
    func exactGradient() {
        var rng = SeededGenerator(seed: 11)
        let n = 60
        let x = Matrix<Double>(rows: n, columns: 3, storage: (0..<(3 * n)).map { _ in rng.nextGaussian() })
        let k = 20
        let found = BruteForceNeighbors.search(query: x, training: x, k: k, kernel: .squaredEuclidean, excludeSelf: true)
        let p = SparseAffinities.joint(neighbors: found.indices, squaredDistances: found.distances, n: n, k: k, perplexity: 6)
        let y = (0..<(2 * n)).map { _ in rng.nextGaussian() }
        var objective = BarnesHutGradient()
        var grad = [Double](repeating: 0, count: 2 * n)
        let kl = y.withUnsafeBufferPointer { yp in
            grad.withUnsafeMutableBufferPointer { g in
                objective.evaluate(positions: yp, affinities: p, exaggeration: 1, angle: 0, computeError: true, gradient: g)
            }
        }
        // Exact: dC/dy_i = 4 Σ_j (p_ij − q_ij) q_ij Z (y_i − y_j), KL = Σ p log(p/q).
        var dense = [Double](repeating: 0, count: n * n)
        for i in 0..<n { for e in p.rowStart[i]..<p.rowStart[i + 1] { dense[i * n + p.columns[e]] = p.values[e] } }
        var w = [Double](repeating: 0, count: n * n), z = 0.0
        for i in 0..<n { for j in 0..<n where i != j {
            let dx = y[2 * i] - y[2 * j], dy = y[2 * i + 1] - y[2 * j + 1]
            w[i * n + j] = 1 / (1 + dx * dx + dy * dy); z += w[i * n + j]
        } }
        var worst = 0.0, exactKL = 0.0
        for i in 0..<n {
            var gx = 0.0, gy = 0.0
            for j in 0..<n where i != j {
                let q = w[i * n + j] / z
                let f = 4 * (dense[i * n + j] - q) * w[i * n + j]
                gx += f * (y[2 * i] - y[2 * j]); gy += f * (y[2 * i + 1] - y[2 * j + 1])
                if dense[i * n + j] > 0 { exactKL += dense[i * n + j] * log(dense[i * n + j] / q) }
            }
            worst = max(worst, abs(gx - grad[2 * i]), abs(gy - grad[2 * i + 1]))
        }
        #expect(worst < 1e-12)
        #expect(abs(kl - exactKL) < 1e-12)
    }

    @Test("Random initialisation is reproducible from the seed")
    func seeded() {
        var data = SeededGenerator(seed: 2)
        let x = Matrix<Double>(rows: 80, columns: 5, storage: (0..<400).map { _ in data.nextGaussian() })
        var a = SeededGenerator(seed: 3), b = SeededGenerator(seed: 3)
        let tsne = TSNE(perplexity: 10, maxIterations: 300, initialization: .random)
        #expect(tsne.fit(x, using: &a).embedding == tsne.fit(x, using: &b).embedding)
    }

    @Test("Progress is reported every 50 iterations and once at the end")
    func progressReports() {
        var data = SeededGenerator(seed: 8)
        let x = Matrix<Double>(rows: 60, columns: 4, storage: (0..<240).map { _ in data.nextGaussian() })
        var rng = SeededGenerator(seed: 1)
        var seen: [Int] = []
        let result = TSNE(perplexity: 5, maxIterations: 300).fit(x, using: &rng) { done, total in
            #expect(total == 300)
            seen.append(done)
        }
        #expect(seen == [50, 100, 150, 200, 250, 300, 300])
        #expect(result.iterations == 300)
        #expect(result.klDivergence.isFinite && result.klDivergence > 0)
    }
}

/// Duplicate rows: scikit-learn's Barnes-Hut KL estimate goes negative, the exact KL does not.
/// Fixture: Tests/Fixtures/tools/tsne_duplicates.py (every row of 160 twice, sklearn 1.9).
@Suite("TSNE KL divergence with duplicate rows")
struct TSNEDuplicateRowsTests {
    struct Fixture: Decodable { var kl_divergence: Double; var exact_kl_divergence: Double; var n_iter: Int }

    @Test("The reported KL is exact and positive; the Barnes-Hut estimate is negative as scikit-learn's is")
    func duplicates() throws {
        let raw = try NPYArray(contentsOf: TestPaths.fixture("learn/tsne_duplicates_x.npy"))
        let x = Matrix<Double>(rows: raw.shape[0], columns: raw.shape[1], storage: raw.values)
        let expected = try JSONDecoder().decode(Fixture.self, from: Data(contentsOf: TestPaths.fixture("learn/tsne_duplicates.json")))
        var rng = SeededGenerator(seed: 42)
        let result = TSNE(perplexity: 30, learningRate: 200, maxIterations: 500).fit(x, using: &rng)
        print("t-SNE duplicates: exact KL \(result.klDivergence) (sklearn's embedding \(expected.exact_kl_divergence)), "
              + "Barnes-Hut \(result.barnesHutKLDivergence) (sklearn \(expected.kl_divergence))")
        #expect(expected.kl_divergence < 0)   // the fixture's premise: sklearn prints a negative "KL"
        #expect(result.barnesHutKLDivergence < 0)
        #expect(result.klDivergence > 0)
        // Different optimisers' embeddings (float64 here, float32 there): their exact KLs agree within 25%.
        #expect(abs(result.klDivergence - expected.exact_kl_divergence) <= 0.25 * expected.exact_kl_divergence)
    }

    @Test("The exact KL equals a dense computation of Σ p log(p / q)")
    func exactMatchesDense() {
        var data = SeededGenerator(seed: 3)
        let n = 50
        let x = Matrix<Double>(rows: n, columns: 3, storage: (0..<(3 * n)).map { _ in data.nextGaussian() })
        let k = 20
        let found = BruteForceNeighbors.search(query: x, training: x, k: k, kernel: .squaredEuclidean, excludeSelf: true)
        let p = SparseAffinities.joint(neighbors: found.indices, squaredDistances: found.distances, n: n, k: k, perplexity: 6)
        let y = (0..<(2 * n)).map { _ in data.nextGaussian() }
        var z = 0.0
        for i in 0..<n { for j in 0..<n where i != j {
            z += 1 / (1 + pow(y[2 * i] - y[2 * j], 2) + pow(y[2 * i + 1] - y[2 * j + 1], 2))
        } }
        var kl = 0.0
        for i in 0..<n { for e in p.rowStart[i]..<p.rowStart[i + 1] {
            let j = p.columns[e]
            let q = 1 / (1 + pow(y[2 * i] - y[2 * j], 2) + pow(y[2 * i + 1] - y[2 * j + 1], 2)) / z
            kl += p.values[e] * log(p.values[e] / q)
        } }
        // Same sums in a different order: agreement to rounding.
        #expect(abs(p.exactKLDivergence(positions: y) - kl) <= 1e-12 * max(1, abs(kl)))
    }
}
