import Foundation

/// Reads NumPy `.npy` files (format 1.0/2.0, C order, little-endian `f4`, `f8`, `u1`, `i4`, `i8`),
/// the format the Python fixture tools under `Tests/Fixtures` write with `np.save`.
public struct NPYArray {
    public let shape: [Int]
    /// The values widened to Double (exact for every supported type).
    public let values: [Double]

    public var floats: [Float] { values.map { Float($0) } }
    public var ints: [Int] { values.map { Int($0) } }
    public var bytes: [UInt8] { values.map { UInt8($0) } }

    public init(contentsOf url: URL) throws {
        let data = try Data(contentsOf: url)
        guard data.count > 10, data.prefix(6) == Data([0x93]) + "NUMPY".data(using: .ascii)! else {
            throw NPYError.notNPY(url.path)
        }
        let major = data[6]
        let headerLength: Int, headerStart: Int
        if major == 1 {
            headerLength = Int(data[8]) | Int(data[9]) << 8; headerStart = 10
        } else {
            headerLength = Int(data[8]) | Int(data[9]) << 8 | Int(data[10]) << 16 | Int(data[11]) << 24
            headerStart = 12
        }
        let header = String(decoding: data[headerStart..<(headerStart + headerLength)], as: UTF8.self)
        guard !header.contains("'fortran_order': True") else { throw NPYError.unsupported(url.path, "Fortran order") }
        func field(_ key: String) -> String? {
            guard let r = header.range(of: "'\(key)':") else { return nil }
            return String(header[r.upperBound...]).trimmingCharacters(in: .whitespaces)
        }
        guard let descrField = field("descr"), let shapeField = field("shape") else {
            throw NPYError.unsupported(url.path, "header \(header)")
        }
        let descr = descrField.split(separator: "'")[0]
        let shapeText = shapeField[shapeField.index(after: shapeField.firstIndex(of: "(")!)..<shapeField.firstIndex(of: ")")!]
        shape = shapeText.split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
        let count = shape.reduce(1, *)
        let body = data.subdata(in: (headerStart + headerLength)..<data.count)
        func read<T>(_ type: T.Type, _ convert: (T) -> Double) throws -> [Double] {
            guard body.count >= count * MemoryLayout<T>.size else { throw NPYError.truncated(url.path) }
            return body.withUnsafeBytes { raw in (0..<count).map { convert(raw.loadUnaligned(fromByteOffset: $0 * MemoryLayout<T>.size, as: T.self)) } }
        }
        switch descr {
        case "<f4": values = try read(Float.self) { Double($0) }
        case "<f8": values = try read(Double.self) { $0 }
        case "|u1": values = try read(UInt8.self) { Double($0) }
        case "|b1": values = try read(UInt8.self) { Double($0) }
        case "<i4": values = try read(Int32.self) { Double($0) }
        case "<i8": values = try read(Int64.self) { Double($0) }
        default: throw NPYError.unsupported(url.path, "dtype \(descr)")
        }
    }
}

public enum NPYError: Error, CustomStringConvertible {
    case notNPY(String), unsupported(String, String), truncated(String)
    public var description: String {
        switch self {
        case let .notNPY(p): return "\(p) is not a .npy file"
        case let .unsupported(p, what): return "\(p): unsupported .npy feature (\(what))"
        case let .truncated(p): return "\(p): .npy data is shorter than its header says"
        }
    }
}
