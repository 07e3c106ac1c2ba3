import Foundation
import Testing
import Imaging
import Tensor
import _TestSupport

/// Parity with `skimage.feature.hog` (fixtures from Tests/Fixtures/tools/make_hog_fixtures.py).
///
/// Tolerance 1e-5: skimage returns float64 and we return Float32 (values are at most 0.2 after
/// L2-Hys, so rounding alone is below 1e-8); the cell sums themselves are the same Float32
/// additions as skimage's, so anything above rounding would be a real disagreement.
@Suite struct HOGTests {
    static func greyImage(_ name: String) throws -> Image {
        let array = try NPYArray(contentsOf: TestPaths.fixture("hog/\(name).npy"))
        return Image(width: array.shape[1], height: array.shape[0], channels: 1, pixels: array.bytes)
    }

    @Test func studyParametersGive44100Values() {
        // 36 x 36 cells, 35 x 35 blocks of 2 x 2 cells x 9 bins = 44,100.
        #expect(HOG.study.featureLength(width: 360, height: 360) == 44_100)
    }

    @Test(arguments: 0..<5)
    func matchesScikitImageOnDatasetImages(index: Int) throws {
        let grey = try Self.greyImage("grey_\(index)")
        let expected = try NPYArray(contentsOf: TestPaths.fixture("hog/hog_\(index).npy")).floats
        let ours = HOG.study.features(of: grey)
        #expect(ours.count == 44_100)
        let worst = maxAbsDifference(ours, expected)
        print("HOG image \(index): max |ours - skimage| = \(worst)")
        #expect(worst <= 1e-5)
    }

    @Test func matchesScikitImageOnOddGeometry() throws {
        // 37 x 45 pixels, 8 x 6 cells (partial cells at the edges are dropped), 3 x 2 blocks, 12 bins.
        let small = try Self.greyImage("small")
        for (norm, file) in [(HOG.BlockNorm.l2Hys, "small_hog"), (.l1, "small_hog_l1")] {
            let hog = HOG(orientations: 12, pixelsPerCell: (8, 6), cellsPerBlock: (3, 2), blockNorm: norm)
            let expected = try NPYArray(contentsOf: TestPaths.fixture("hog/\(file).npy")).floats
            let ours = hog.features(of: small)
            #expect(ours.count == expected.count)
            let worst = maxAbsDifference(ours, expected)
            print("HOG small \(norm.rawValue): max |ours - skimage| = \(worst)")
            #expect(worst <= 1e-5)
        }
    }

    @Test func visualizationMatchesScikitImage() throws {
        let grey = try Self.greyImage("grey_0")
        let expected = try NPYArray(contentsOf: TestPaths.fixture("hog/vis_0.npy")).values
        let ours = HOG.study.visualization(of: grey)
        // The fixture is stored as float32; values reach a few tens.
        let worst = maxRelativeDifference(ours, expected, floor: 1)
        print("HOG visualisation: max relative difference = \(worst)")
        #expect(worst <= 1e-5)
        // The study's display range (0, 10) maps onto [0, 1].
        let shown = HOG.rescaledForDisplay(ours)
        #expect(shown.allSatisfy { $0 >= 0 && $0 <= 1 })
        #expect(zip(shown, ours).allSatisfy { s, v in abs(s - min(max(v, 0), 10) / 10) < 1e-15 })
    }

    @Test func reusedWorkspaceAndBufferGiveTheSameValues() throws {
        // The into-buffer variant with one workspace over several images equals the one-shot call.
        var workspace = HOG.Workspace(for: .study)
        var buffer = [Float](repeating: -1, count: 44_100)
        for index in [1, 0, 1] {
            let grey = try Self.greyImage("grey_\(index)")
            buffer.withUnsafeMutableBufferPointer { HOG.study.features(of: grey, into: $0, workspace: &workspace) }
            #expect(buffer == HOG.study.features(of: grey))
        }
    }

    @Test func featureMatrixRowsEqualSingleImageFeatures() throws {
        let images = try (0..<3).map { try Self.greyImage("grey_\($0)") }
        let matrix = try HOG.study.featureMatrix(count: 3, width: 360, height: 360) { images[$0] }
        #expect(matrix.rows == 3 && matrix.columns == 44_100)
        for i in 0..<3 { #expect(matrix.row(i) == HOG.study.features(of: images[i])) }
    }

    @Test func featureMatrixRethrowsTheLoaderError() {
        struct Broken: Error {}
        #expect(throws: Broken.self) {
            _ = try HOG.study.featureMatrix(count: 4, width: 360, height: 360) { _ in throw Broken() }
        }
    }

    @Test func flatImageHasZeroFeatures() {
        // No gradient anywhere: every histogram is zero and normalisation keeps it zero (eps > 0).
        let flat = Image(width: 40, height: 40, channels: 1, filledWith: 128)
        let ours = HOG(orientations: 9, pixelsPerCell: (10, 10), cellsPerBlock: (2, 2)).features(of: flat)
        #expect(ours.count == 3 * 3 * 36)
        #expect(ours.allSatisfy { $0 == 0 })
    }
}

@Suite struct HOGDatasetTests {
    @Test(.enabled(if: TestPaths.sharedDataset != nil, "needs the PBC dataset at ../shared/data/pbc"))
    func studyLoaderFeaturesMatchFixtures() throws {
        // loadStudyGrey360 (imread -> grey -> resize) reproduces the fixture's grey image, so the
        // HOG of a dataset file equals scikit-image's.
        let url = TestPaths.sharedDataset!.appendingPathComponent("basophil/BA_100102.jpg")
        let grey = try loadStudyGrey360(url)
        #expect(grey == (try HOGTests.greyImage("grey_0")))
        let expected = try NPYArray(contentsOf: TestPaths.fixture("hog/hog_0.npy")).floats
        #expect(maxAbsDifference(HOG.study.features(of: grey), expected) <= 1e-5)
    }

    @Test(.enabled(if: TestPaths.sharedDataset != nil, "needs the PBC dataset at ../shared/data/pbc"))
    func sampleTripleHasTheFigureShapes() throws {
        let url = TestPaths.sharedDataset!.appendingPathComponent("eosinophil/EO_100213.jpg")
        let sample = try HOG.study.sample(contentsOf: url)
        #expect(sample.color.width == 360 && sample.color.height == 360 && sample.color.channels == 3)
        #expect(sample.grey.channels == 1 && sample.grey.width == 360)
        #expect(sample.visualization.count == 360 * 360)
        #expect(sample.visualization.allSatisfy { $0 >= 0 && $0 <= 1 })
        // A cell image has gradients: some of the picture is lit.
        #expect(sample.visualization.contains { $0 > 0.1 })
    }
}
