import Foundation

/// A JSON scalar, used for result values that may be integers, reals, text, booleans or absent.
///
/// Headline results (documented and this run's) are stored as `JSONValue` so that `results.json`
/// keeps integers as integers and a value that a run did not compute is `null`.
public enum JSONValue: Codable, Sendable, Equatable, CustomStringConvertible {
    case null
    case bool(Bool)
    case int(Int)
    case double(Double)
    case string(String)

    public init(from decoder: Decoder) throws {
        let c = try decoder.singleValueContainer()
        if c.decodeNil() { self = .null }
        else if let b = try? c.decode(Bool.self) { self = .bool(b) }
        else if let i = try? c.decode(Int.self) { self = .int(i) }
        else if let d = try? c.decode(Double.self) { self = .double(d) }
        else { self = .string(try c.decode(String.self)) }
    }

    public func encode(to encoder: Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .null: try c.encodeNil()
        case .bool(let b): try c.encode(b)
        case .int(let i): try c.encode(i)
        case .double(let d): if d.isFinite { try c.encode(d) } else { try c.encodeNil() }
        case .string(let s): try c.encode(s)
        }
    }

    /// The value as a number, when it is one.
    public var number: Double? {
        switch self {
        case .int(let i): Double(i)
        case .double(let d): d
        default: nil
        }
    }

    public var isNull: Bool { self == .null }

    /// Text for a table cell: integers with thousands separators, reals with up to four decimals.
    public var description: String {
        switch self {
        case .null: "—"
        case .bool(let b): b ? "yes" : "no"
        case .int(let i): Self.grouped(i)
        case .double(let d):
            if !d.isFinite { "—" } else if d == d.rounded() && abs(d) < 1e15 && abs(d) >= 100 { Self.grouped(Int(d)) }
            else { String(format: "%.4g", d) }
        case .string(let s): s
        }
    }

    private static func grouped(_ i: Int) -> String {
        let digits = String(i.magnitude)
        var out = ""
        for (n, ch) in digits.enumerated() {
            if n > 0 && (digits.count - n) % 3 == 0 { out.append(",") }
            out.append(ch)
        }
        return i < 0 ? "-" + out : out
    }
}

extension JSONValue: ExpressibleByIntegerLiteral, ExpressibleByFloatLiteral, ExpressibleByStringLiteral,
    ExpressibleByBooleanLiteral, ExpressibleByNilLiteral {
    public init(integerLiteral value: Int) { self = .int(value) }
    public init(floatLiteral value: Double) { self = .double(value) }
    public init(stringLiteral value: String) { self = .string(value) }
    public init(booleanLiteral value: Bool) { self = .bool(value) }
    public init(nilLiteral: ()) { self = .null }
}
