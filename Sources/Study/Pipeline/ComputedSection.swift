import Foundation
import Report

/// A section in two halves: `compute` does the work and returns a Codable `Result`, `page` turns a
/// result into the page (cells, headlines, deviations) without reading a file or computing anything.
///
/// `run` stores the result in the step's cache entry (the artifact `computed.json`), and the runner
/// renders the page again from it whenever the step is reused: a change to a page never recomputes
/// its step. Bump `version` only when `compute` (or `Result`) changes; a cached result that no
/// longer decodes is recomputed.
///
/// `Result` holds every number the page shows, each headline as a named field, so the page can be
/// tested from a stored value:
///
///     struct PCAHOGSection: ComputedSection {
///         struct Result: Codable, Sendable { var counts: [Int]; ... }
///         func compute(_ context: StudyContext) throws -> Result { ... }
///         func page(_ result: Result) -> SectionResult { ... }
///     }
public protocol ComputedSection: StudySection {
    associatedtype Result: Codable & Sendable
    /// Does the section's work; writes any artifacts later steps read through `context.artifacts`.
    func compute(_ context: StudyContext) throws -> Result
    /// The page of `result`: a pure function of it (and of the documented study's table).
    func page(_ result: Result) throws -> SectionResult
}

/// Name of the artifact that holds a `ComputedSection`'s result (`computed.json`).
enum ComputedResultArtifact {
    static let name = "computed"
}

extension ComputedSection {
    public func run(_ context: StudyContext) throws -> SectionResult {
        let result = try compute(context)
        try context.artifacts.write(result, as: ComputedResultArtifact.name)
        return try page(result)
    }

    public func page(cachedIn artifacts: ArtifactReader) throws -> SectionResult? {
        try page(artifacts.read(Result.self, ComputedResultArtifact.name))
    }
}
