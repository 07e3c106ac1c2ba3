import Foundation

/// A datasheet for a dataset, under the headings of Gebru et al., "Datasheets for Datasets"
/// (CACM 2021): who made it and why, what it holds, how it was collected and preprocessed, what
/// it is for, how it is distributed and maintained. Read from a card file that travels with the
/// dataset (`DatasetCard.Located`); the report adds what this run's audit measured.
///
/// Only `name` is required: every other field may be absent, and the page then says that the
/// card does not state it. Keys in the JSON file are snake_case (`short_name`, `known_limits`).
public struct DatasetCard: Codable, Sendable, Equatable {
    /// What identifies a published dataset folder, so that a card shipped in `assets/datasets/`
    /// finds the folder it describes.
    public struct Identity: Codable, Sendable, Equatable {
        /// Folder names the dataset has when unpacked as published.
        public var folderNames: [String]?
        /// The class folder names, in any order.
        public var classes: [String]?
        /// `DatasetFingerprint.sha256` values of the folder as published (paths and sizes).
        public var fingerprints: [String]?

        public init(folderNames: [String]? = nil, classes: [String]? = nil, fingerprints: [String]? = nil) {
            self.folderNames = folderNames; self.classes = classes; self.fingerprints = fingerprints
        }
    }

    /// Full name, such as "PBC dataset of normal peripheral blood cells".
    public var name: String
    /// A few words for the site title ("Blood-cell images").
    public var shortName: String?
    /// Authors, as they should be credited.
    public var creators: String?
    public var year: Int?
    /// Where it was published ("Data in Brief 30, 105474; Mendeley Data").
    public var publication: String?
    public var doi: String?
    /// Where to get it (shown as text: the site makes no external links).
    public var url: String?
    /// Licence as people write it ("CC BY 4.0").
    public var licence: String?
    /// Licence as a Hugging Face / SPDX identifier in lower case ("cc-by-4.0"), for model cards.
    public var spdxLicence: String?
    /// The credit line under figures that show images, such as "Images: PBC dataset (Acevedo et
    /// al., Data in Brief 2020, CC BY 4.0)."; made from the fields above when absent.
    public var shortCredit: String?
    public var identity: Identity?

    // Gebru et al.'s headings (markdown; the report escapes it).
    public var motivation: String?
    public var composition: String?
    public var collection: String?
    public var preprocessing: String?
    public var uses: String?
    public var distribution: String?
    public var maintenance: String?
    /// What the data does not cover (one population, one scanner, ...): each model card lists
    /// these as out-of-scope uses.
    public var knownLimits: [String]?

    public init(name: String, shortName: String? = nil, creators: String? = nil, year: Int? = nil,
                publication: String? = nil, doi: String? = nil, url: String? = nil, licence: String? = nil,
                spdxLicence: String? = nil, shortCredit: String? = nil, identity: Identity? = nil,
                motivation: String? = nil, composition: String? = nil, collection: String? = nil,
                preprocessing: String? = nil, uses: String? = nil, distribution: String? = nil,
                maintenance: String? = nil, knownLimits: [String]? = nil) {
        self.name = name; self.shortName = shortName; self.creators = creators; self.year = year
        self.publication = publication; self.doi = doi; self.url = url; self.licence = licence
        self.spdxLicence = spdxLicence; self.shortCredit = shortCredit; self.identity = identity
        self.motivation = motivation; self.composition = composition; self.collection = collection
        self.preprocessing = preprocessing; self.uses = uses; self.distribution = distribution
        self.maintenance = maintenance; self.knownLimits = knownLimits
    }

    /// The site's title: "<short name>: the study, recomputed".
    public var siteTitle: String { "\(shortName ?? name): the study, recomputed" }

    /// The full credit and licence line of every page's footer.
    public var creditLine: String {
        var parts = [name]
        if let creators { parts.append(creators + (year.map { " (\($0))" } ?? "")) } else if let year { parts.append(String(year)) }
        if let publication { parts.append(publication) }
        if let doi { parts.append("DOI \(doi)") }
        parts.append(licence.map { "licence \($0)" } ?? "licence not stated")
        return "Images: " + parts.joined(separator: ", ") + "."
    }

    /// The credit under a figure that shows images of the dataset.
    public var figureCredit: String {
        shortCredit ?? "Images: \(name) (\(licence ?? "licence not stated"))."
    }
}

extension DatasetCard {
    /// The card's file name inside a dataset folder.
    public static let fileName = "datacard.json"

    /// Reads a card file; throws `StudyError.badConfig` naming the file and what is wrong.
    public static func load(_ url: URL) throws -> DatasetCard {
        let data: Data
        do { data = try Data(contentsOf: url) } catch {
            throw StudyError.badConfig(file: url.path, detail: "cannot read the dataset card (\(error.localizedDescription))")
        }
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let card: DatasetCard
        do { card = try decoder.decode(DatasetCard.self, from: data) } catch {
            throw StudyError.badConfig(file: url.path, detail: "not a dataset card: \(Self.reason(error)). "
                + "A card is a JSON object with at least \"name\"; see assets/datasets/pbc.card.json.")
        }
        guard !card.name.trimmingCharacters(in: .whitespaces).isEmpty else {
            throw StudyError.badConfig(file: url.path, detail: "the dataset card's \"name\" is empty")
        }
        return card
    }

    /// The card as JSON, keys in snake_case and sorted (what `load` reads).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        return try encoder.encode(self)
    }

    /// A decoding error in a sentence: which key, what was expected.
    static func reason(_ error: Error) -> String {
        guard let error = error as? DecodingError else { return "\(error)" }
        func path(_ c: DecodingError.Context) -> String {
            c.codingPath.isEmpty ? "the file" : "'" + c.codingPath.map(\.stringValue).joined(separator: ".") + "'"
        }
        switch error {
        case .keyNotFound(let key, _): return "required key '\(key.stringValue)' is missing"
        case .typeMismatch(let type, let c): return "\(path(c)) should be \(type)"
        case .valueNotFound(let type, let c): return "\(path(c)) should be \(type), not null"
        case .dataCorrupted(let c): return "\(path(c)): \(c.debugDescription)"
        @unknown default: return "\(error)"
        }
    }
}
