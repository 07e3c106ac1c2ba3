import Foundation

extension DatasetCard {
    /// A card and where it came from.
    public struct Located: Sendable, Equatable {
        public enum Source: Sendable, Equatable {
            /// `datacard.json` inside the dataset folder (path).
            case datasetFolder(String)
            /// A card shipped in `assets/datasets/` (path), matched by the folder's identity
            /// (`how`: "fingerprint" or "folder and class names").
            case shipped(String, how: String)
            /// No card: the name is the folder's, everything else is unknown.
            case none
        }

        public var card: DatasetCard
        public var source: Source

        public init(card: DatasetCard, source: Source) { self.card = card; self.source = source }

        /// Whether a card file was found (otherwise every heading says "unknown").
        public var isKnown: Bool { source != .none }

        /// Where the card came from, in words for the page.
        public var sourceText: String {
            switch source {
            case .datasetFolder(let path): "the card file in the dataset folder (\((path as NSString).lastPathComponent))"
            case .shipped(let path, let how):
                "the card shipped with bloodstudy (assets/datasets/\((path as NSString).lastPathComponent)), matched by \(how)"
            case .none: "no card file: the dataset folder holds no \(DatasetCard.fileName) and no card in assets/datasets/ matches it"
            }
        }
    }

    /// The card for the dataset folder `root`: `root/datacard.json` when present; else the first
    /// card in `shipped` (`*.card.json`, in name order) whose identity matches the folder; else
    /// a card holding only the folder's name.
    ///
    /// - Parameters:
    ///   - fingerprint: the folder's `DatasetFingerprint.sha256` (matches `identity.fingerprints`).
    /// - Throws: `StudyError.badConfig` naming a card file that cannot be read.
    public static func locate(datasetRoot root: URL, shipped: URL?, fingerprint: String) throws -> Located {
        let own = root.appendingPathComponent(fileName)
        if FileManager.default.fileExists(atPath: own.path) {
            return Located(card: try load(own), source: .datasetFolder(own.path))
        }
        if let shipped {
            let names = ((try? FileManager.default.contentsOfDirectory(atPath: shipped.path)) ?? [])
                .filter { $0.hasSuffix(".card.json") }.sorted()
            let classes = classFolders(root)
            for name in names {
                let url = shipped.appendingPathComponent(name)
                let card = try load(url)
                if let how = card.identity?.matches(folderName: root.lastPathComponent, classes: classes, fingerprint: fingerprint) {
                    return Located(card: card, source: .shipped(url.path, how: how))
                }
            }
        }
        return Located(card: DatasetCard(name: root.lastPathComponent), source: .none)
    }

    /// The sub-folder names of `root` (the classes, as the scan sees them), sorted.
    static func classFolders(_ root: URL) -> [String] {
        let fm = FileManager.default
        return ((try? fm.contentsOfDirectory(atPath: root.path)) ?? []).filter { name in
            var isFolder: ObjCBool = false
            return fm.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &isFolder) && isFolder.boolValue
        }.sorted()
    }
}

extension DatasetCard.Identity {
    /// How this identity matches a folder, or nil: the same fingerprint (paths and sizes of every
    /// file), or the published folder name together with the same class folders. A name alone
    /// never matches, so a different dataset with the same folder name gets no borrowed credit.
    func matches(folderName: String, classes: [String], fingerprint: String) -> String? {
        if let fingerprints, !fingerprint.isEmpty, fingerprints.contains(fingerprint) { return "fingerprint" }
        if let folderNames, let known = self.classes, folderNames.contains(folderName), known.sorted() == classes {
            return "folder and class names"
        }
        return nil
    }
}
