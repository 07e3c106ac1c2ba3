import Tensor

extension Image {
    /// The image as a `(C, H, W)` Float32 tensor with values in [0, 1], as torchvision's
    /// `transforms.ToTensor()` makes from a PIL image (each byte divided by 255).
    public func tensorCHW() -> Tensor {
        let plane = width * height
        var data = [Float](repeating: 0, count: plane * channels)
        data.withUnsafeMutableBufferPointer { out in
            pixels.withUnsafeBufferPointer { src in
                for i in 0..<plane {
                    for c in 0..<channels { out[c * plane + i] = Float(src[i * channels + c]) / 255 }
                }
            }
        }
        return Tensor(shape: [channels, height, width], data: data)
    }
}

extension Tensor {
    /// Per-channel `(x - mean[c]) / std[c]` of a `(C, H, W)` or `(N, C, H, W)` tensor, as
    /// torchvision's `transforms.Normalize(mean, std)`.
    /// - Parameters:
    ///   - mean: one value per channel (ImageNet's is `[0.485, 0.456, 0.406]`).
    ///   - std: one positive value per channel (ImageNet's is `[0.229, 0.224, 0.225]`).
    public func normalizedPerChannel(mean: [Float], std: [Float]) -> Tensor {
        precondition(rank == 3 || rank == 4, "Normalize expects (C, H, W) or (N, C, H, W), got \(shape)")
        let c = shape[rank - 3]
        precondition(mean.count == c && std.count == c, "Normalize needs \(c) means and stds, got \(mean.count) and \(std.count)")
        precondition(std.allSatisfy { $0 > 0 }, "Normalize std values must be positive, got \(std)")
        let plane = shape[rank - 2] * shape[rank - 1]
        var out = self
        out.data.withUnsafeMutableBufferPointer { d in
            for start in stride(from: 0, to: d.count, by: plane) {
                let k = (start / plane) % c
                let m = mean[k], s = std[k]
                // torchvision computes (x - mean) / std with a true division.
                for i in start..<(start + plane) { d[i] = (d[i] - m) / s }
            }
        }
        return out
    }
}
