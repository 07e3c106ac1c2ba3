import ArgumentParser
import Foundation
import Study
import Testing
import _TestSupport
@testable import bloodstudy

/// What users see from `bloodstudy report`, `gallery` and `fetch-weights`.
@Suite("report, gallery and fetch-weights commands")
struct CommandTests {
    // MARK: report

    @Test("report parses its options: profile, seed, folders and repeated --force")
    func reportOptions() throws {
        let command = try #require(try ReportCommand.parseAsRoot([
            "--profile", "smoke", "--seed", "7", "--data", "/d", "--out", "/o", "--cache", "/c",
            "--force", "hog", "--force", "pca-hog", "--resources", "/r",
        ]) as? ReportCommand)
        #expect(command.options.profile == .smoke && command.options.seed == 7)
        #expect(command.options.out == "/o" && command.options.cache == "/c" && command.resources == "/r")
        #expect(command.force == ["hog", "pca-hog"])
        #expect(command.options.resolvedData.path == "/d")
        #expect(parseError { try ReportCommand.parseAsRoot(["--profile", "huge"]) } != nil)
    }

    @Test("report refuses to replace a folder it did not write: exit 1, the folder untouched, nothing computed")
    func reportKeepsForeignFolder() throws {
        let root = try TestPaths.temporaryFolder("report-cmd")
        defer { try? FileManager.default.removeItem(at: root) }
        let out = root.appendingPathComponent("mine")
        try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
        let precious = out.appendingPathComponent("thesis.txt")
        try Data("not bloodstudy's".utf8).write(to: precious)
        let data = try TestPaths.temporaryFolder("report-cmd-data")   // an explicit --data: never fetched
        defer { try? FileManager.default.removeItem(at: data) }
        let command = try #require(try ReportCommand.parseAsRoot([
            "--profile", "smoke", "--data", data.path, "--out", out.path, "--cache", root.appendingPathComponent("cache").path,
            "--resources", TestPaths.repositoryRoot.path,
        ]) as? ReportCommand)
        #expect(throws: ExitCode.failure) { try command.run() }
        #expect(try Data(contentsOf: precious) == Data("not bloodstudy's".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: out.path) == ["thesis.txt"])
        // It stopped before the first step: no cache was made.
        #expect(!FileManager.default.fileExists(atPath: root.appendingPathComponent("cache/steps").path))
    }

    // MARK: gallery

    @Test("gallery writes every figure as PNG, 2x PNG and SVG into --out")
    func gallery() throws {
        let out = try TestPaths.temporaryFolder("gallery-cmd")
        defer { try? FileManager.default.removeItem(at: out) }
        let command = try #require(try GalleryCommand.parseAsRoot(["--out", out.path, "--seed", "3"]) as? GalleryCommand)
        try command.run()
        let files = try FileManager.default.contentsOfDirectory(atPath: out.path)
        let svgs = files.filter { $0.hasSuffix(".svg") }.map { String($0.dropLast(4)) }
        #expect(svgs.count >= 10)
        for name in svgs {
            for file in ["\(name).png", "\(name)@2x.png"] {
                let png = try Data(contentsOf: out.appendingPathComponent(file))
                #expect(png.prefix(8) == Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A]), "\(file) is not a PNG")
            }
            let svg = try String(contentsOf: out.appendingPathComponent("\(name).svg"), encoding: .utf8)
            #expect(svg.contains("<svg"), "\(name).svg")
        }
    }

    // MARK: fetch-weights

    @Test("fetch-weights without a reachable server fails fast and says what to do; nothing is left behind")
    func fetchWeightsOffline() throws {
        let weights = try TestPaths.temporaryFolder("weights-cmd")
        defer { try? FileManager.default.removeItem(at: weights) }
        // Port 9 (discard) on this machine's loopback: refused at once, and no packet leaves the machine.
        let command = try #require(try FetchWeightsCommand.parseAsRoot([
            "--model", PretrainedModel.resnet18ImageNet.rawValue, "--from", "http://127.0.0.1:9/resnet18.safetensors",
            "--weights", weights.path, "--timeout", "5",
        ]) as? FetchWeightsCommand)
        let started = Date()
        do {
            try command.run()
            Issue.record("fetch-weights succeeded without a server")
        } catch let error as PretrainedWeightsError {
            let message = "\(error)"
            #expect(message.contains("Could not download \(PretrainedModel.resnet18ImageNet.rawValue)"))
            #expect(message.contains("On a machine with internet run 'bloodstudy fetch-weights --weights DIR' and copy DIR here"))
        }
        #expect(Date().timeIntervalSince(started) < 10)
        #expect(try FileManager.default.contentsOfDirectory(atPath: weights.path).isEmpty)
    }

    @Test("fetch-weights --from needs one --model and a URL")
    func fetchWeightsFromValidation() throws {
        let many = try #require(parseError { try FetchWeightsCommand.parseAsRoot(["--from", "http://127.0.0.1:9/x"]) })
        #expect(FetchWeightsCommand.message(for: many) == "--from names one file: give exactly one --model with it.")
        let bad = try #require(parseError {
            try FetchWeightsCommand.parseAsRoot(["--model", PretrainedModel.resnet18ImageNet.rawValue, "--from", "not a url"])
        })
        #expect(FetchWeightsCommand.message(for: bad).hasPrefix("--from takes a URL"))
    }
}
