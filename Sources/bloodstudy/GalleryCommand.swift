import ArgumentParser
import Foundation
import Study

/// `bloodstudy gallery`: draws every figure kind from synthetic data.
struct GalleryCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "gallery",
        abstract: "Draw every kind of figure the study uses from synthetic data, as PNG (1x and 2x) and SVG."
    )

    @Option(help: "Folder the figures are written to.")
    var out: String = "site/gallery"

    @Option(help: "Seed for the synthetic data.")
    var seed: UInt64 = 42

    func run() throws {
        let files = try Gallery.write(to: URL(fileURLWithPath: out), seed: seed)
        print("wrote \(files.count) files to \(out)")
    }
}
