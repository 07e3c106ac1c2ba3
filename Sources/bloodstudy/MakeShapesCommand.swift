import ArgumentParser
import Foundation
import Study

/// `bloodstudy make-shapes`: draws a small labelled image folder with its dataset card, a second
/// dataset to run the report on.
struct MakeShapesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "make-shapes",
        abstract: "Draw a small labelled dataset of synthetic shapes, with its dataset card.",
        discussion: """
            Writes one folder per class (circle, cross, square, triangle) of JPEG images and a \
            datacard.json (name, credit, licence CC0 1.0) into --out. Run the report on it with \
            'bloodstudy report --data DIR' to see a site about a dataset other than PBC.
            """
    )

    @Option(help: "Folder to create (must not exist or be empty).")
    var out: String

    @Option(help: "Images per class.")
    var perClass: Int = 40

    @Option(help: "Side of the square images, in pixels.")
    var size: Int = 96

    @Option(help: "Seed of the drawing; the same seed draws the same images.")
    var seed: UInt64 = 42

    func validate() throws {
        guard perClass > 0 else { throw ValidationError("--per-class must be at least 1, not \(perClass).") }
        guard size >= 16 else { throw ValidationError("--size must be at least 16 pixels, not \(size).") }
    }

    func run() throws {
        let dataset = ShapesDataset(imagesPerClass: perClass, size: size, seed: seed)
        try dataset.write(to: URL(fileURLWithPath: out))
        print("wrote \(ShapesDataset.Shape.allCases.count * perClass) images and \(DatasetCard.fileName) to \(out)")
    }
}
