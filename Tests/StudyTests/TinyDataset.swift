import Dataset
import Foundation
import Imaging
import Tensor
import _TestSupport

/// A small dataset made on the fly: the eight class folders with `perClass` random 24x24 JPEGs
/// each (the first basophil is 20x24, a size outlier, and the last platelet is a copy of it, so a
/// duplicate and a second outlier), and a stray text
/// file named like the real dataset's `.DS_` file. Fast enough for a debug-build test.
enum TinyDataset {
    static func make(perClass: Int = 10, seed: UInt64 = 7) throws -> URL {
        let root = try TestPaths.temporaryFolder("tinydata")
        var rng = SeededGenerator(seed: seed)
        var first: Data?
        for (k, cls) in BloodCellClass.allCases.enumerated() {
            let folder = root.appendingPathComponent(cls.rawValue)
            try FileManager.default.createDirectory(at: folder, withIntermediateDirectories: true)
            for i in 0..<perClass {
                let width = (k == 0 && i == 0) ? 20 : 24
                let pixels = (0..<(width * 24 * 3)).map { _ in UInt8.random(in: 60...220, using: &rng) }
                let jpeg = JPEGEncoder.encode(Image(width: width, height: 24, channels: 3, pixels: pixels))
                // The last image of the last class repeats the first image exactly.
                let bytes = (k == 7 && i == perClass - 1) ? (first ?? jpeg) : jpeg
                if first == nil { first = jpeg }
                try bytes.write(to: folder.appendingPathComponent(String(format: "%@_%03d.jpg", cls.rawValue, i)))
            }
        }
        try Data("Mac OS X metadata, not an image".utf8)
            .write(to: root.appendingPathComponent("neutrophil/.DS_169665.jpg"))
        return root
    }
}
