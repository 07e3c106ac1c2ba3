import Report
@testable import Study
import Testing

@Suite struct ShapSectionTests {
    /// Each network has `shap-<id>` after its train step and before its page, which depends on it;
    /// the step has no page and claims the `shap` settings it reads (its own count of images).
    @Test func stepsSitBetweenTrainingAndPage() throws {
        let ids = ReportJob.standardSections().map(\.id)
        for kind in NetworkKind.allCases {
            let train = ids.firstIndex(of: "\(kind.id)-train"), shapStep = ids.firstIndex(of: "shap-\(kind.id)")
            let page = ids.firstIndex(of: kind.id)
            let shapIndex = try #require(shapStep, "\(kind.id)")
            #expect(try #require(train) < shapIndex); #expect(shapIndex < (try #require(page)))
            let section = ShapSection(kind)
            #expect(!section.hasPage)
            #expect(section.configKeys == ["shap.max_evals", "shap.deep_background", "shap.explained_images.\(kind.resultsKey)"])
            #expect(section.dependencies == ["split", "\(kind.id)-train"])
            #expect(NetworkPageSection(kind, explanationStep: section.id).dependencies.contains(section.id))
        }
        #expect(ids.last == "comparison")
    }

    /// The study's choice of explainer per network.
    @Test func explainerPerNetwork() {
        #expect(NetworkKind.allCases.filter { ShapSection($0).usesDeepExplainer } == [.simpleNN, .lightCNN, .cnn])
    }

    /// The sentence is made from the numbers: a map whose positive mass sits on the dark nucleus
    /// says so, one whose mass sits on the background says the opposite.
    @Test func sentenceFollowsTheNumbers() {
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
        #expect(a.contains("**100%**") && a.contains("concentrates on the cell"), "\(a)")
        let b = ShapCells.sentence(explanation(onBackground), classes: ["a", "b"])
        #expect(b.contains("**0%**") && b.contains("not concentrated"), "\(b)")
    }
}
