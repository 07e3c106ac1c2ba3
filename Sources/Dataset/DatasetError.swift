/// Problems with the dataset folder as a whole (single bad files are not errors: they are listed
/// as rejected and the run goes on).
public enum DatasetError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The folder does not exist or is not a folder.
    case missingRoot(path: String)
    /// The folder holds no class sub-folders with at least one image.
    case noClasses(path: String)

    public var description: String {
        switch self {
        case let .missingRoot(path):
            return "No dataset folder at \(path). Point --data (or $BLOODSTUDY_DATA) at the PBC_dataset_normal_DIB "
                + "folder, or run 'bloodstudy fetch-data' to download it into data/."
        case let .noClasses(path):
            return "\(path) holds no class folders with images. It should contain one sub-folder per cell type "
                + "(basophil, eosinophil, ...), each holding that class's JPEG images."
        }
    }
}
