import Foundation

/// The output folder of a site: a build happens in a sibling temporary folder that is swapped in
/// only when complete, and an existing folder is replaced only when it carries the marker file
/// this program writes (so a mistyped `--out` never deletes a user's folder).
public struct SiteFolder: Sendable {
    /// The marker file written at the top of every site.
    public static let markerName = ".bloodstudy-site"

    public let url: URL

    public init(_ url: URL) { self.url = url.standardizedFileURL }

    /// Throws unless `url` is absent, an empty folder, or a folder with the marker.
    public func checkReplaceable() throws {
        let fm = FileManager.default
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: url.path, isDirectory: &isDirectory) else { return }
        guard isDirectory.boolValue else { throw ReportError.outIsAFile(path: url.path) }
        let contents = (try? fm.contentsOfDirectory(atPath: url.path)) ?? []
        // An empty folder, or one holding only the committed site/README.md, is fine to fill.
        let meaningful = contents.filter { $0 != "README.md" && $0 != ".DS_Store" }
        if meaningful.isEmpty { return }
        if !fm.fileExists(atPath: url.appendingPathComponent(Self.markerName).path) {
            throw ReportError.notASite(path: url.path)
        }
    }

    /// Builds the site with `build` into a fresh temporary sibling folder, then swaps it in.
    /// If `build` throws, the temporary folder is removed and the existing site is untouched.
    public func replace(preserving keep: [String] = ["README.md"], build: (URL) throws -> Void) throws {
        try checkReplaceable()
        let fm = FileManager.default
        let parent = url.deletingLastPathComponent()
        try FileOps.createDirectory(parent)
        let token = UUID().uuidString.prefix(8)
        let temporary = parent.appendingPathComponent(".\(url.lastPathComponent).building-\(token)")
        let old = parent.appendingPathComponent(".\(url.lastPathComponent).old-\(token)")
        try FileOps.createDirectory(temporary)
        do {
            try build(temporary)
            // Files the repository commits inside the site folder (its README) are carried over.
            for name in keep {
                let source = url.appendingPathComponent(name)
                let target = temporary.appendingPathComponent(name)
                if fm.fileExists(atPath: source.path) && !fm.fileExists(atPath: target.path) {
                    try FileOps.copy(source, to: target)
                }
            }
            try FileOps.write(Data("written by bloodstudy; this folder may be replaced by the next run\n".utf8),
                              to: temporary.appendingPathComponent(Self.markerName), atomic: false)
        } catch {
            FileOps.removeIfPossible(temporary)
            throw error
        }
        let existed = fm.fileExists(atPath: url.path)
        do {
            // Swapped in one step where the system can, so a kill never leaves no site at `url`;
            // else moved one at a time (`removeLeftovers` puts an ".old-" site back).
            if existed, try FileOps.exchange(temporary, url) {
                FileOps.removeIfPossible(temporary)   // now the previous site
                try? FileOps.syncDirectory(parent)
                return
            }
            if existed { try FileOps.move(url, to: old) }
            try FileOps.move(temporary, to: url)
        } catch {
            if existed && !fm.fileExists(atPath: url.path) { try? FileOps.move(old, to: url) }
            FileOps.removeIfPossible(temporary)
            throw ReportError.writeFailed(path: url.path, detail: FileOperationError.plainWords(error))
        }
        // The new site is in place: failing to flush or to tidy up now must not fail the run.
        try? FileOps.syncDirectory(parent)
        if existed { FileOps.removeIfPossible(old) }
    }

    /// Removes temporary folders an interrupted run left beside the site.
    public func removeLeftovers() {
        let fm = FileManager.default
        let parent = url.deletingLastPathComponent()
        let prefixes = [".\(url.lastPathComponent).building-", ".\(url.lastPathComponent).old-"]
        let names = (try? fm.contentsOfDirectory(atPath: parent.path)) ?? []
        // A run killed between the two moves of the swap leaves the previous site only as ".old-":
        // put it back before cleaning up.
        if !fm.fileExists(atPath: url.path), let old = names.first(where: { $0.hasPrefix(prefixes[1]) }) {
            try? FileOps.move(parent.appendingPathComponent(old), to: url)
        }
        for name in names where prefixes.contains(where: name.hasPrefix) {
            FileOps.removeIfPossible(parent.appendingPathComponent(name))
        }
    }
}
