import Foundation

/// Where `templates/` and `assets/` (pages, styles, profiles) are found when `--resources` is not
/// given, so that the program runs from any folder:
/// 1. the current folder, when it holds both (the repository root: `make report`);
/// 2. `PREFIX/share/bloodstudy` beside an installed executable `PREFIX/bin/bloodstudy` (`make install`);
/// 3. the repository an executable was built in (`<repository>/.build/<configuration>/bloodstudy`).
/// When none holds them, the current folder is returned and the report names what is missing.
enum ResourceLocation {
    static func holdsResources(_ folder: URL) -> Bool {
        let fm = FileManager.default
        return fm.fileExists(atPath: folder.appendingPathComponent("templates/index.mustache").path)
            && fm.fileExists(atPath: folder.appendingPathComponent("assets/profiles/paper.json").path)
    }

    static func candidates(executable: URL?) -> [URL] {
        var folders = [URL(fileURLWithPath: FileManager.default.currentDirectoryPath)]
        if let bin = executable?.resolvingSymlinksInPath().deletingLastPathComponent() {
            folders.append(bin.deletingLastPathComponent().appendingPathComponent("share/bloodstudy"))
            // .build/<triple>/<configuration>/ and its .build/<configuration> link.
            folders.append(bin.deletingLastPathComponent().deletingLastPathComponent())
            folders.append(bin.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent())
        }
        return folders
    }

    /// The first folder of `candidates` that holds the resources, else the current folder.
    static func find(executable: URL? = Bundle.main.executableURL) -> URL {
        let folders = candidates(executable: executable)
        return folders.first(where: holdsResources) ?? folders[0]
    }
}
