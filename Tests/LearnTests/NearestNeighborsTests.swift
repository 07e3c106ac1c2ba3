import Foundation
import Testing
import Tensor
import _TestSupport
@testable import Learn

/// The digits standardised inline (population std, constant columns left at 0), as the fixture tool does.
func standardizedDigits() throws -> Matrix<Double> {
    let raw = try NPYArray(contentsOf: TestPaths.fixture("learn/clustering_digits_x.npy"))
    let n = raw.shape[0], d = raw.shape[1]
    var x = Matrix<Double>(rows: n, columns: d, storage: raw.values)
    for j in 0..<d {
        var mean = 0.0
        for i in 0..<n { mean += x[i, j] }
        mean /= Double(n)
        var variance = 0.0
        for i in 0..<n { variance += (x[i, j] - mean) * (x[i, j] - mean) }
        var std = (variance / Double(n)).squareRoot()
        if std == 0 { std = 1 }
        for i in 0..<n { x[i, j] = (x[i, j] - mean) / std }
    }
    return x
}

@Suite("NearestNeighbors")
struct NearestNeighborsTests {
    /// Compares our neighbour lists of every digit with scikit-learn's. An index may differ only where
    /// scikit-learn's own distances tie (order among equal distances is unspecified there).
    func checkParity(metric: NearestNeighbors.Metric) throws {
        let x = try standardizedDigits()
        let expectedIndices = try NPYArray(contentsOf: TestPaths.fixture("learn/neighbors_digits_\(metric)_indices.npy"))
        let expectedDistances = try NPYArray(contentsOf: TestPaths.fixture("learn/neighbors_digits_\(metric)_distances.npy"))
        let k = expectedIndices.shape[1]
        let fitted = NearestNeighbors(neighbors: k, metric: metric).fit(x)
        let (indices, distances) = fitted.kneighbors(x)
        var mismatches = 0, worst = 0.0
        for i in 0..<x.rows {
            for r in 0..<k {
                let theirs = expectedIndices.ints[i * k + r], theirDistance = expectedDistances.values[i * k + r]
                worst = max(worst, abs(distances[i][r] - theirDistance))
                if indices[i][r] != theirs {
                    // Acceptable only if the index we returned is at the same distance (a tie).
                    let tied = (0..<k).contains { abs(expectedDistances.values[i * k + $0] - theirDistance) < 1e-9
                        && expectedIndices.ints[i * k + $0] == indices[i][r] }
                    if !tied { mismatches += 1 }
                }
            }
        }
        print("kneighbors \(metric): \(mismatches) index mismatches outside ties, largest distance difference \(worst)")
        #expect(mismatches == 0)
        // Both sides use the expanded form ‖q‖² − 2q·x + ‖x‖²; at a distance near 0 (the query itself)
        // its cancellation leaves ~1e-12 of a squared distance of magnitude ‖x‖² ≈ 64, whose square root
        // is ~1e-6. Cosine distances have no square root and agree to rounding.
        #expect(worst < (metric == .cosine ? 1e-12 : 2e-6))
    }

    @Test("Cosine neighbours of every standardised digit equal scikit-learn's")
    func cosineParity() throws { try checkParity(metric: .cosine) }

    @Test("Euclidean neighbours of every standardised digit equal scikit-learn's")
    func euclideanParity() throws { try checkParity(metric: .euclidean) }

    @Test("A training row is its own first neighbour; kneighborsOfTrainingSet leaves it out")
    func selfInclusion() throws {
        let x = try standardizedDigits().rows(Array(0..<200))
        let fitted = NearestNeighbors(neighbors: 4, metric: .cosine).fit(x)
        let withSelf = fitted.kneighbors(x)
        let without = fitted.kneighborsOfTrainingSet()
        for i in 0..<x.rows {
            #expect(withSelf.indices[i][0] == i)
            #expect(withSelf.distances[i][0] < 1e-12)
            #expect(!without.indices[i].contains(i))
            // Leaving the point out shifts the list by one.
            #expect(Array(withSelf.indices[i].dropFirst()) == Array(without.indices[i].prefix(3)))
        }
    }

    @Test("Distances come back sorted ascending and cosine distances lie in [0, 2]")
    func sortedAndBounded() throws {
        var rng = SeededGenerator(seed: 3)
        let x = Matrix<Double>(rows: 300, columns: 7, storage: (0..<2100).map { _ in rng.nextGaussian() })
        let (_, distances) = NearestNeighbors(neighbors: 10, metric: .cosine).fit(x).kneighbors(x.rows([0, 5, 9]))
        for row in distances {
            #expect(row == row.sorted())
            #expect(row.allSatisfy { $0 >= 0 && $0 <= 2 })
        }
    }
}
