import Foundation
import Imaging
import Testing
import _TestSupport
@testable import Dataset

/// Scanning and auditing a dataset folder full of traps, built by the test in a temporary folder.
@Suite("Dataset scan and audit on bad input")
struct DatasetScanTests {
    static func picture(_ seed: Int, width: Int = 20, height: Int = 18) -> Image {
        var img = Image(width: width, height: height, channels: 3)
        for y in 0..<height { for x in 0..<width { for c in 0..<3 {
            img[y, x, c] = UInt8((x * 7 + y * 13 + c * 50 + seed * 31) % 256)
        } } }
        return img
    }

    /// Builds the tree; returns its root.
    static func makeTree() throws -> URL {
        let root = try TestPaths.temporaryFolder("scan")
        let fm = FileManager.default
        func folder(_ name: String) throws -> URL {
            let url = root.appendingPathComponent(name)
            try fm.createDirectory(at: url, withIntermediateDirectories: true)
            return url
        }
        let plain = try folder("basophil")
        let weird = try folder("my cells é <&>")
        _ = try folder("empty")
        let broken = try folder("zz only bad")

        // basophil: three good JPEGs (two identical), a PNG named .jpg, and every kind of bad file.
        try JPEGEncoder.encode(picture(1)).write(to: plain.appendingPathComponent("a.jpg"))
        try JPEGEncoder.encode(picture(1)).write(to: plain.appendingPathComponent("a copy.jpg"))
        try JPEGEncoder.encode(picture(2, width: 22, height: 18)).write(to: plain.appendingPathComponent("b.jpg"))
        try picture(3).pngData().write(to: plain.appendingPathComponent("c.jpg"))
        try Data().write(to: plain.appendingPathComponent("empty.jpg"))
        let jpeg = JPEGEncoder.encode(picture(4, width: 64, height: 64))
        try jpeg.prefix(jpeg.count / 2).write(to: plain.appendingPathComponent("truncated.jpg"))
        try Data("just text".utf8).write(to: plain.appendingPathComponent("notes.jpg"))
        try Data([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31, 0, 0]).write(to: plain.appendingPathComponent(".DS_169665.jpg"))
        try fm.createDirectory(at: plain.appendingPathComponent("x.jpg"), withIntermediateDirectories: false)
        try fm.createSymbolicLink(atPath: plain.appendingPathComponent("dangling.jpg").path,
                                  withDestinationPath: root.appendingPathComponent("nowhere.jpg").path)
        try fm.createSymbolicLink(atPath: plain.appendingPathComponent("loop1.jpg").path,
                                  withDestinationPath: plain.appendingPathComponent("loop2.jpg").path)
        try fm.createSymbolicLink(atPath: plain.appendingPathComponent("loop2.jpg").path,
                                  withDestinationPath: plain.appendingPathComponent("loop1.jpg").path)
        var huge = [UInt8](JPEGEncoder.encode(picture(5)))
        let sof = (0..<(huge.count - 1)).first { huge[$0] == 0xFF && huge[$0 + 1] == 0xC0 }!
        huge[sof + 5] = 0xEA; huge[sof + 6] = 0x60; huge[sof + 7] = 0xEA; huge[sof + 8] = 0x60
        try Data(huge).write(to: plain.appendingPathComponent("huge.jpg"))

        // A class whose name has spaces, non-ASCII and <&>: two good images.
        try JPEGEncoder.encode(picture(6)).write(to: weird.appendingPathComponent("ü 1.jpg"))
        try picture(7).pngData().write(to: weird.appendingPathComponent("two.png"))
        // A class with only a bad file.
        try Data("nope".utf8).write(to: broken.appendingPathComponent("bad.jpg"))
        return root
    }

    @Test("Every bad file is listed with its reason; good ones get labels; classes sorted as ImageFolder")
    func scan() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let scan = try DatasetScan.scan(root: root)

