import Foundation
import Tensor

/// The published checkpoints the study starts from, where to download them, and loading them
/// into this project's models with a report of what matched.
public enum PretrainedModel: String, Sendable, CaseIterable {
    /// `google/vit-base-patch16-224-in21k` (Hugging Face `ViTModel`, ImageNet-21k), the study's
    /// feature extractor. 1e-12 LayerNorm epsilon; mean/std normalisation 0.5.
    case vitBase16In21k = "vit-base-patch16-224-in21k"
    /// timm's `resnet18.tv_in1k`: torchvision's `ResNet18_Weights.IMAGENET1K_V1`
    /// (resnet18-f37072fd.pth) re-published as safetensors with the same names.
    case resnet18ImageNet = "resnet18.tv_in1k"
    /// timm's `vit_base_patch16_224.augreg_in1k` (ImageNet-1k, timm names, 1e-6 epsilon, mean/std
    /// 0.5). The study used torchvision's `ViT_B_16_Weights.IMAGENET1K_V1` (vit_b_16-c867db91.pth),
    /// which is only published as a pickled `.pth`; this is the closest ImageNet-1k ViT-B/16
    /// published as safetensors.
    case vitBase16ImageNet = "vit_base_patch16_224.augreg_in1k"
    /// torchvision's `ViT_B_16_Weights.IMAGENET1K_V1` itself, the exact weights of the study's ViT
    /// classifier and ViT features for logistic regression; published only as a `torch.save`
    /// file, read by `TorchCheckpoint`.
    case vitBase16Torchvision = "vit_b_16-c867db91"

    /// The file name `fetch-weights` writes in the weights folder.
    public var fileName: String { self == .vitBase16Torchvision ? "\(rawValue).pth" : "\(rawValue).safetensors" }

    /// Where the file is published.
    public var url: URL {
        switch self {
        case .vitBase16In21k:
            URL(string: "https://huggingface.co/google/vit-base-patch16-224-in21k/resolve/main/model.safetensors")!
        case .resnet18ImageNet:
            URL(string: "https://huggingface.co/timm/resnet18.tv_in1k/resolve/main/model.safetensors")!
        case .vitBase16ImageNet:
            URL(string: "https://huggingface.co/timm/vit_base_patch16_224.augreg_in1k/resolve/main/model.safetensors")!
        case .vitBase16Torchvision:
            URL(string: "https://download.pytorch.org/models/vit_b_16-c867db91.pth")!
        }
    }

    /// The naming scheme of the published file.
    public var convention: CheckpointConvention {
        switch self {
        case .vitBase16In21k: .huggingFaceViT
        case .resnet18ImageNet: .torchvision
        case .vitBase16ImageNet: .timmViT
        case .vitBase16Torchvision: .torchvision
        }
    }
}

/// What loading a checkpoint into a model did. Names are the model's, except `unexpected` and
/// `ignored`, which are the checkpoint's.
public struct WeightLoadReport: Sendable, CustomStringConvertible {
    public var file: String
    /// Model tensors filled from the checkpoint.
    public var loaded: [String] = []
    /// Model tensors the checkpoint lacked (left at their initial values).
    public var missing: [String] = []
    /// Model tensors deliberately left at their initial values (a replaced head).
    public var kept: [String] = []
    /// Checkpoint tensors with no place in the model.
    public var unexpected: [String] = []
    /// Checkpoint tensors deliberately not used (Hugging Face's pooler, a replaced head).
    public var ignored: [String] = []
    /// Position tables resized to the model's patch grid.
    public var resized: [String] = []

    public var description: String {
        func list(_ names: [String]) -> String {
            names.count <= 6 ? names.joined(separator: ", ") : names.prefix(6).joined(separator: ", ") + ", … (\(names.count))"
        }
        var lines = ["\(file): loaded \(loaded.count) tensors"]
        if !resized.isEmpty { lines.append("  resized position tables: \(list(resized))") }
        if !kept.isEmpty { lines.append("  kept at initialisation: \(list(kept))") }
        if !ignored.isEmpty { lines.append("  ignored from the file: \(list(ignored))") }
        if !missing.isEmpty { lines.append("  MISSING from the file: \(list(missing))") }
        if !unexpected.isEmpty { lines.append("  UNEXPECTED in the file: \(list(unexpected))") }
        return lines.joined(separator: "\n")
    }
}

/// Why pretrained weights could not be used.
public enum PretrainedWeightsError: Error, CustomStringConvertible {
    case incomplete(WeightLoadReport)
    case shapeMismatch(file: String, tensor: String, model: [Int], checkpoint: [Int])
    case downloadFailed(model: String, url: String, reason: String)

