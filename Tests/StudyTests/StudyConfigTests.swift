import Foundation
import Study
import Testing
import _TestSupport

@Suite("Profiles and StudyConfig")
struct StudyConfigTests {
    let resources = TestPaths.repositoryRoot

    @Test("the three profiles load; paper has no deviations, every other difference has a reason", arguments: Profile.allCases)
    func profilesLoad(profile: Profile) throws {
        let config = try StudyConfig.load(profile: profile, resources: resources)
        #expect(config.profile == profile.rawValue)
        let paper = try StudyConfig.load(profile: .paper, resources: resources)
        let deviations = try config.deviations(from: paper)
        if profile == .paper { #expect(deviations.isEmpty) } else { #expect(!deviations.isEmpty) }
        #expect(deviations.allSatisfy { !$0.why.isEmpty && $0.documented != $0.thisRun })
    }

    @Test("paper.json holds the documented study's settings")
    func paperValues() throws {
        let paper = try StudyConfig.load(profile: .paper, resources: resources)
        #expect(paper.hog.imageSize == 360 && paper.hog.pixelsPerCell == 10 && paper.hog.cellsPerBlock == 2)
        #expect(paper.hog.orientations == 9 && paper.hog.blockNorm == "L2-Hys")
        #expect(paper.split.train == 0.7 && paper.split.validation == 0.15 && paper.split.test == 0.15)
        #expect(paper.tsne.perplexity == 30 && paper.tsne.learningRate == 200 && paper.tsne.maxIter == 1000)
        #expect(paper.logisticRegression.epochs == 50 && paper.logisticRegression.batchSize == 64)
        #expect(paper.decisionTree.maxDepth == 10)
        #expect(paper.networks.resnet18.learningRate == 3e-5 && paper.networks.resnet18.headLearningRate == 8e-4)
        #expect(paper.networks.lightCnn.earlyStoppingPatience == 5)
    }

    /// Writes `paper.json` with `edit` applied as the given profile into a temporary resources folder.
    func resourcesWith(_ profile: Profile, edit: (inout [String: Any]) -> Void) throws -> URL {
        let root = try TestPaths.temporaryFolder("profiles")
        let folder = root.appendingPathComponent("assets/profiles")
        try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
        let paperData = try Data(contentsOf: StudyConfig.profileURL(.paper, resources: resources))
        try paperData.write(to: folder.appendingPathComponent("paper.json"))
        var json = try #require(try JSONSerialization.jsonObject(with: paperData) as? [String: Any])
        json["profile"] = profile.rawValue
        edit(&json)
        try JSONSerialization.data(withJSONObject: json).write(to: folder.appendingPathComponent("\(profile.rawValue).json"))
        return root
    }

    @Test("an unknown key is rejected with the file and the dotted key named")
    func unknownKey() throws {
        let root = try resourcesWith(.smoke) { json in
            var hog = json["hog"] as! [String: Any]
            hog["orientation"] = 9   // misspelt
            json["hog"] = hog
        }
        defer { try? FileManager.default.removeItem(at: root) }
        do {
            _ = try StudyConfig.load(profile: .smoke, resources: root)
            Issue.record("a misspelt key was accepted")
        } catch {
            let text = "\(error)"
            #expect(text.contains("smoke.json") && text.contains("'hog.orientation'"), "\(text)")
        }
    }

    @Test("a missing key is reported by its dotted name")
    func missingKey() throws {
        let root = try resourcesWith(.cpu) { json in
            var tsne = json["tsne"] as! [String: Any]
            tsne.removeValue(forKey: "perplexity")
            json["tsne"] = tsne
        }
        defer { try? FileManager.default.removeItem(at: root) }
        #expect { try StudyConfig.load(profile: .cpu, resources: root) } throws: { error in
            "\(error)".contains("missing key 'tsne.perplexity'")
        }
    }

    @Test("a difference from paper.json without a reason is refused, and so is a reason without a difference")
    func reasonsMatchDifferences() throws {
        let unexplained = try resourcesWith(.cpu) { json in
            var knn = json["knn"] as! [String: Any]
            knn["neighbours"] = 7
            json["knn"] = knn
        }
        defer { try? FileManager.default.removeItem(at: unexplained) }
        #expect { try StudyConfig.load(profile: .cpu, resources: unexplained) } throws: { error in
            "\(error)".contains("'knn.neighbours' is 7 here but 5 in the documented study")
        }
        let needless = try resourcesWith(.cpu) { json in
            json["reasons"] = [["key": "knn.neighbours", "why": "no reason"]]
        }
        defer { try? FileManager.default.removeItem(at: needless) }
        #expect { try StudyConfig.load(profile: .cpu, resources: needless) } throws: { error in
            "\(error)".contains("does not differ from paper.json there")
        }
    }

    @Test("deviations list what differs with both values")
    func deviationRows() throws {
        let smoke = try StudyConfig.load(profile: .smoke, resources: resources)
        let paper = try StudyConfig.load(profile: .paper, resources: resources)
        let rows = try smoke.deviations(from: paper)
        let images = try #require(rows.first { $0.what == "data.images_per_class" })
        // 0 means every image: the table says "all", not "0".
        #expect(images.documented == "all" && images.thisRun == "40")
        let pretrained = try #require(rows.first { $0.what == "networks.resnet18.pretrained" })
        #expect(pretrained.documented == "true" && pretrained.thisRun == "false")
    }
}
