import Report
@testable import Study
import XCTest

final class ShapSectionTests: XCTestCase {
    /// Each network has `shap-<id>` after its train step and before its page, which depends on it;
    /// the step has no page and claims the `shap` settings it reads (its own count of images).
    func testStepsSitBetweenTrainingAndPage() {
        let ids = ReportJob.standardSections().map(\.id)
        for kind in NetworkKind.allCases {
            let train = ids.firstIndex(of: "\(kind.id)-train"), shapStep = ids.firstIndex(of: "shap-\(kind.id)")
            let page = ids.firstIndex(of: kind.id)
            XCTAssertNotNil(shapStep, kind.id)
            XCTAssertLessThan(train!, shapStep!); XCTAssertLessThan(shapStep!, page!)
            let section = ShapSection(kind)
            XCTAssertFalse(section.hasPage)
            XCTAssertEqual(section.configKeys, ["shap.max_evals", "shap.deep_background", "shap.explained_images.\(kind.resultsKey)"])
            XCTAssertEqual(section.dependencies, ["split", "\(kind.id)-train"])
            XCTAssertTrue(NetworkPageSection(kind, explanationStep: section.id).dependencies.contains(section.id))
        }
        XCTAssertEqual(ids.last, "comparison")
    }

    /// The study's choice of explainer per network.
    func testExplainerPerNetwork() {
        XCTAssertEqual(NetworkKind.allCases.filter { ShapSection($0).usesDeepExplainer }, [.simpleNN, .lightCNN, .cnn])
    }

    /// The sentence is made from the numbers: a map whose positive mass sits on the dark nucleus
    /// says so, one whose mass sits on the background says the opposite.
    func testSentenceFollowsTheNumbers() {
        let side = 4
        var image = [UInt8](repeating: 0, count: side * side * 3)
        for p in 0..<(side * side) {
            let nucleus = p % side < 1
            image[p * 3] = nucleus ? 110 : 225; image[p * 3 + 1] = nucleus ? 60 : 195; image[p * 3 + 2] = nucleus ? 150 : 200
        }
        let onNucleus = (0..<(side * side)).map { $0 % side < 1 ? 1.0 : 0.0 }
        let onBackground = onNucleus.map { 1 - $0 }
        func explanation(_ map: [Double]) -> ShapExplanation {
            ShapExplanation(images: [image], side: side, maps: [[map, map]], predicted: [0], baseValues: [0, 0], additivityError: 0)
        }
        let a = ShapCells.sentence(explanation(onNucleus), classes: ["a", "b"])
        XCTAssertTrue(a.contains("**100%**") && a.contains("concentrates on the cell"), a)
        let b = ShapCells.sentence(explanation(onBackground), classes: ["a", "b"])
        XCTAssertTrue(b.contains("**0%**") && b.contains("not concentrated"), b)
    }
}
