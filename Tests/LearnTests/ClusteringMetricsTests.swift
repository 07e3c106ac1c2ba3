import Foundation
import Testing
import _TestSupport
@testable import Learn

/// One labelled pair from `Tests/Fixtures/learn/clustering_metrics.json` (scikit-learn 1.9 values).
struct MetricCase: Decodable {
    var name: String
    var truth: [Int]
    var predicted: [Int]
    var ari: Double
    var nmi: Double
    var contingency: [[Int]]

    static func load() throws -> [MetricCase] {
        try JSONDecoder().decode([MetricCase].self,
                                 from: Data(contentsOf: TestPaths.fixture("learn/clustering_metrics.json")))
    }
}

@Suite("Clustering metrics")
struct ClusteringMetricsTests {
    @Test("ARI and NMI equal scikit-learn's to 1e-12 on the fixture label pairs")
    func parity() throws {
        var worstARI = 0.0, worstNMI = 0.0
        for c in try MetricCase.load() {
            let ari = adjustedRandIndex(c.truth, c.predicted)
            let nmi = normalizedMutualInformation(c.truth, c.predicted)
            worstARI = max(worstARI, abs(ari - c.ari)); worstNMI = max(worstNMI, abs(nmi - c.nmi))
            #expect(abs(ari - c.ari) <= 1e-12, "\(c.name): ARI \(ari) vs sklearn \(c.ari)")
            #expect(abs(nmi - c.nmi) <= 1e-12, "\(c.name): NMI \(nmi) vs sklearn \(c.nmi)")
        }
        print("clustering metrics: largest |ARI - sklearn| = \(worstARI), |NMI - sklearn| = \(worstNMI)")
    }

    @Test("The contingency table equals scikit-learn's contingency_matrix")
    func contingency() throws {
        for c in try MetricCase.load() {
            let table = ContingencyTable(truth: c.truth, predicted: c.predicted)
            #expect(table.counts == c.contingency, "\(c.name)")
            #expect(table.total == c.truth.count)
        }
    }

    @Test("Both scores are symmetric and invariant to renaming the clusters")
    func symmetryAndRenaming() {
        let a = [0, 0, 1, 1, 1, 2, 2, 3, 3, 3, 0, 1]
        let b = [1, 1, 1, 0, 0, 2, 2, 2, 3, 3, 0, 1]
        let renamed = b.map { [7, 4, 9, 5][$0] }
        #expect(adjustedRandIndex(a, b) == adjustedRandIndex(b, a))
        #expect(abs(normalizedMutualInformation(a, b) - normalizedMutualInformation(b, a)) < 1e-15)
        #expect(adjustedRandIndex(a, b) == adjustedRandIndex(a, renamed))
        #expect(abs(normalizedMutualInformation(a, b) - normalizedMutualInformation(a, renamed)) < 1e-15)
        // Identical partitions score 1.
        #expect(adjustedRandIndex(b, renamed) == 1)
        #expect(abs(normalizedMutualInformation(b, renamed) - 1) < 1e-15)
    }
}
