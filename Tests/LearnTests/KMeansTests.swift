import Foundation
import Testing
import Tensor
import _TestSupport
@testable import Learn

struct KMeansFixture: Decodable {
    var k: Int
    var inertia: Double
    var labels: [Int]
}

@Suite("KMeans")
struct KMeansTests {
    func fixtures() throws -> [String: KMeansFixture] {
        try JSONDecoder().decode([String: KMeansFixture].self, from: Data(contentsOf: TestPaths.fixture("learn/kmeans.json")))
    }

    @Test("Best-of-10 inertia is within 1% of scikit-learn's on blobs (k 8) and digits (k 10)")
    func inertiaParity() throws {
        let blobs = try NPYArray(contentsOf: TestPaths.fixture("learn/kmeans_blobs_x.npy"))
        let digits = try NPYArray(contentsOf: TestPaths.fixture("learn/clustering_digits_x.npy"))
        let sets = ["blobs": Matrix(rows: blobs.shape[0], columns: blobs.shape[1], storage: blobs.values),
                    "digits": Matrix(rows: digits.shape[0], columns: digits.shape[1], storage: digits.values)]
        for (name, expected) in try fixtures() {
            var rng = SeededGenerator(seed: 42)
            let fit = KMeans(clusters: expected.k).fit(sets[name]!, using: &rng)
            let relative = (fit.inertia - expected.inertia) / expected.inertia
            let agreement = adjustedRandIndex(fit.labels, expected.labels)
            print("kmeans \(name): inertia \(fit.inertia) vs sklearn \(expected.inertia) (relative \(relative)), ARI with sklearn's labels \(agreement)")
            #expect(abs(relative) <= 0.01, "\(name)")
            if name == "blobs" { #expect(agreement > 0.999, "well-separated blobs give sklearn's partition") }
        }
    }

    @Test("Labels are nearest centres, centres are cluster means, inertia is the sum of squared distances")
    func fixedPoint() throws {
        var data = SeededGenerator(seed: 9)
        let x = Matrix<Double>(rows: 400, columns: 5, storage: (0..<2000).map { _ in data.nextGaussian() * 3 })
        var rng = SeededGenerator(seed: 1)
        let fit = KMeans(clusters: 4, initCount: 3).fit(x, using: &rng)
        var inertia = 0.0
        for i in 0..<x.rows {
            let d = (0..<4).map { c in (0..<5).reduce(0.0) { $0 + pow(x[i, $1] - fit.centers[c, $1], 2) } }
            #expect(d[fit.labels[i]] <= d.min()! + 1e-9)
            inertia += d[fit.labels[i]]
        }
        #expect(abs(inertia - fit.inertia) <= 1e-9 * inertia)
        for c in 0..<4 {
            let members = (0..<x.rows).filter { fit.labels[$0] == c }
            #expect(!members.isEmpty)
            for j in 0..<5 {
                let mean = members.reduce(0.0) { $0 + x[$1, j] } / Double(members.count)
                #expect(abs(mean - fit.centers[c, j]) < 1e-6)
            }
        }
    }

    @Test("The same seed gives the same clustering; more runs never raise the best inertia")
    func determinism() throws {
        var data = SeededGenerator(seed: 4)
        let x = Matrix<Double>(rows: 300, columns: 3, storage: (0..<900).map { _ in data.nextGaussian() })
        var a = SeededGenerator(seed: 7), b = SeededGenerator(seed: 7)
        let first = KMeans(clusters: 5).fit(x, using: &a), second = KMeans(clusters: 5).fit(x, using: &b)
        #expect(first.labels == second.labels && first.inertia == second.inertia)
        var c = SeededGenerator(seed: 7), d = SeededGenerator(seed: 7)
        let one = KMeans(clusters: 5, initCount: 1).fit(x, using: &c)
        let many = KMeans(clusters: 5, initCount: 10).fit(x, using: &d)
        #expect(many.inertia <= one.inertia + 1e-9)
    }

    @Test("A cluster left empty takes the sample farthest from its centre (sklearn's relocation)")
    func emptyClusterRelocation() {
        // Two identical starting centres: every sample ties and goes to the first, so the second is empty.
        let x = Matrix<Double>([[0, 0], [0.1, 0], [0, 0.1], [10, 10], [10.1, 10], [10, 10.1]])
        let start = Matrix<Double>([[5, 5], [5, 5]])
        let run = LloydRun.run(x, squaredNorms: BruteForceNeighbors.squaredRowNorms(x), centers: start,
                               maxIterations: 20, tolerance: 0)
        #expect(Set(run.labels).count == 2)
        #expect(run.labels[0] == run.labels[1] && run.labels[1] == run.labels[2])
        #expect(run.labels[3] == run.labels[4] && run.labels[4] == run.labels[5])
        #expect(abs(run.inertia - 4 * 0.01 * 2 / 3) < 1e-12)
    }
}
