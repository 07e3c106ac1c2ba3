import Foundation
import Imaging
import Testing
import _TestSupport
@testable import Dataset

/// fetch-data's unpacking: archives made by the test, listed and unpacked with the system's unzip.
@Suite("Archive entry validation and unpacking", .enabled(if: FileManager.default.isExecutableFile(atPath: "/usr/bin/unzip"),
                                                        "needs /usr/bin/unzip"))
struct ZipArchiveTests {
    static func write(_ entries: [TestZip.Entry], in folder: URL, name: String = "a.zip") throws -> URL {
        let url = folder.appendingPathComponent(name)
        try TestZip.make(entries).write(to: url)
        return url
    }

    @Test("Entry names that would escape the folder, or links, are refused by name")
    func policy() {
        func why(_ name: String, link: Bool = false) -> String? { ZipArchive.problem(with: .init(name: name, isSymbolicLink: link)) }
        #expect(why("PBC_dataset_normal_DIB/basophil/BA_1.jpg") == nil)
        #expect(why("class with spaces é <&>/x.jpg") == nil)
        #expect(why("a/..b/c..") == nil) // dots inside names are fine
        #expect(why("/etc/passwd") == "is an absolute path")
        #expect(why("\\windows\\x") == "is an absolute path")
        #expect(why("C:\\x") == "starts with a drive letter")
        #expect(why("../x") == "climbs out of the folder with '..'")
        #expect(why("a/../../x") == "climbs out of the folder with '..'")
        #expect(why("a\\..\\..\\x") == "climbs out of the folder with '..'")
        #expect(why("data/link", link: true) == "is a symbolic link")
        #expect(why("") == "has an empty name")
        #expect(why("a\nb") == "contains a control character")
    }

    @Test("unzip's listing is read back exactly, types included")
    func listing() throws {
        let dir = try TestPaths.temporaryFolder("zip")
        defer { try? FileManager.default.removeItem(at: dir) }
        let url = try Self.write([.init(name: "top/", mode: 0o040755), .init(name: "top/a b é.txt", contents: Data("hi".utf8)),
                                  .init(name: "top/link", contents: Data("../x".utf8), mode: 0o120777)], in: dir)
        let entries = try ZipArchive(url: url).entries()
        #expect(entries == [.init(name: "top/", isDirectory: true), .init(name: "top/a b é.txt"),
                            .init(name: "top/link", isSymbolicLink: true)])
        try ZipArchive(url: url).verify()
    }

    @Test("Archives with '..', absolute or link entries are refused and nothing is written")
    func refused() throws {
        let dir = try TestPaths.temporaryFolder("zip")
        defer { try? FileManager.default.removeItem(at: dir) }
        let cases: [(TestZip.Entry, String)] = [
            (.init(name: "../evil.txt", contents: Data("x".utf8)), "climbs out of the folder with '..'"),
            (.init(name: "ok/../../evil.txt", contents: Data("x".utf8)), "climbs out of the folder with '..'"),
            (.init(name: "/tmp/evil.txt", contents: Data("x".utf8)), "is an absolute path"),
            (.init(name: "ok/link", contents: Data("/etc".utf8), mode: 0o120777), "is a symbolic link"),
        ]
        for (i, (bad, why)) in cases.enumerated() {
            let archive = try Self.write([.init(name: "ok/fine.txt", contents: Data("fine".utf8)), bad], in: dir, name: "bad\(i).zip")
            let target = dir.appendingPathComponent("out\(i)")
            #expect(throws: ZipArchive.Failure.unsafeEntry(archive: archive.path, entry: bad.name, why: why)) {
                try ZipArchive(url: archive).unpack(into: target)
            }
            // Refused before unpacking: not even the harmless entry was written.
            #expect(!FileManager.default.fileExists(atPath: target.path))
        }
    }

    @Test("A damaged archive fails the CRC test with a clear message")
    func damaged() throws {
        let dir = try TestPaths.temporaryFolder("zip")
        defer { try? FileManager.default.removeItem(at: dir) }
        var bytes = TestZip.make([.init(name: "a.txt", contents: Data("hello world".utf8))])
        bytes[35] ^= 0xFF // a byte of the stored contents: the CRC no longer matches
        let url = dir.appendingPathComponent("damaged.zip")
        try bytes.write(to: url)
        #expect(throws: ZipArchive.Failure.self) { try ZipArchive(url: url).verify() }
        try Data("not a zip".utf8).write(to: url)
        #expect(throws: ZipArchive.Failure.self) { try ZipArchive(url: url).entries() }
    }

    @Test("A good archive with the PBC layout unpacks, and the result scans")
    func goodArchive() throws {
        let dir = try TestPaths.temporaryFolder("zip")
        defer { try? FileManager.default.removeItem(at: dir) }
        let jpeg = JPEGEncoder.encode(Image(width: 8, height: 8, channels: 3, filledWith: 200))
        var entries: [TestZip.Entry] = [.init(name: "PBC_dataset_normal_DIB/", mode: 0o040755)]
        for name in BloodCellClass.allCases.map(\.rawValue) {
            entries.append(.init(name: "PBC_dataset_normal_DIB/\(name)/", mode: 0o040755))
            entries.append(.init(name: "PBC_dataset_normal_DIB/\(name)/1.jpg", contents: jpeg))
        }
        let archive = try Self.write(entries, in: dir)
        let folder = try DatasetFetch(destination: dir.appendingPathComponent("data")).unpack(archive: archive)
        #expect(folder.lastPathComponent == "PBC_dataset_normal_DIB")
        #expect(try DatasetScan.scan(root: folder).countsPerClass == [1, 1, 1, 1, 1, 1, 1, 1])
    }
}
