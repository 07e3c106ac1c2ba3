import ArgumentParser
import Foundation
import Study

/// `bloodstudy fetch-weights`: downloads the pretrained checkpoints the study starts from.
struct FetchWeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fetch-weights",
        abstract: "Download the pretrained ViT and ResNet18 weights into the weights folder.",
        discussion: """
            Files: \(PretrainedModel.allCases.map { "\($0.fileName) <- \($0.url.absoluteString)" }.joined(separator: "; ")). \
            Needs internet; elsewhere, run it on a machine that has it and copy the folder.
            """
    )

    @OptionGroup var options: SharedOptions

    @Option(name: .customLong("model"), help: "Which checkpoint to fetch (repeatable); all when omitted.")
    var models: [PretrainedModel] = []

    @Option(help: "Seconds to wait for the server before giving up.")
    var timeout: Double = 20

    @Option(name: .customLong("from"),
            help: ArgumentHelp("Download from this address instead of the published one (a mirror or a local server); with exactly one --model.", valueName: "url"))
    var source: String?

    func validate() throws {
        if let source {
            guard URL(string: source)?.scheme != nil else { throw ValidationError("--from takes a URL such as https://host/file, not '\(source)'.") }
            guard models.count == 1 else { throw ValidationError("--from names one file: give exactly one --model with it.") }
        }
    }

    func run() throws {
        let folder = URL(fileURLWithPath: options.weights)
        for model in models.isEmpty ? PretrainedModel.allCases : models {
            let url = source.flatMap(URL.init(string:)) ?? model.url
            print("\(model.rawValue): fetching \(url.absoluteString)")
            let file = try PretrainedWeights.download(model, into: folder, from: url, connectTimeout: timeout)
            print("\(model.rawValue): ready at \(file.path)")
        }
    }
}

extension PretrainedModel: ExpressibleByArgument {}
