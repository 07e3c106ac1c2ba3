import Foundation
import Plot

/// The study's picture of one training batch (In [197]): `torchvision.utils.make_grid(images)`
/// (8 images a row, 2 black pixels between and around them), titled with the batch's class names
/// as the notebook formats them.
enum FirstBatchGrid {
    /// Images a row of `make_grid` (its `nrow`), and the padding in pixels.
    static let perRow = 8
    static let padding = 2

    /// The images side by side as `make_grid(images, nrow=8, padding=2, pad_value=0)` lays them out;
    /// every image must have the first one's size and 3 channels.
    static func compose(_ images: [StoredRaster]) -> Raster {
        guard let first = images.first else { return Raster(width: 1, height: 1, channels: 3, pixels: [0, 0, 0]) }
        let columns = min(perRow, images.count), rows = (images.count + columns - 1) / columns
        let cellW = first.width + padding, cellH = first.height + padding
        let width = columns * cellW + padding, height = rows * cellH + padding
        var pixels = [UInt8](repeating: 0, count: width * height * 3)
        for (k, image) in images.enumerated() {
            let x0 = (k % columns) * cellW + padding, y0 = (k / columns) * cellH + padding
            let source = [UInt8](image.pixels)
            for y in 0..<image.height {
                let from = y * image.width * 3, to = ((y0 + y) * width + x0) * 3
                pixels.replaceSubrange(to..<(to + image.width * 3), with: source[from..<(from + image.width * 3)])
            }
        }
        return Raster(width: width, height: height, channels: 3, pixels: pixels)
    }

    /// The title In [197] builds: `"Sample Labels:\n " + ", ".join(names)` where the names are
    /// quoted and a bare newline follows every eighth, so lines after the first start with ", ".
    static func title(_ names: [String]) -> String {
        var parts: [String] = []
        for (i, name) in names.enumerated() {
            parts.append("'\(name)'")
            if (i + 1) % perRow == 0 { parts.append("\n") }
        }
        return "Sample Labels:\n " + parts.joined(separator: ", ")
    }

    /// A label batch printed as PyTorch prints a short integer tensor: `tensor([0, 5, 7])`.
    static func tensor(_ labels: [Int]) -> String {
        "tensor([" + labels.map(String.init).joined(separator: ", ") + "])"
    }
}
