import Foundation
import Learn
import Report
@testable import Study
import Tensor
import Testing
import _TestSupport

/// Checks of the k-means and nearest-neighbour steps against what they stored, recomputed here
/// independently (plain loops, no shared code path beyond the clustering metrics).
enum EDAChecks {
    static func reader(_ run: StudyRun, cache: URL, step: String) throws -> ArtifactReader {
        let record = try #require(run.records.first { $0.id == step })
        return ArtifactReader(step: step, folder: StepCache(root: cache).entry(step, record.inputHash))
    }

    static func headlines(_ run: StudyRun) -> [String: JSONValue] {
        Dictionary(run.results.values.flatMap(\.headlines).map { ($0.key, $0.value) }, uniquingKeysWith: { a, _ in a })
    }

    /// k-means: as many clusters as configured, ARI and NMI equal to the metrics of the stored
    /// clusters against the classes, and the inertia equal to the within-cluster sum of squares of
    /// the PCA projections around the cluster means (k-means stops when the centres stop moving,
    /// so within 1e-3 relative; never below it, since the means minimise that sum).
    static func kmeans(_ run: StudyRun, cache: URL) throws {
        let sample = try reader(run, cache: cache, step: "hog").read(EDASample.self, "sample")
        let clusters = try reader(run, cache: cache, step: "kmeans-hog").read([Int].self, "clusters")
        let projections = try reader(run, cache: cache, step: "pca-hog").readMatrix("projections")
        let h = headlines(run)
        #expect(clusters.count == sample.count)
        #expect(Set(clusters).count == run.config.kmeans.clusters)
        #expect(h["kmeans.hog.ari"] == .double(adjustedRandIndex(sample.labels, clusters)))
        #expect(h["kmeans.hog.nmi"] == .double(normalizedMutualInformation(sample.labels, clusters)))
        guard case let .double(inertia) = h["kmeans.hog.inertia"] else { Issue.record("no inertia"); return }
        let d = projections.columns
        var sums = [[Double]](repeating: [Double](repeating: 0, count: d), count: run.config.kmeans.clusters)
        var counts = [Int](repeating: 0, count: run.config.kmeans.clusters)
        for (i, c) in clusters.enumerated() {
            counts[c] += 1
            for j in 0..<d { sums[c][j] += Double(projections.storage[i * d + j]) }
        }
        var within = 0.0
        for (i, c) in clusters.enumerated() {
            for j in 0..<d {
                let diff = Double(projections.storage[i * d + j]) - sums[c][j] / Double(counts[c])
                within += diff * diff
            }
        }
        #expect(inertia >= within * (1 - 1e-9), "inertia \(inertia) below the within-cluster sum of squares \(within)")
        #expect(inertia <= within * (1 + 1e-3), "inertia \(inertia) vs within-cluster sum of squares \(within)")
    }

    /// Nearest neighbours: every printed query line names, in order, the nearest images by cosine
    /// distance between standardised HOG rows (recomputed here by brute force), with their distances.
    static func neighbours(_ run: StudyRun, cache: URL) throws {
        let hog = try reader(run, cache: cache, step: "hog")
        let sample = try hog.read(EDASample.self, "sample")
        let x = try hog.readMatrix("hog")
        let n = x.rows, d = x.columns
        // StandardScaler: population standard deviation, 1 where it is 0.
        var mean = [Double](repeating: 0, count: d), scale = [Double](repeating: 0, count: d)
        for i in 0..<n { for j in 0..<d { mean[j] += Double(x.storage[i * d + j]) } }
        for j in 0..<d { mean[j] /= Double(n) }
        for i in 0..<n { for j in 0..<d { let v = Double(x.storage[i * d + j]) - mean[j]; scale[j] += v * v } }
        for j in 0..<d { scale[j] = scale[j] > 0 ? (scale[j] / Double(n)).squareRoot() : 1 }
        let scaled = (0..<n).map { i in (0..<d).map { j in (Double(x.storage[i * d + j]) - mean[j]) / scale[j] } }
        func cosineDistance(_ a: [Double], _ b: [Double]) -> Double {
            var dot = 0.0, na = 0.0, nb = 0.0
            for j in a.indices { dot += a[j] * b[j]; na += a[j] * a[j]; nb += b[j] * b[j] }
            return 1 - dot / (na.squareRoot() * nb.squareRoot())
        }
        let result = try #require(run.results["neighbours-hog"])
        let printed = result.cells.flatMap { cell -> [String] in
            guard case let .code(_, outputs) = cell else { return [] }
            return outputs.compactMap { if case let .text(t) = $0 { t } else { nil } }
        }.joined(separator: "\n").split(separator: "\n").filter { $0.hasPrefix("Query ") }
        let k = run.config.knn.neighbours
        #expect(printed.count == run.config.knn.queries)
        var same = 0
        for line in printed {
            // "Query <path> (<class>): <class> (<distance>), ..."
            let head = line.dropFirst("Query ".count)
            let path = String(head[..<head.range(of: " (")!.lowerBound])
            let q = try #require(sample.paths.firstIndex(of: path))
            let expected = (0..<n).filter { $0 != q }
                .map { (index: $0, distance: cosineDistance(scaled[q], scaled[$0])) }
                .sorted { $0.distance < $1.distance }.prefix(k)
            let listed = line[line.range(of: "): ")!.upperBound...].components(separatedBy: "), ")
            #expect(listed.count == k)
            for (entry, want) in zip(listed, expected) {
                let parts = entry.replacingOccurrences(of: ")", with: "").components(separatedBy: " (")
                #expect(parts[0] == sample.classes[sample.labels[want.index]], "\(line)")
                #expect(abs((Double(parts[1]) ?? .nan) - want.distance) <= 0.0005 + 1e-9, "\(line)")
                if want.index != q && sample.labels[want.index] == sample.labels[q] { same += 1 }
            }
        }
        #expect(headlines(run)["neighbours.hog.same_class"] == .double(Double(same) / Double(printed.count * k)))
    }
}
