import Foundation
import Tensor

/// The shared input of the `tsne-17k` and `kmeans-17k` benchmarks: a seeded mixture of 8 Gaussian
/// clusters, 17,092 points (the study's image count) in 50 dimensions (the PCA width fed to t-SNE).
///
/// Generated once in Swift and written to a temporary `.npy`, so the Python reference reads exactly
/// the same numbers.
enum ClusterBenchmarkData {
    static let rows = StudySizes.images, columns = 50, clusters = 8

    /// Cluster centres with standard deviation 3 per coordinate, unit-variance noise around them.
    static func make(seed: UInt64 = 42) -> Matrix<Double> {
        var rng = SeededGenerator(seed: seed)
        let centres = (0..<(clusters * columns)).map { _ in 3 * rng.nextGaussian() }
        var x = Matrix<Double>(rows: rows, columns: columns)
        for i in 0..<rows {
            let c = Int.random(in: 0..<clusters, using: &rng)
            for j in 0..<columns { x.storage[i * columns + j] = centres[c * columns + j] + rng.nextGaussian() }
        }
        return x
    }

    /// Writes `x` as a little-endian float64 `.npy` (format 1.0) in a temporary file and returns its path.
    static func writeTemporaryNPY(_ x: Matrix<Double>, name: String) throws -> URL {
        let url = FileManager.default.temporaryDirectory.appendingPathComponent("bloodbench-\(name)-\(UUID().uuidString).npy")
        var header = "{'descr': '<f8', 'fortran_order': False, 'shape': (\(x.rows), \(x.columns)), }"
        // Magic (6) + version (2) + length (2) + header, padded with spaces to a multiple of 64, ending in \n.
        while (10 + header.utf8.count + 1) % 64 != 0 { header += " " }
        header += "\n"
        var data = Data([0x93] + Array("NUMPY".utf8) + [1, 0])
        let length = UInt16(header.utf8.count)
        data.append(contentsOf: [UInt8(length & 0xff), UInt8(length >> 8)])
        data.append(contentsOf: Array(header.utf8))
        x.storage.withUnsafeBytes { data.append(contentsOf: $0) }
        try data.write(to: url)
        return url
    }

    /// Wall-clock seconds of `body`.
    static func time(_ body: () -> Void) -> Double {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    }
}
