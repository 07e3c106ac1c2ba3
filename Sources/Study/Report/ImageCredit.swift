/// The credit under a figure that shows images of the dataset.
///
/// A section's cells are cached, and one cache entry must not carry a dataset's name into a
/// report on another dataset or go stale when the card file changes, so sections write this
/// placeholder and `StudyReport` replaces it with the dataset card's `figureCredit` each time
/// it builds the pages.
public enum ImageCredit {
    public static let placeholder = "Images: see the dataset card."
}
