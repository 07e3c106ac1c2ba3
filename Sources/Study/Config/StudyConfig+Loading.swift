import Foundation

extension StudyConfig {
    /// Loads `<resources>/assets/profiles/<profile>.json` and checks it against `paper.json`.
    ///
    /// Unknown keys are rejected with an error naming the file and the dotted key. Every setting
    /// that differs from `paper.json` must be explained in `reasons`, and only those.
    public static func load(profile: Profile, resources: URL) throws -> StudyConfig {
        let config = try decodeFile(profileURL(profile, resources: resources))
        if profile != .paper {
            let paper = try decodeFile(profileURL(.paper, resources: resources))
            _ = try config.deviations(from: paper, file: profileURL(profile, resources: resources).path)
        }
        return config
    }

    public static func profileURL(_ profile: Profile, resources: URL) -> URL {
        resources.appendingPathComponent("assets/profiles/\(profile.rawValue).json")
    }

    /// Decodes one profile file strictly.
    public static func decodeFile(_ url: URL) throws -> StudyConfig {
        guard let data = FileManager.default.contents(atPath: url.path) else {
            throw StudyError.missingProfile(path: url.path)
        }
        return try decodeStrict(data, file: url.path)
    }

    /// Decodes `data`, then rejects any key that decoding ignored (found by re-encoding the result
    /// and comparing key sets), so a misspelt setting never silently falls back to nothing.
    public static func decodeStrict(_ data: Data, file: String) throws -> StudyConfig {
        let decoder = JSONDecoder()
        decoder.keyDecodingStrategy = .convertFromSnakeCase
        let config: StudyConfig
        do {
            config = try decoder.decode(StudyConfig.self, from: data)
        } catch let DecodingError.keyNotFound(key, context) {
            let path = (context.codingPath.map(\.stringValue) + [key.stringValue]).map(snakeCase).joined(separator: ".")
            throw StudyError.badConfig(file: file, detail: "missing key '\(path)'")
        } catch let DecodingError.typeMismatch(type, context) {
            let path = context.codingPath.map(\.stringValue).map(snakeCase).joined(separator: ".")
            throw StudyError.badConfig(file: file, detail: "'\(path)' should be \(type)")
        } catch let DecodingError.dataCorrupted(context) {
            throw StudyError.badConfig(file: file, detail: "not valid JSON (\(context.debugDescription))")
        } catch {
            throw StudyError.badConfig(file: file, detail: "\(error)")
        }
        let original = try JSONSerialization.jsonObject(with: data)
        let roundTrip = try JSONSerialization.jsonObject(with: config.jsonData())
        if let key = firstUnknownKey(original, known: roundTrip, path: "") {
            throw StudyError.unknownConfigKey(file: file, key: key)
        }
        return config
    }

    /// The config as JSON with snake_case keys, sorted (stable across runs, so it can be hashed).
    public func jsonData() throws -> Data {
        let encoder = JSONEncoder()
        encoder.keyEncodingStrategy = .convertToSnakeCase
        encoder.outputFormatting = [.sortedKeys, .prettyPrinted]
        return try encoder.encode(self)
    }

    /// Every setting of this config that differs from `paper`, with the reason this profile gives.
    /// Throws when a difference has no reason or a reason explains no difference.
    public func deviations(from paper: StudyConfig, file: String = "profile") throws -> [Deviation] {
        let mine = try Self.flatten(JSONSerialization.jsonObject(with: jsonData()))
        let theirs = try Self.flatten(JSONSerialization.jsonObject(with: paper.jsonData()))
        let why = Dictionary(reasons.map { ($0.key, $0.why) }, uniquingKeysWith: { a, _ in a })
        var out: [Deviation] = []
        for (key, value) in mine.sorted(by: { $0.key < $1.key }) where !["profile", "summary"].contains(key) {
            if key.hasPrefix("reasons") { continue }
            let documented = theirs[key] ?? "—"
            guard documented != value else { continue }
            guard let reason = why[key] else {
                throw StudyError.missingReason(file: file, key: key, documented: documented, thisRun: value)
            }
            out.append(Deviation(what: key, documented: Self.displayValue(key: key, documented),
                                 thisRun: Self.displayValue(key: key, value), why: reason))
        }
        for reason in reasons where !out.contains(where: { $0.what == reason.key }) {
            throw StudyError.needlessReason(file: file, key: reason.key)
        }
        return out
    }

