import Foundation
import Tensor

/// A file of named tensors: a safetensors file or a PyTorch `torch.save` checkpoint.
public protocol TensorArchive {
    /// The file, named in errors and reports.
    var url: URL { get }
    /// Every tensor name in the file.
    var names: [String] { get }
    /// The tensor called `name`, as Float32.
    func tensor(_ name: String) throws -> Tensor
}

extension SafetensorsFile: TensorArchive {}

extension PretrainedWeights {
    /// Opens a checkpoint by its extension: `.safetensors`, or `.pth`/`.pt`/`.bin` (torch.save zip).
    public static func open(_ url: URL) throws -> any TensorArchive {
        switch url.pathExtension.lowercased() {
        case "pth", "pt", "bin": try TorchCheckpoint(contentsOf: url)
        default: try SafetensorsFile(contentsOf: url)
        }
    }
}
