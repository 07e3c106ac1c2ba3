import Foundation
import Imaging
import Tensor

/// The images of a class-per-folder dataset, as torchvision's `ImageFolder` sees it, plus the files
/// that are not usable images and why.
///
/// - Classes are the sub-folders of the root, sorted by Unicode code points as Python's `sorted`
///   does (so `ImageFolder` would give the same label indices). Class folders in which no file
///   decodes are left out of `classNames` and listed in `emptyClasses`.
/// - Every entry directly inside a class folder is a candidate, whatever its name: hidden files
///   and odd suffixes included. Each is decoded (by content, `ImageDecoder`); those that fail are
///   in `rejected` with the decoder's reason. Sub-folders are rejected too ("it is a folder").
/// - Files are in sorted order within each class, classes in label order.
public struct DatasetScan: Sendable, Codable {
    /// One usable image.
    public struct Item: Sendable, Codable, Equatable {
        /// Path relative to the root, `class/file.jpg`.
        public var relativePath: String
        /// Index into `classNames`.
        public var label: Int
        public var width: Int
        public var height: Int
    }

    /// A file that is not a usable image.
    public struct RejectedFile: Sendable, Codable, Equatable {
        /// Path relative to the root.
        public var relativePath: String
        /// Short reason, as `ImageDecodingError.reason` ("not an image", "empty file", ...).
        public var reason: String
        /// The specifics (codec message, sizes).
        public var detail: String
    }

    /// Absolute path of the dataset folder.
    public var root: String
    /// Class names in label order.
    public var classNames: [String]
    public var items: [Item]
    public var rejected: [RejectedFile]
    /// Class folders with no usable image (not given a label).
    public var emptyClasses: [String]

    /// Labels of `items`, in order (what a stratified split needs).
    public var labels: [Int] { items.map(\.label) }

    /// Usable images per class, in label order.
    public var countsPerClass: [Int] {
        var counts = [Int](repeating: 0, count: classNames.count)
        for item in items { counts[item.label] += 1 }
        return counts
    }

    /// Absolute URL of an item.
    public func url(of item: Item) -> URL {
        URL(fileURLWithPath: root).appendingPathComponent(item.relativePath)
    }

    /// Scans `root`, decoding every candidate file in parallel to check it.
    /// - Parameters:
    ///   - root: the dataset folder (holding one sub-folder per class).
    ///   - progress: called with (files done, files in all) from worker threads, now and then.
    /// - Throws: `DatasetError` when the folder is missing or holds no usable class.
    public static func scan(root: URL, progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> DatasetScan {
        let listing = try DatasetListing(root: root)
        let reporter = ProgressCounter(total: listing.files.count, callback: progress)
        let outcomes: [Result<(Int, Int), ImageDecodingError>] = Parallel.map(listing.files.count) { i in
            defer { reporter.step() }
            return listing.decode(i).map { ($0.width, $0.height) }
        }
        return try listing.assemble(outcomes.map { r in r.map { (w: $0.0, h: $0.1) } })
    }
}

/// The candidate files of a dataset folder before decoding.
struct DatasetListing {
    struct File {
        var relativePath: String
        var url: URL
        /// Index into `folders`.
        var folder: Int
        /// A sub-folder inside a class folder: rejected without reading.
        var isFolder: Bool
    }

    let root: URL
    /// Class folder names, sorted by code points.
    let folders: [String]
    let files: [File]

    init(root: URL) throws {
        let fm = FileManager.default
        var isDir: ObjCBool = false
        guard fm.fileExists(atPath: root.path, isDirectory: &isDir), isDir.boolValue else {
            throw DatasetError.missingRoot(path: root.path)
        }
        self.root = root
        let entries = (try? fm.contentsOfDirectory(atPath: root.path)) ?? []
        folders = entries.filter { name in
            var d: ObjCBool = false
            return fm.fileExists(atPath: root.appendingPathComponent(name).path, isDirectory: &d) && d.boolValue
        }.sorted(by: codePointOrder)
        var files: [File] = []
        for (k, folder) in folders.enumerated() {
            let folderURL = root.appendingPathComponent(folder)
            let names = ((try? fm.contentsOfDirectory(atPath: folderURL.path)) ?? []).sorted(by: codePointOrder)
            for name in names {
                let url = folderURL.appendingPathComponent(name)
                var d: ObjCBool = false
                let folderEntry = fm.fileExists(atPath: url.path, isDirectory: &d) && d.boolValue
                files.append(File(relativePath: folder + "/" + name, url: url, folder: k, isFolder: folderEntry))
            }
        }
        self.files = files
    }

    /// Decodes file `i` (thread-safe).
    func decode(_ i: Int) -> Result<Image, ImageDecodingError> {
        let file = files[i]
        if file.isFolder {
            return .failure(.unreadable(path: file.url.path, detail: "it is a folder, not a file"))
        }
        do { return .success(try ImageDecoder.decode(contentsOf: file.url)) } catch let error as ImageDecodingError {
            return .failure(error)
        } catch {
            return .failure(.unreadable(path: file.url.path, detail: "\(error)"))
        }
    }

    /// Builds the scan from per-file outcomes (sizes or errors), in `files` order.
    func assemble(_ outcomes: [Result<(w: Int, h: Int), ImageDecodingError>]) throws -> DatasetScan {
        var usable = [Bool](repeating: false, count: folders.count)
        for (file, outcome) in zip(files, outcomes) { if case .success = outcome { usable[file.folder] = true } }
        var label = [Int](repeating: -1, count: folders.count)
        var classNames: [String] = []
        for (k, name) in folders.enumerated() where usable[k] { label[k] = classNames.count; classNames.append(name) }
        guard !classNames.isEmpty else { throw DatasetError.noClasses(path: root.path) }
        var items: [DatasetScan.Item] = [], rejected: [DatasetScan.RejectedFile] = []
        for (file, outcome) in zip(files, outcomes) {
            switch outcome {
            case let .success(size):
                items.append(.init(relativePath: file.relativePath, label: label[file.folder], width: size.w, height: size.h))
            case let .failure(error):
                rejected.append(.init(relativePath: file.relativePath, reason: error.reason, detail: error.detail))
            }
        }
        return DatasetScan(root: root.path, classNames: classNames, items: items, rejected: rejected,
                           emptyClasses: folders.enumerated().filter { !usable[$0.offset] }.map(\.element))
    }
}

/// Python's string order: by Unicode code points.
func codePointOrder(_ a: String, _ b: String) -> Bool {
    a.unicodeScalars.lexicographicallyPrecedes(b.unicodeScalars) { $0.value < $1.value }
}

/// Counts finished items from any thread and calls a progress callback every ~0.5% of the total.
final class ProgressCounter: @unchecked Sendable {
    private let lock = NSLock()
    private var done = 0
    private let total: Int
    private let every: Int
    private let callback: (@Sendable (Int, Int) -> Void)?

    init(total: Int, callback: (@Sendable (Int, Int) -> Void)?) {
        self.total = total
        self.callback = callback
        every = max(1, total / 200)
    }

    func step() {
        guard let callback else { return }
        lock.lock()
        done += 1
        let now = done
        let report = now % every == 0 || now == total
        if report { callback(now, total) }
        lock.unlock()
    }
}
