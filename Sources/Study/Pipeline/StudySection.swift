import Foundation
import Report

/// A section of the study, run as one cached step of the pipeline.
///
/// A section declares what its result depends on (`inputs`, `dependencies`, `usesDataset`,
/// `version`), computes in `run`, and returns cells for the report, headline numbers and any
/// deviations. Intermediate data other sections need are written as artifacts through
/// `context.artifacts` and read by dependents with `context.upstream(_:)`.
///
/// The runner hashes the declared inputs; when the hash matches a verified cache entry the
/// section is not run and its stored result is used. Anything `run` reads must therefore be
/// declared: a config value not listed in `inputs` will not invalidate the cache when it changes.
///
///     struct SplitSection: StudySection {
///         let id = "split", title = "Train, validation and test split"
///         let dependencies = ["audit"]
///         func inputs(_ config: StudyConfig) -> StepInputs {
///             StepInputs().adding("split", config.split).adding("data", config.data)
///         }
///         func run(_ context: StudyContext) throws -> SectionResult { ... }
///     }
public protocol StudySection: Sendable {
    /// Stable id: the cache folder and the page name (`<id>.html`). Lower-case, digits, `-`.
    var id: String { get }
    var title: String { get }
    /// Ids of the steps whose artifacts this section reads; they must run before it.
    var dependencies: [String] { get }
    /// Whether the result depends on the dataset's files (then its fingerprint is hashed in).
    var usesDataset: Bool { get }
    /// Bump when the section's code changes what it computes, so old cache entries are not reused.
    var version: Int { get }
    /// Whether the section is a page of the report. A step without a page (say, the training of a
    /// network, whose page is a later step that reads its artifacts) still runs, is cached and timed.
    var hasPage: Bool { get }
    /// Dotted prefixes of the profile settings this step reads (`networks.cnn`, `tsne`): a profile
    /// setting that differs from the documented study is listed as a deviation only when a step that
    /// ran claims it.
    var configKeys: [String] { get }
    /// The config values (and any other values) this section's result depends on.
    func inputs(_ config: StudyConfig) throws -> StepInputs
    /// The inputs when they also depend on the weights folder (e.g. the hash of the weights a step
    /// loads); by default `inputs(config)`.
    func inputs(_ config: StudyConfig, weights: URL) throws -> StepInputs
    /// Computes the section. Throwing stops the run; the error is reported with the step's id.
    func run(_ context: StudyContext) throws -> SectionResult
    /// The page rendered again from a cached entry's artifacts, or nil when the section keeps its
    /// page in the cache as computed (see ``ComputedSection``, which renders it afresh).
    func page(cachedIn artifacts: ArtifactReader) throws -> SectionResult?
}

extension StudySection {
    /// The profile settings this step claims for the deviations table: `configKeys`, or, for a
    /// section that declares none, the names of its hashed inputs that are blocks of the config
    /// (what it reads is what its cache entry depends on).
    public func claimedConfigKeys(_ config: StudyConfig) throws -> [String] {
        if !configKeys.isEmpty { return configKeys }
        let blocks = try JSONSerialization.jsonObject(with: config.jsonData()) as? [String: Any] ?? [:]
        return try inputs(config).values.keys.filter { blocks[$0] != nil }.sorted()
    }
}

extension StudySection {
    public var dependencies: [String] { [] }
    public var usesDataset: Bool { true }
    public var version: Int { 1 }
    public var hasPage: Bool { true }
    public var configKeys: [String] { [] }
    public func inputs(_ config: StudyConfig, weights: URL) throws -> StepInputs { try inputs(config) }
    public func page(cachedIn artifacts: ArtifactReader) throws -> SectionResult? { nil }
}

/// Named, hashable inputs of a step: each value is stored as canonical JSON (sorted keys).
public struct StepInputs: Sendable, Equatable {
    public private(set) var values: [String: Data] = [:]

    public init() {}

    /// Returns these inputs plus `value` under `name`.
    public func adding(_ name: String, _ value: some Encodable) -> StepInputs {
        var copy = self
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Encoding plain config values cannot fail; a failure is a programming error.
        copy.values[name] = try! encoder.encode(value)
        return copy
    }
}

/// What a section produced for the report.
public struct SectionResult: Codable, Sendable, Equatable {
    /// The cells of the section's page and notebook part.
    public var cells: [Cell]
    /// Headline numbers under stable keys (see docs/results-schema.md).
    public var headlines: [Headline]
    /// Ways this section's run differs from the documented study beyond the profile's settings.
    public var deviations: [Deviation]

    public init(cells: [Cell], headlines: [Headline] = [], deviations: [Deviation] = []) {
        self.cells = cells; self.headlines = headlines; self.deviations = deviations
    }
}

extension SectionResult {
    /// Source line of the cell that lists the warnings a step's computation raised.
    static let warningsSource = "# Warnings raised while computing this section"
}

extension Cell {
    /// Whether this is the cell of warnings the runner appends to a computed step.
    var isWarnings: Bool {
        if case let .code(source, _) = self { return source == SectionResult.warningsSource }
        return false
    }
}

/// One headline number of this run, under a stable key such as `split.train`.
public struct Headline: Codable, Sendable, Equatable {
    public var key: String
    public var value: JSONValue
    /// A label for keys the documented study has no entry for (ignored otherwise).
    public var label: String?

    public init(_ key: String, _ value: JSONValue, label: String? = nil) {
        self.key = key; self.value = value; self.label = label
    }
}
