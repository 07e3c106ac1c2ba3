import Foundation
import Testing
import Learn
import Tensor
import _TestSupport

/// Parity with sklearn's PCA on a wide matrix (40 x 120: the Gram path, sklearn's `full` SVD) and
/// a tall one (300 x 25: the scatter-matrix path, sklearn's `covariance_eigh`).
@Suite struct PCATests {
    static func load(_ name: String) throws -> NPYArray { try NPYArray(contentsOf: TestPaths.fixture("pca/\(name).npy")) }

    static func matrix(_ name: String) throws -> Matrix<Double> {
        let a = try load(name)
        return Matrix(rows: a.shape[0], columns: a.shape[1], storage: a.values)
    }

    @Test(arguments: ["wide", "tall"])
    func explainedVarianceMatchesScikitLearn(shape: String) throws {
        let x = try Self.matrix("pca_\(shape)_x")
        let fitted = try PCA().fit(x)
        let ratio = try Self.load("pca_\(shape)_ratio").values
        #expect(fitted.explainedVarianceRatio.count == min(x.rows, x.columns))
        let worst = maxAbsDifference(fitted.explainedVarianceRatio, ratio)
        print("PCA \(shape): max |ratio ours - sklearn| = \(worst)")
        #expect(worst < 1e-10)
        let variance = try Self.load("pca_\(shape)_variance").values
        #expect(maxAbsDifference(fitted.explainedVariance, variance) < 1e-9 * variance[0])
        // The ratios sum to 1 and the 95% count follows sklearn's rule for a float n_components.
        #expect(abs(fitted.explainedVarianceRatio.reduce(0, +) - 1) < 1e-12)
        let k95 = Int(try Self.load("pca_\(shape)_k95").values[0])
        #expect(try PCA(nComponents: .varianceFraction(0.95)).fit(x).componentCount == k95)
        #expect(fitted.componentsFor(varianceFraction: 0.95) == k95)
    }

    @Test(arguments: ["wide", "tall"])
    func componentsAndProjectionMatchScikitLearn(shape: String) throws {
        // Signs follow sklearn's svd_flip (largest |entry| positive), so no sign fix-up is needed.
        let x = try Self.matrix("pca_\(shape)_x")
        let (fitted, scores) = try PCA().fitTransform(x)
        let expected = try Self.load("pca_\(shape)_components")
        let ours = Array(fitted.components.storage[0..<(5 * x.columns)])
        let worst = maxAbsDifference(ours, expected.values)
        print("PCA \(shape): max |components ours - sklearn| (first 5) = \(worst)")
        #expect(worst < 1e-8)
        let projected = try Self.load("pca_\(shape)_xt").values
        let firstFive = (0..<x.rows).flatMap { i in (0..<5).map { scores[i, $0] } }
        let worstScores = maxAbsDifference(firstFive, projected)
        print("PCA \(shape): max |fit_transform ours - sklearn| (first 5) = \(worstScores)")
        #expect(worstScores < 1e-8)
        // transform of the training data equals fit_transform's projection.
        let again = fitted.transform(x, components: 5)
        #expect(maxAbsDifference(again.storage, firstFive) < 1e-9)
    }

    @Test func componentsAreOrthonormal() throws {
        let x = try Self.matrix("pca_wide_x")
        let fitted = try PCA(nComponents: .count(10)).fit(x)
        let gram = fitted.components.multiplied(by: fitted.components, transposeOther: true)
        for i in 0..<10 { for j in 0..<10 { #expect(abs(gram[i, j] - (i == j ? 1 : 0)) < 1e-10) } }
    }

    @Test func float32InputAgreesWithFloat64() throws {
        // The Float32 path widens blocks to float64, so only the input rounding differs.
        let x = try Self.matrix("pca_tall_x")
        let f = Matrix<Float>(rows: x.rows, columns: x.columns, storage: x.storage.map { Float($0) })
        let a = try PCA().fit(x), b = try PCA().fit(f)
        #expect(maxAbsDifference(a.explainedVarianceRatio, b.explainedVarianceRatio) < 1e-6)
    }

    @Test func studyComponentRuleIsArgmaxOfCumsum() throws {
        // Three equal variances and a null direction: 50% needs 2 axes (cumsum 1/3, 2/3), 99% needs 3.
        let x = Matrix<Double>([[1, 0, 0, 0], [-1, 0, 0, 0], [0, 1, 0, 0], [0, -1, 0, 0], [0, 0, 1, 0], [0, 0, -1, 0]])
        let fitted = try PCA().fit(x)
        #expect(fitted.explainedVarianceRatio.prefix(3).allSatisfy { abs($0 - 1.0 / 3) < 1e-12 })
        #expect(fitted.componentsFor(varianceFraction: 0.5) == 2)
        #expect(fitted.componentsFor(varianceFraction: 0.99) == 3)
    }
}
