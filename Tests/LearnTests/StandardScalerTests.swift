import Foundation
import Testing
import Learn
import Tensor
import _TestSupport

/// Parity with sklearn's StandardScaler (fixtures from Tests/Fixtures/tools/make_pca_fixtures.py).
@Suite struct StandardScalerTests {
    static func load(_ name: String) throws -> NPYArray { try NPYArray(contentsOf: TestPaths.fixture("pca/\(name).npy")) }

    static func matrix(_ name: String) throws -> Matrix<Double> {
        let a = try load(name)
        return Matrix(rows: a.shape[0], columns: a.shape[1], storage: a.values)
    }

    @Test func matchesScikitLearn() throws {
        let x = try Self.matrix("scaler_x")
        let fitted = StandardScaler().fit(x)
        // Mean and population variance agree to float64 rounding (relative 1e-12); the constant
        // column and the one varying only by rounding (var 1e-18 around 1e6) both get scale 1.
        #expect(maxRelativeDifference(fitted.mean!, try Self.load("scaler_mean").values) < 1e-12)
        let variance = try Self.load("scaler_var").values
        #expect(maxAbsDifference(fitted.variance!, variance) < 1e-12 * variance.max()!)
        let scale = try Self.load("scaler_scale").values
        #expect(maxRelativeDifference(fitted.scale!, scale) < 1e-12)
        #expect(fitted.scale![3] == 1 && fitted.scale![5] == 1)
        let expected = try Self.load("scaler_xt").values
        let worst = maxAbsDifference(fitted.transform(x).storage, expected)
        print("StandardScaler: max |ours - sklearn| transformed = \(worst)")
        #expect(worst < 1e-9)
    }

    @Test func inPlaceFloatTransformStandardises() throws {
        // Float32 data: the in-place transform gives each non-constant column mean 0 and variance 1.
        let x = try Self.matrix("scaler_x")
        var f = Matrix<Float>(rows: x.rows, columns: x.columns, storage: x.storage.map { Float($0) })
        let fitted = StandardScaler().fit(f)
        fitted.transform(inPlace: &f)
        let after = StandardScaler().fit(f)
        for j in [0, 1, 2, 4, 6, 7] {
            #expect(abs(after.mean![j]) < 1e-5)
            #expect(abs(after.variance![j] - 1) < 1e-4)
        }
    }

    @Test func optionsSkipCentringOrScaling() throws {
        let x = Matrix<Double>([[1, 10], [3, 30], [5, 50]])
        // Without the mean only the division happens; without the std only the subtraction.
        #expect(StandardScaler(withMean: false).fit(x).transform(x)[1, 1] == 30 / (800.0 / 3).squareRoot())
        #expect(StandardScaler(withStd: false).fit(x).transform(x) == Matrix([[-2, -20], [0, 0], [2, 20]]))
    }
}
