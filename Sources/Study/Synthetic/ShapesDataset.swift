import DiskIO
import Foundation
import Imaging
import Tensor

/// A small labelled image folder that is not PBC: one class folder per drawn shape (circle,
/// cross, square, triangle), each image a shape of random size, position, turn and colour on a
/// noisy background, saved as JPEG, with a `datacard.json` that credits it and states its
/// licence (CC0: the images are drawn by this program). Used to check that a report on another
/// dataset carries that dataset's name, credit and licence, and none of PBC's.
public struct ShapesDataset: Sendable {
    public enum Shape: String, CaseIterable, Sendable {
        case circle, cross, square, triangle
    }

    public var imagesPerClass: Int
    /// Side of the square images, pixels.
    public var size: Int
    public var seed: UInt64

    public init(imagesPerClass: Int = 40, size: Int = 96, seed: UInt64 = 42) {
        precondition(imagesPerClass > 0 && size >= 16, "need at least one image per class and 16 pixels a side")
        self.imagesPerClass = imagesPerClass; self.size = size; self.seed = seed
    }

    /// The card written beside the images.
    public var card: DatasetCard {
        DatasetCard(
            name: "Synthetic shapes (bloodstudy test images)",
            shortName: "Synthetic shapes",
            creators: "drawn by bloodstudy make-shapes (seed \(seed))",
            publication: "generated on the machine that ran the report; not published",
            licence: "CC0 1.0 (public domain dedication)",
            spdxLicence: "cc0-1.0",
            shortCredit: "Images: synthetic shapes drawn by bloodstudy (CC0 1.0).",
            motivation: "A second dataset for testing: it lets a report run on images that are not the study's, so that nothing of the study's own dataset (name, credit, licence) can leak into its pages unnoticed.",
            composition: "\(Shape.allCases.count) classes (\(Shape.allCases.map(\.rawValue).joined(separator: ", "))), \(imagesPerClass) JPEG images of \(size)x\(size) pixels each. Each image shows one filled shape of random size, position, turn and colour on a noisy light background; the folder names the shape.",
            collection: "Drawn pixel by pixel by a seeded random generator (seed \(seed)); the same seed draws the same images.",
            preprocessing: "None: the images are written as drawn, JPEG quality 90.",
            uses: "Testing the report pipeline only. A model trained on it learns nothing about real images.",
            distribution: "Not distributed: `bloodstudy make-shapes` draws it again wherever it is needed. CC0 1.0: no rights reserved.",
            maintenance: "Changes with the make-shapes tool of bloodstudy.",
            knownLimits: ["Drawn shapes, not photographs: nothing measured on them says anything about microscope images."])
    }

    /// Writes the class folders and `datacard.json` into `folder`, which must not exist or be empty.
    /// - Throws: `StudyError.badConfig` naming the folder when it holds files.
    public func write(to folder: URL) throws {
        let fm = FileManager.default
        if let existing = try? fm.contentsOfDirectory(atPath: folder.path), !existing.isEmpty {
            throw StudyError.badConfig(file: folder.path, detail: "the folder is not empty; give a new folder for the synthetic dataset")
        }
        var rng = SeededGenerator(seed: seed)
        for shape in Shape.allCases {
            let classFolder = folder.appendingPathComponent(shape.rawValue)
            try FileOps.createDirectory(classFolder)
            for i in 0..<imagesPerClass {
                let image = draw(shape, using: &rng)
                try FileOps.write(JPEGEncoder.encode(image), to: classFolder.appendingPathComponent(String(format: "%@_%04d.jpg", shape.rawValue, i)),
                                  atomic: false)   // a new folder: a half-written one is refused as not empty
            }
        }
        try FileOps.write(card.jsonData(), to: folder.appendingPathComponent(DatasetCard.fileName))
    }

    /// One image: a light noisy background and one filled shape.
    func draw(_ shape: Shape, using rng: inout SeededGenerator) -> Image {
        let side = Double(size)
        let radius = side * Double.random(in: 0.22...0.36, using: &rng)
        let cx = side / 2 + Double.random(in: -0.1...0.1, using: &rng) * side
        let cy = side / 2 + Double.random(in: -0.1...0.1, using: &rng) * side
        let turn = Double.random(in: 0..<(2 * Double.pi), using: &rng)
        let colour = (0..<3).map { _ in Double.random(in: 40...170, using: &rng) }
        let background = (0..<3).map { _ in Double.random(in: 200...240, using: &rng) }
        var pixels = [UInt8](repeating: 0, count: size * size * 3)
        let (c, s) = (cos(turn), sin(turn))
        for y in 0..<size {
            for x in 0..<size {
                let dx = Double(x) + 0.5 - cx, dy = Double(y) + 0.5 - cy
                // Coordinates in the shape's own frame, in units of its radius.
                let u = (c * dx + s * dy) / radius, v = (-s * dx + c * dy) / radius
                let base = Self.inside(shape, u, v) ? colour : background
                for k in 0..<3 {
                    let noisy = base[k] + Double.random(in: -12...12, using: &rng)
                    pixels[(y * size + x) * 3 + k] = UInt8(max(0, min(255, noisy.rounded())))
                }
            }
        }
        return Image(width: size, height: size, channels: 3, pixels: pixels)
    }

    /// Whether the point (u, v) of the shape's frame (radius 1) lies in the shape.
    static func inside(_ shape: Shape, _ u: Double, _ v: Double) -> Bool {
        switch shape {
        case .circle: return u * u + v * v <= 1
        case .square: return abs(u) <= 0.8 && abs(v) <= 0.8
        case .cross: return (abs(u) <= 1 && abs(v) <= 0.3) || (abs(u) <= 0.3 && abs(v) <= 1)
        case .triangle: return inTriangle(u, v)
        }
    }

    /// Inside the equilateral triangle with corners on the unit circle at -90, 30 and 150
    /// degrees: on the same side of all three edges.
    static func inTriangle(_ u: Double, _ v: Double) -> Bool {
        let corners = [(0.0, -1.0), (0.8660254, 0.5), (-0.8660254, 0.5)]
        var sign = 0.0
        for k in 0..<3 {
            let (ax, ay) = corners[k], (bx, by) = corners[(k + 1) % 3]
            let cross = (bx - ax) * (v - ay) - (by - ay) * (u - ax)
            if cross != 0 {
                if sign == 0 { sign = cross } else if (sign > 0) != (cross > 0) { return false }
            }
        }
        return true
    }
}
