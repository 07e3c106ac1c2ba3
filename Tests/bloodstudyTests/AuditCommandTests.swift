import ArgumentParser
import Foundation
import Study
import Testing
@testable import bloodstudy

/// What users see from `bloodstudy audit` and `fetch-data`: help text, and errors with their exit codes.
@Suite("audit and fetch-data commands")
struct AuditCommandTests {
    @Test("audit --help lists its options in sentences")
    func help() {
        let help = BloodStudy.helpMessage(for: AuditCommand.self, columns: 100)
        #expect(help.contains("USAGE: bloodstudy audit"))
        #expect(help.contains("--json <json>"))
        #expect(help.contains("Also write the full report as JSON to this file."))
        #expect(help.contains("--data <data>"))
    }

    @Test("A negative --list-limit is a validation error with exit code 64")
    func badOption() throws {
        let error = try #require(parseError { try AuditCommand.parseAsRoot(["--list-limit=-1"]) })
        #expect(AuditCommand.exitCode(for: error) == .validationFailure)
        #expect(AuditCommand.message(for: error) == "--list-limit must be 0 or more, not -1.")
    }

    @Test("A missing dataset folder fails with advice on --data and exit code 1")
    func missingData() throws {
        let command = try AuditCommand.parseAsRoot(["--data", "/no/such/PBC"]) as! AuditCommand
        do {
            try command.run()
            Issue.record("audit ran without a dataset")
        } catch {
            #expect(AuditCommand.exitCode(for: error) == .failure)
            #expect("\(error)".hasPrefix("No dataset folder at /no/such/PBC. Point --data"))
        }
    }

    @Test("fetch-data refuses a malformed --sha256 before doing anything, saying what it takes")
    func badChecksum() throws {
        let error = try #require(parseError { try FetchDataCommand.parseAsRoot(["--sha256", "xyz"]) })
        #expect(FetchDataCommand.exitCode(for: error) == .validationFailure)
        #expect(FetchDataCommand.message(for: error) == "--sha256 takes 64 hexadecimal digits, not 'xyz'.")
    }
}

/// The error `parse` throws, or nil (recorded as an issue) when it does not throw.
func parseError(_ parse: () throws -> Any) -> (any Error)? {
    do {
        _ = try parse()
        Issue.record("parsing succeeded; an error was expected")
        return nil
    } catch {
        return error
    }
}
