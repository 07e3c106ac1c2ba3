import Foundation
import Report
import Testing
@testable import Study

@Suite("Model evaluation (shared by every model page)")
struct ModelEvaluationTests {
    static let classes = ["basophil", "eo,\"x\"", "ig"]
    static func evaluation(labels: [Int] = [0, 1, 2, 2, 1, 0], predictions: [Int] = [0, 1, 2, 1, 1, 2]) -> ModelEvaluation {
        let n = labels.count
        var p: [Double] = []
        for i in 0..<n { var row = [0.1, 0.1, 0.1]; row[predictions[i]] = 0.8; p += row }
        return ModelEvaluation(key: "cnn", displayName: "CNN", classNames: classes,
                               paths: (0..<n).map { "class/img\($0).jpg" }, labels: labels, predictions: predictions, probabilities: p)
    }

    @Test("the predictions CSV has a header, one row per test image, quoted fields, and probabilities that read back exactly")
    func csv() throws {
        let e = Self.evaluation()
        let text = String(decoding: e.predictionsCSV(), as: UTF8.self)
        let lines = text.split(separator: "\n").map(String.init)
        #expect(lines.count == 1 + 6)
        #expect(lines[0] == "file,true_class,predicted_class,p_basophil,\"p_eo,\"\"x\"\"\",p_ig")
        #expect(lines[4] == "class/img3.jpg,ig,\"eo,\"\"x\"\"\",0.1,0.8,0.1")
        #expect(e.predictionsFile.path == "predictions/cnn.csv")
    }

    @Test("headlines carry the four metrics under models.<key>.*, NaN micro AUC as null")
    func headlines() {
        let e = Self.evaluation()
        let h = Dictionary(uniqueKeysWithValues: e.headlines(trainingSeconds: 2.5, pretrained: false).map { ($0.key, $0.value) })
        #expect(h["models.cnn.test_accuracy"] == .double(4.0 / 6.0))
        #expect(h["models.cnn.train_seconds"] == .double(2.5))
        #expect(h["models.cnn.pretrained"] == .bool(false))
        #expect(h["models.cnn.micro_auc"]?.number?.isFinite == true)
        // A test part without some classes: no curve for them, so the macro-average AUC is undefined.
        let one = Self.evaluation(labels: [0, 0, 0], predictions: [0, 1, 0])
        #expect(one.roc.macroAUC.isNaN)
        #expect(one.headlines().count == 4)
    }

    @Test("the cells hold the report text, two figures, the AUC table and the predictions link")
    func cells() {
        let cells = Self.evaluation().cells(captionNote: "Features: test.")
        var texts = 0, figures = 0, tables = 0, files = 0
        for case .code(_, let outputs) in cells {
            for output in outputs {
                switch output {
                case .text(let t): texts += 1; #expect(t.contains("weighted avg"))
                case .figure(let f): figures += 1; #expect(f.caption.hasSuffix("Features: test."))
                case .table: tables += 1
                case .file: files += 1
                case .warning: break
                }
            }
        }
        #expect(texts == 1 && figures == 2 && tables == 2 && files == 1)
    }

    @Test("ModelSummary round-trips through JSON and keeps a non-finite AUC out")
    func summary() throws {
        let s = Self.evaluation().summary(parameterCount: 10, trainingSeconds: 1, imageSize: nil, weights: "random initialisation")
        let back = try JSONDecoder().decode(ModelSummary.self, from: JSONEncoder().encode(s))
        #expect(back == s && back.key == "cnn")
        let nan = ModelSummary(key: "x", displayName: "X", testAccuracy: 0, macroF1: 0, weightedF1: 0, microAUC: .nan,
                               parameterCount: nil, trainingSeconds: 0, imageSize: nil, weights: "")
        #expect(nan.microAUC == nil)
    }
}