    public var description: String {
        switch self {
        case let .incomplete(report):
            "The checkpoint does not match the model (wrong file or convention?):\n\(report)"
        case let .shapeMismatch(file, tensor, model, checkpoint):
            "\(file): tensor \(tensor) has shape \(checkpoint) but the model expects \(model); the file is for another configuration."
        case let .downloadFailed(model, url, reason):
            "Could not download \(model) from \(url): \(reason). On a machine with internet run "
                + "'bloodstudy fetch-weights --weights DIR' and copy DIR here, or download the URL by hand."
        }
    }
}

extension PretrainedWeights {
    /// The checkpoint file for `model` in `folder`: `<folder>/<fileName>`, or the Hugging Face cache
    /// layout `<folder>/<rawValue>/model.safetensors`; nil when absent (sections then say
    /// "weights absent" and what to run).
    public static func locate(in folder: URL, model: PretrainedModel) -> URL? {
        let candidates = [folder.appendingPathComponent(model.fileName),
                          folder.appendingPathComponent(model.rawValue).appendingPathComponent("model.safetensors")]
        return candidates.first { FileManager.default.fileExists(atPath: $0.path) }
    }
}

/// Loading and locating pretrained checkpoints.
public enum PretrainedWeights {
    /// Copies a checkpoint's tensors into `model` by name.
    ///
    /// - Parameters:
    ///   - file: the checkpoint (`SafetensorsFile`, `TorchCheckpoint`, or `PretrainedWeights.open(_:)`).
    ///   - model: any layer; its `stateTensors` names are matched (torchvision names).
    ///   - convention: how the file names its tensors.
    ///   - prefix: prefix of the model's names absent from the checkpoint (`base.` for the study's
    ///     ResNet18); model tensors outside it are kept at initialisation.
    ///   - keeping: model-name prefixes left at initialisation (a replaced head, e.g. `heads.head.`);
    ///     checkpoint tensors for them are reported as ignored.
    ///   - ignoring: checkpoint-name prefixes (after renaming) dropped on purpose (e.g. `fc.`).
    ///   - strict: throw `.incomplete` when anything is missing or unexpected (default true).
    /// Position tables whose patch grid differs from the model's are resized with the convention's
    /// bicubic `align_corners`. Other shape differences throw `.shapeMismatch`.
    @discardableResult
    public static func load(_ file: any TensorArchive, into model: Layer, convention: CheckpointConvention,
                            prefix: String = "", keeping: [String] = [], ignoring: [String] = [],
                            strict: Bool = true) throws -> WeightLoadReport {
        let translation = try convention.translate(file)
        var report = WeightLoadReport(file: file.url.lastPathComponent)
        report.ignored = translation.ignored
        report.unexpected = translation.unexpected
        var used = Set<String>()
        for p in stateTensors(of: model) {
            guard p.name.hasPrefix(prefix), !keeping.contains(where: p.name.hasPrefix) else {
                report.kept.append(p.name); continue
            }
            let key = String(p.name.dropFirst(prefix.count))
            guard var t = translation.tensors[key] else { report.missing.append(p.name); continue }
            used.insert(key)
            if t.shape != p.value.shape && key.hasSuffix("pos_embedding") && t.rank == 3 && p.value.rank == 3
                && t.shape[2] == p.value.shape[2] {
                let grid = Int(Double(p.value.shape[1] - 1).squareRoot().rounded())
                if grid * grid == p.value.shape[1] - 1 {
                    t = PositionEmbeddingInterpolation.resize(t, toGrid: grid, grid,
                                                              alignCorners: convention.positionResizeAlignsCorners)
                    report.resized.append(p.name)
                }
            }
            guard t.shape == p.value.shape || (t.count == p.value.count && t.count == 1) else {
                throw PretrainedWeightsError.shapeMismatch(file: file.url.path, tensor: p.name, model: p.value.shape,
                                                           checkpoint: t.shape)
            }
            p.value = Tensor(shape: p.value.shape, data: t.data)
            report.loaded.append(p.name)
        }
        for key in translation.tensors.keys.sorted() where !used.contains(key) {
            // Tensors for a part the caller replaces (`keeping`) or drops (`ignoring`) are expected leftovers.
            if ignoring.contains(where: key.hasPrefix) || keeping.contains(where: (prefix + key).hasPrefix) {
                report.ignored.append(key)
            } else {
                report.unexpected.append(key)
            }
        }
        if strict && !(report.missing.isEmpty && report.unexpected.isEmpty) {
            throw PretrainedWeightsError.incomplete(report)
        }
        return report
    }
}
