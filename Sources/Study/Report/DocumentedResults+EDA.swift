import Report

/// The documented study's values the data and EDA pages quote or compare with, each with the
/// notebook cell it comes from and what it counts. Pages read them here instead of writing the
/// numbers out; values the table already holds under a `results.json` key are read from it.
extension DocumentedResults {
    /// Images the study read: `Dataset shape (17092, 2)` (In [170]), the number of rows of every
    /// matrix it fitted PCA and t-SNE on (`dataset.valid_images`).
    public static var studyImages: Int { int("dataset.valid_images") ?? 0 }

    /// Length of one ViT-B/16 feature vector: the mean of the final hidden state's 768 tokens' width
    /// (In [176], `vit.feature_length`).
    public static var vitFeatureLength: Int { int("vit.feature_length") ?? 0 }

    /// Length of one HOG vector: 35 x 35 blocks of 2 x 2 cells of 9 orientations (In [172], `hog.length`).
    public static var hogFeatureLength: Int { int("hog.length") ?? 0 }

    /// PCA components the study kept for t-SNE of HOG features: `PCA(n_components=0.95)` printed
    /// "Reduced dims: 7095" (In [181]), the count for 95% of the variance (`pca.hog.n95`).
    public static var pcaHOGReducedDims: Int { pcaHOGComponents[0.95] ?? 0 }

    /// The study's batch size for every image loader (`batch_size = 32`, In [186]).
    public static let batchSize = 32

    /// Batches per loader: `len(train_loader)` etc., printed "Length of train dataloader: 374 batches
    /// of 32" (In [186]), that is ceil(images / 32) of the parts 11,964 / 2,564 / 2,564.
    public static let batchCounts = SplitCounts(train: 374, validation: 81, test: 81)

    /// Side of the images the loaders give: `transforms.Resize((224, 224))` then `ToTensor()`
    /// (`transform_resize_normalize`, In [222]; shapes printed in In [195] and In [198]).
    public static let loaderImageSide = 224

    /// Share of all images in each part, `len(part) / len(df)` printed to 4 decimals (In [187]):
    /// train 0.7000, the held-out `temp_df` 0.3000, validation 0.1500, test 0.1500.
    public static let splitProportions: [(part: String, share: Double)] = [
        ("train_df", 0.70), ("temp_df", 0.30), ("val_df", 0.15), ("test_df", 0.15),
    ]

    /// Class indices of the first batch of each loader, as printed (In [198]): the train loader
    /// shuffles (`shuffle=True`, unseeded), validation and test do not, so theirs are the first 32
    /// images of each part in the study's (unseeded) split order.
    public static let firstBatchLabels: (train: [Int], validation: [Int], test: [Int]) = (
        train: [0, 5, 7, 1, 1, 6, 7, 3, 3, 2, 3, 7, 6, 7, 7, 1, 0, 0, 3, 2, 3, 0, 6, 7, 2, 6, 7, 7, 2, 1, 2, 6],
        validation: [4, 2, 2, 6, 1, 6, 7, 6, 1, 3, 2, 1, 6, 3, 6, 6, 2, 0, 6, 1, 3, 1, 4, 5, 7, 1, 1, 6, 7, 1, 1, 6],
        test: [6, 6, 3, 6, 0, 3, 0, 6, 2, 1, 7, 3, 6, 6, 6, 1, 1, 7, 1, 7, 3, 2, 1, 7, 3, 3, 2, 1, 0, 2, 0, 1])

    /// Where the loader values above come from.
    public static let loaderSource = "documented study, In [186] (batch counts), In [187] (proportions), In [198] (shapes and labels)"

    /// What In [184] printed and the text after it says of the HOG PCA (quoted on the PCA page).
    public static let pcaHOGQuote = (
        text: "Features scaled. Shape: (17092, 44100). Number of components to explain 95% variance: 7095. PCA completed. Original dims: 44100, Reduced dims: 7095. … To preserve 95% of the original variance, 7,095 principal components are required. To preserve 99% of the original variance, 11,318 principal components are required.",
        source: "documented study, In [184] and the text after it")
}