    /// A setting's value as the deviations table shows it: the `*images_per_class` settings use 0
    /// for "every image", so 0 reads "all" there.
    static func displayValue(key: String, _ value: String) -> String {
        let leaf = key.split(separator: ".").last.map(String.init) ?? key
        return leaf.hasSuffix("images_per_class") && value == "0" ? "all" : value
    }

    /// Dotted key → value text for every leaf (arrays of scalars are one leaf).
    static func flatten(_ object: Any, prefix: String = "") -> [String: String] {
        var out: [String: String] = [:]
        if let dict = object as? [String: Any] {
            for (k, v) in dict { out.merge(flatten(v, prefix: prefix.isEmpty ? k : "\(prefix).\(k)")) { a, _ in a } }
        } else if let array = object as? [Any], array.allSatisfy({ !($0 is [String: Any]) && !($0 is [Any]) }) {
            out[prefix] = "[" + array.map(leafText).joined(separator: ", ") + "]"
        } else if let array = object as? [Any] {
            for (i, v) in array.enumerated() { out.merge(flatten(v, prefix: "\(prefix).\(i)")) { a, _ in a } }
        } else {
            out[prefix] = leafText(object)
        }
        return out
    }

    private static func leafText(_ value: Any) -> String {
        if let n = value as? NSNumber {
            // JSONSerialization gives booleans as NSNumbers of ObjC type "c" (char).
            if String(cString: n.objCType) == "c" { return n.boolValue ? "true" : "false" }
            let d = n.doubleValue
            return d == d.rounded() && abs(d) < 1e15 ? String(Int(d)) : "\(d)"
        }
        return "\(value)"
    }

    private static func firstUnknownKey(_ object: Any, known: Any, path: String) -> String? {
        if let dict = object as? [String: Any] {
            let knownDict = known as? [String: Any] ?? [:]
            for key in dict.keys.sorted() {
                let child = path.isEmpty ? key : "\(path).\(key)"
                guard let knownChild = knownDict[key] else { return child }
                if let found = firstUnknownKey(dict[key]!, known: knownChild, path: child) { return found }
            }
        } else if let array = object as? [Any], let knownArray = known as? [Any] {
            for (i, element) in array.enumerated() where i < knownArray.count {
                if let found = firstUnknownKey(element, known: knownArray[i], path: "\(path).\(i)") { return found }
            }
        }
        return nil
    }

    private static func snakeCase(_ key: String) -> String {
        var out = ""
        for ch in key {
            if ch.isUppercase { out += "_" + ch.lowercased() } else { out.append(ch) }
        }
        return out
    }
}

/// One way a run differs from the documented study (a row of the report's deviations table).
public struct Deviation: Codable, Sendable, Equatable {
    /// What differs (a dotted config key, or a short description).
    public var what: String
    public var documented: String
    public var thisRun: String
    public var why: String
    /// Id and title of the step the row belongs to: the step that reported it, or for a profile
    /// setting the first step that ran and reads it (`StudySection.configKeys`). Nil until the
    /// report assigns it (and in results cached before steps were named).
    public var step: String?
    public var stepTitle: String?

    public init(what: String, documented: String, thisRun: String, why: String,
                step: String? = nil, stepTitle: String? = nil) {
        self.what = what; self.documented = documented; self.thisRun = thisRun; self.why = why
        self.step = step; self.stepTitle = stepTitle
    }

    /// This row, attributed to a step.
    public func attributed(to step: String, title: String) -> Deviation {
        var copy = self
        copy.step = step; copy.stepTitle = title
        return copy
    }

    /// Whether the dotted key `what` lies under one of `prefixes` (`networks.cnn` covers
    /// `networks.cnn.epochs`, not `networks.cnn_extra`).
    public func isClaimed(by prefixes: [String]) -> Bool {
        prefixes.contains { what == $0 || what.hasPrefix($0 + ".") }
    }

    enum CodingKeys: String, CodingKey {
        case what, documented, thisRun = "this_run", why, step, stepTitle = "step_title"
    }
}
