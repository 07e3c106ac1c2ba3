import Foundation
import Plot
import Report

/// The split page's pieces of the study's data-loader cells: the split proportions (In [187]), one
/// sample of each part (In [192]), the batch counts (In [186]), the first batch of each loader's
/// labels (In [196], [198]) and the picture of one training batch (In [197]), each beside the
/// documented values where the study printed them.
extension SplitSection {
    /// `check_split_proportions` as In [187] prints it: each part's share of all images, the
    /// held-out `temp_df` included.
    static func proportionShares(_ sizes: [Int]) -> [(part: String, share: Double)] {
        let n = Double(max(1, sizes.reduce(0, +)))
        return [("train_df", Double(sizes[0]) / n), ("temp_df", Double(sizes[1] + sizes[2]) / n),
                ("val_df", Double(sizes[1]) / n), ("test_df", Double(sizes[2]) / n)]
    }

    static func proportions(_ sizes: [Int]) -> String {
        proportionShares(sizes).map { "\($0.part): \(String(format: "%.4f", $0.share))" }.joined(separator: "\n")
    }

    static func proportionTable(_ sizes: [Int]) -> Table {
        let documented = Dictionary(uniqueKeysWithValues: DocumentedResults.splitProportions.map { ($0.part, $0.share) })
        return Table(caption: "Share of all images in each part, this run beside the documented study",
                     columns: ["Part", "This run", "Documented"],
                     rows: proportionShares(sizes).map { [$0.part, String(format: "%.4f", $0.share),
                                                          documented[$0.part].map { String(format: "%.4f", $0) } ?? "—"] },
                     note: "Documented shares: documented study, In [187].")
    }

    /// The first image of each part, titled "Train Dataset / Class = 'ig'" (`plot_one_sample`, In [192]).
    static func oneSampleFigure(_ result: Result) -> FigureOutput {
        let cells = zip(partNames, result.firstSamples).map { name, picture in
            ImageCell(image: picture.image.raster, caption: Caption("\(name) Dataset\nClass = '\(result.classes[picture.label])'"))
        }
        let rendered = ImageGrid.figure(cells, columns: max(1, cells.count), cellSize: 220).render()
        return FigureOutput(
            rendered: rendered,
            caption: "The first image of the train, validation and test parts of this run's split at \(result.studySide)x\(result.studySide) pixels, "
                + "with their classes. " + ImageCredit.placeholder,
            alt: "\(cells.count) blood-cell images side by side, each labelled with its part and class.")
    }

    /// The cells after the loader shapes: batch counts, first-batch labels and the training batch's picture.
    static func loaderCells(_ result: Result) -> [Cell] {
        let names = ["train", "validation", "test"]
        let counts = result.batchCounts
        let documentedCounts = DocumentedResults.batchCounts
        let documented = [documentedCounts.train, documentedCounts.validation, documentedCounts.test]
        let lengths = zip(names, counts).map { "Length of \($0) dataloader: \($1) batches of \(result.studyBatchSize)" }
        let countTable = Table(
            caption: "Batches per loader (ceil(images / batch size)), this run's split beside the documented study",
            columns: ["Loader", "Images", "Batches (this run's split, batch size \(result.studyBatchSize))",
                      "Documented (batch size \(DocumentedResults.batchSize))"],
            rows: zip(zip(names, result.sizes), zip(counts, documented)).map { [$0.0, Fmt.int($0.1), Fmt.int($1.0), Fmt.int($1.1)] },
            note: "Documented: documented study, In [186].")
        let labels = result.firstBatchLabels
        let printedLabels = ["DataLoaders Labels:"] + zip(["Train", "Validation", "Test"], labels).map {
            "\($0) DataLoader labels:\n\(FirstBatchGrid.tensor($1))\n"
        }
        let legend = result.classes.enumerated().map { "\($0) \($1)" }.joined(separator: ", ")
        let batch = result.trainBatch
        let title = FirstBatchGrid.title(batch.map { result.classes[$0.label] })
        let grid = FirstBatchGrid.compose(batch.map(\.image))
        let figure = ImageGrid.figure([ImageCell(image: grid)], columns: 1, cellSize: min(900, Double(grid.width)),
                                      title: "Sample Labels").render()
        let gridFigure = FigureOutput(
            rendered: figure,
            caption: "The first batch of the study's train loader on this run's split (\(batch.count) images at \(result.studySide)x\(result.studySide), a seeded shuffle "
                + "of the training part, as `shuffle=True` draws one) laid out by `make_grid`, \(FirstBatchGrid.perRow) a row; "
                + "their classes, row by row: " + batch.map { result.classes[$0.label] }.joined(separator: ", ") + ". " + ImageCredit.placeholder,
            alt: "A grid of \(batch.count) blood-cell images in rows of \(FirstBatchGrid.perRow), separated by thin black lines.")
        let studyLabels = DocumentedResults.firstBatchLabels
        // This profile's networks may read other batches (the shapes above); say how many.
        let profileNote = result.batchSize == result.studyBatchSize ? ""
            : " (this profile's networks read batches of \(result.batchSize): "
                + result.sizes.map { Fmt.int(($0 + result.batchSize - 1) / max(1, result.batchSize)) }.joined(separator: ", ") + ")"
        return [
            .markdown("""
                ## Batches and labels of the loaders

                The study's loaders (batches of \(result.studyBatchSize) images at \(result.studySide)x\(result.studySide), In [186]) on this \
                run's split. Each gives batches of (images, labels): a float tensor of \(result.studyBatchSize) images and a tensor of \
                their class indices (In [196]). With \(result.studyBatchSize) images a batch, the parts make \
                \(zip(names, counts).map { "\(Fmt.int($1)) \($0)" }.joined(separator: ", ")) batches, the last one smaller when a part \
                does not divide evenly\(profileNote). The train loader shuffles (`shuffle=True`), so its first batch is a seeded draw here; the \
                validation and test loaders do not, so theirs are the first images of their parts. Class indices are this \
                run's: \(legend). The notebook does not print its `idx_to_class`, and its split and shuffle were not seeded, so \
                its label tensors are quoted for their form, not as values to match.
                """),
            .code(source: "len(train_loader), len(val_loader), len(test_loader)  # batch_size=\(result.studyBatchSize)",
                  outputs: [.text(lengths.joined(separator: "\n")), .table(countTable)]),
            .code(source: "next(iter(loader))[1]  # the labels of each loader's first batch",
                  outputs: [.text(printedLabels.joined(separator: "\n"))]),
            .code(source: "grid_img = make_grid(next(iter(train_loader))[0])  # nrow=8, padding=2\nplt.title(f\"Sample Labels:\\n {', '.join(formatted_labels)}\")",
                  outputs: [.text(title), .figure(gridFigure)]),
            .reference(text: "Length of train dataloader: \(documentedCounts.train) batches of \(DocumentedResults.batchSize). Length of validation dataloader: \(documentedCounts.validation) batches of \(DocumentedResults.batchSize). Length of test dataloader: \(documentedCounts.test) batches of \(DocumentedResults.batchSize).",
                       source: "documented study, In [186]"),
            .reference(text: "Train DataLoader labels: \(FirstBatchGrid.tensor(studyLabels.train)). Validation DataLoader labels: \(FirstBatchGrid.tensor(studyLabels.validation)). Test DataLoader labels: \(FirstBatchGrid.tensor(studyLabels.test)).",
                       source: "documented study, In [198]"),
        ]
    }
}