        // Python's sorted(): "basophil" < "my cells é <&>"; empty and all-bad classes get no label.
        #expect(scan.classNames == ["basophil", "my cells é <&>"])
        #expect(scan.emptyClasses == ["empty", "zz only bad"])
        #expect(scan.countsPerClass == [4, 2])
        #expect(scan.items.map(\.relativePath) == ["basophil/a copy.jpg", "basophil/a.jpg", "basophil/b.jpg",
                                                   "basophil/c.jpg", "my cells é <&>/two.png", "my cells é <&>/ü 1.jpg"])
        let reasons = Dictionary(uniqueKeysWithValues: scan.rejected.map { ($0.relativePath, $0.reason) })
        #expect(reasons == [
            "basophil/.DS_169665.jpg": "not an image",
            "basophil/dangling.jpg": "unreadable file",
            "basophil/empty.jpg": "empty file",
            "basophil/huge.jpg": "too large",
            "basophil/loop1.jpg": "unreadable file",
            "basophil/loop2.jpg": "unreadable file",
            "basophil/notes.jpg": "not an image",
            "basophil/truncated.jpg": "truncated or corrupt JPEG",
            "basophil/x.jpg": "unreadable file",
            "zz only bad/bad.jpg": "not an image",
        ])
    }

    @Test("The audit finds the size outlier, the duplicate pair and renders text")
    func audit() throws {
        let root = try Self.makeTree()
        defer { try? FileManager.default.removeItem(at: root) }
        let documented = DocumentedCounts(perClass: ["basophil": 1218], total: 5)
        let (scan, report) = try DatasetAudit.run(root: root, documented: documented)
        #expect(report.documentedTotal == 5)
        #expect(report.validImages == 6 && report.totalFiles == scan.items.count + scan.rejected.count)
        #expect(report.standardWidth == 20 && report.standardHeight == 18)
        #expect(report.sizeOutliers.map(\.path) == ["basophil/b.jpg"])
        #expect(report.duplicates.map(\.paths) == [["basophil/a copy.jpg", "basophil/a.jpg"]])
        #expect(report.classes.map(\.documented) == [1218, nil])
        let text = report.text()
        #expect(text.contains("basophil/.DS_169665.jpg: not an image"))
        #expect(text.contains("my cells é <&>"))
        // The report survives a JSON round trip (it is cached and handed to the report writer).
        let data = try JSONEncoder().encode(report)
        #expect(try JSONDecoder().decode(AuditReport.self, from: data).images == report.images)
    }

    @Test("A missing folder is a DatasetError that says how to point --data")
    func missing() {
        #expect(throws: DatasetError.missingRoot(path: "/no/such/folder")) {
            try DatasetScan.scan(root: URL(fileURLWithPath: "/no/such/folder"))
        }
        #expect(DatasetError.missingRoot(path: "/x").description.contains("--data"))
    }

    @Test("The shared dataset lists 17,093 files in the eight classes, and its stray file is not an image",
          .enabled(if: TestPaths.sharedDataset != nil, "needs the PBC dataset at ../shared/data/pbc"))
    func sharedListing() throws {
        let listing = try DatasetListing(root: TestPaths.sharedDataset!)
        #expect(listing.folders == BloodCellClass.allCases.map(\.rawValue))
        #expect(listing.files.count == 17_093)
        let stray = try #require(listing.files.firstIndex { $0.relativePath == "neutrophil/.DS_169665.jpg" })
        guard case let .failure(error) = listing.decode(stray) else { Issue.record("stray file decoded"); return }
        #expect(error.reason == "not an image")
        // A few real images per class decode (a full decode is the audit's job, not a unit test's).
        for k in listing.folders.indices {
            for i in listing.files.indices.filter({ listing.files[$0].folder == k && $0 != stray }).prefix(3) {
                #expect((try? listing.decode(i).get()) != nil, "\(listing.files[i].relativePath)")
            }
        }
    }
}
