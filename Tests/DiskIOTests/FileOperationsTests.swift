import Foundation
import Testing
@testable import DiskIO
import _TestSupport

@Suite("File operations: atomic writes and errors in plain words")
struct FileOperationsTests {
    @Test("a full disk names the folder, the file, its size and the fix, never a Foundation dump")
    func fullDiskMessage() {
        let root = URL(fileURLWithPath: "/tmp/bloodstudy-test-roots-\(getpid())/cache")
        FileLocations.shared.register(root, option: "--cache")
        let error = FileOperationError(.write, path: root.path + "/steps/hog/abc/hog.bin", code: ENOSPC, bytes: 3 << 30)
        #expect(error.description == "no space left on the device of \(root.path) while writing steps/hog/abc/hog.bin (3.0 GB); free space there or pass --cache PATH on a larger disk")
    }

    @Test("Foundation's file errors become plain words with their file")
    func plainWords() throws {
        let missing = URL(fileURLWithPath: "/nonexistent-\(UUID().uuidString)/x.json")
        do {
            try Data("x".utf8).write(to: missing)
            Issue.record("writing into a missing folder succeeded")
        } catch {
            let text = FileOperationError.plainWords(error)
            #expect(!text.contains("NSCocoaErrorDomain") && !text.contains("Error Domain"), "\(text)")
            #expect(text.contains("x.json"), "\(text)")
        }
        struct Own: Error, CustomStringConvertible { var description: String { "own words" } }
        #expect(FileOperationError.plainWords(Own()) == "own words")
    }

    @Test("an atomic write replaces the file whole and leaves no temporary file")
    func atomicWrite() throws {
        let folder = try TestPaths.temporaryFolder("fileops")
        defer { try? FileManager.default.removeItem(at: folder) }
        let file = folder.appendingPathComponent("a.json")
        try FileOps.write(Data("old".utf8), to: file)
        try FileOps.write(Data("new".utf8), to: file)
        #expect(try Data(contentsOf: file) == Data("new".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.json"])
        #expect(throws: FileOperationError.self) { try FileOps.write(Data(), to: folder.appendingPathComponent("no/such/b")) }
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["a.json"])
    }

    @Test("a download is placed over its target and its temporary file is gone")
    func place() throws {
        let folder = try TestPaths.temporaryFolder("fileops")
        defer { try? FileManager.default.removeItem(at: folder) }
        let download = folder.appendingPathComponent("download.part"), target = folder.appendingPathComponent("weights.bin")
        try FileOps.write(Data("old".utf8), to: target)
        try FileOps.write(Data("new".utf8), to: download)
        try FileOps.place(download, at: target)
        #expect(try Data(contentsOf: target) == Data("new".utf8))
        #expect(try FileManager.default.contentsOfDirectory(atPath: folder.path) == ["weights.bin"])
        #expect(throws: FileOperationError.self) { try FileOps.place(download, at: target) }   // nothing left to place
    }

    @Test("$BLOODSTUDY_FAULT plans parse; anything else is ignored")
    func faultPlans() {
        #expect(FaultInjection.parse("write:3") == .init(kind: .write, index: 3, kill: false))
        #expect(FaultInjection.parse("kill-rename:12") == .init(kind: .rename, index: 12, kill: true))
        #expect(FaultInjection.parse("sync:0") == nil)
        #expect(FaultInjection.parse("chmod:2") == nil)
    }
}
