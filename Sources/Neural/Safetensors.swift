import DiskIO
import Foundation
import Tensor

/// Reads and writes the safetensors format (Hugging Face's `safetensors` library).
///
/// Layout: 8 bytes little-endian `UInt64` header length `n`, then `n` bytes of UTF-8 JSON
/// `{name: {"dtype": "F32", "shape": [..], "data_offsets": [begin, end]}, "__metadata__": {..}}`,
/// then the raw little-endian tensor bytes; offsets are relative to the end of the header.
/// Reading accepts F32, F16, BF16 and F64 (and the integer I64/I32 of BatchNorm counters) and
/// converts to Float32; writing emits F32.
/// Every offset and size is validated against the file so a truncated or hand-edited file fails
/// with an error naming the file and the tensor instead of reading garbage.
public struct SafetensorsFile: Sendable {
    /// Element types this reader understands.
    public enum DType: String, Sendable {
        case f32 = "F32", f16 = "F16", bf16 = "BF16", f64 = "F64"
        /// Integer tensors PyTorch saves beside weights (BatchNorm's `num_batches_tracked` is I64).
        case i64 = "I64", i32 = "I32"
        var byteSize: Int {
            switch self {
            case .f32, .i32: 4
            case .f16, .bf16: 2
            case .f64, .i64: 8
            }
        }
    }

    /// One tensor's header entry.
    public struct Entry: Sendable {
        public var name: String
        public var dtype: DType
        public var shape: [Int]
        /// Byte range inside the data section (after the header).
        public var begin: Int, end: Int
    }

    /// The file the tensors came from (named in errors).
    public let url: URL
    /// The free-form `__metadata__` strings.
    public let metadata: [String: String]
    /// Header entries by name.
    public let entries: [String: Entry]
    /// Tensor names sorted by data offset (the order the writer laid them out).
    public let names: [String]
    private let bytes: Data
    private let dataStart: Int

    /// Parses the header of `url` and validates every entry; tensor bytes are read on demand.
    public init(contentsOf url: URL) throws {
        let data: Data
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw SafetensorsError.unreadable(file: url.path, reason: "\(error.localizedDescription)")
        }
        try self.init(data: data, url: url)
    }

    /// Parses safetensors bytes held in memory; `url` is only used to name the source in errors.
    public init(data: Data, url: URL) throws {
        self.url = url
        self.bytes = data
        let file = url.path
        guard data.count >= 8 else { throw SafetensorsError.truncated(file: file, what: "the 8-byte header length") }
        var length: UInt64 = 0
        for i in 0..<8 { length |= UInt64(data[data.startIndex + i]) << (8 * UInt64(i)) }
        guard length <= UInt64(data.count - 8), length < 100_000_000 else {
            throw SafetensorsError.badHeader(file: file, reason: "header length \(length) exceeds the file size \(data.count)")
        }
        dataStart = 8 + Int(length)
        let headerBytes = data.subdata(in: (data.startIndex + 8)..<(data.startIndex + dataStart))
        guard let object = try? JSONSerialization.jsonObject(with: headerBytes) as? [String: Any] else {
            throw SafetensorsError.badHeader(file: file, reason: "the header is not a JSON object")
        }
        var metadata: [String: String] = [:]
        var entries: [String: Entry] = [:]
        let available = data.count - dataStart
        for (name, value) in object {
            if name == "__metadata__" {
                guard let m = value as? [String: Any] else {
                    throw SafetensorsError.badHeader(file: file, reason: "__metadata__ is not an object")
                }
                for (k, v) in m { metadata[k] = v as? String ?? "\(v)" }
                continue
            }
            guard let fields = value as? [String: Any], let dtypeName = fields["dtype"] as? String,
                  let shape = (fields["shape"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  let offsets = (fields["data_offsets"] as? [Any])?.compactMap({ ($0 as? NSNumber)?.intValue }),
                  offsets.count == 2, shape.count == (fields["shape"] as? [Any])?.count else {
                throw SafetensorsError.badEntry(file: file, tensor: name, reason: "an entry needs dtype, shape and two data_offsets")
            }
            guard let dtype = DType(rawValue: dtypeName) else {
                throw SafetensorsError.unsupportedDType(file: file, tensor: name, dtype: dtypeName)
            }
            guard shape.allSatisfy({ $0 >= 0 }) else {
                throw SafetensorsError.badEntry(file: file, tensor: name, reason: "negative dimension in shape \(shape)")
            }
            let (begin, end) = (offsets[0], offsets[1])
            guard begin >= 0, end >= begin, end <= available else {
                throw SafetensorsError.badEntry(file: file, tensor: name,
                    reason: "data_offsets [\(begin), \(end)] fall outside the \(available)-byte data section")
            }
            let expected = shape.reduce(1, *) * dtype.byteSize
            guard end - begin == expected else {
                throw SafetensorsError.badEntry(file: file, tensor: name,
                    reason: "it holds \(end - begin) bytes but \(dtypeName) \(shape) needs \(expected)")
            }
            entries[name] = Entry(name: name, dtype: dtype, shape: shape, begin: begin, end: end)
        }
        self.metadata = metadata
        self.entries = entries
        self.names = entries.values.sorted { ($0.begin, $0.name) < ($1.begin, $1.name) }.map(\.name)
    }

    /// The tensor called `name`, converted to Float32.
    public func tensor(_ name: String) throws -> Tensor {
        guard let e = entries[name] else { throw SafetensorsError.missingTensor(file: url.path, tensor: name) }
        let count = e.shape.reduce(1, *)
        var out = [Float](repeating: 0, count: count)
        let start = bytes.startIndex + dataStart + e.begin
        bytes.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let src = UnsafeRawBufferPointer(rebasing: raw[(start - bytes.startIndex)..<(start - bytes.startIndex + e.end - e.begin)])
            out.withUnsafeMutableBufferPointer { dst in
                switch e.dtype {
                case .f32:
                    for i in 0..<count { dst[i] = Float(bitPattern: UInt32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: UInt32.self))) }
                case .f64:
                    for i in 0..<count { dst[i] = Float(Double(bitPattern: UInt64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: UInt64.self)))) }
                case .bf16:
                    // bfloat16 is the top half of a float32.
                    for i in 0..<count { dst[i] = Float(bitPattern: UInt32(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) << 16) }
                case .f16:
                    for i in 0..<count { dst[i] = halfToFloat(UInt16(littleEndian: src.loadUnaligned(fromByteOffset: 2 * i, as: UInt16.self))) }
                case .i64:
                    for i in 0..<count { dst[i] = Float(Int64(littleEndian: src.loadUnaligned(fromByteOffset: 8 * i, as: Int64.self))) }
                case .i32:
                    for i in 0..<count { dst[i] = Float(Int32(littleEndian: src.loadUnaligned(fromByteOffset: 4 * i, as: Int32.self))) }
                }
            }
        }
        return Tensor(shape: e.shape, data: out)
    }

    /// Writes `tensors` (name, value) as F32 in the given order, with optional `__metadata__`,
    /// atomically through `FileOps` (a failure names the file and the cause in plain words).
    public static func write(_ tensors: [(String, Tensor)], metadata: [String: String] = [:], to url: URL) throws {
        try FileOps.write(try encoded(tensors, metadata: metadata), to: url)
    }

    /// The bytes of a safetensors file holding `tensors` (name, value) as F32 in the given order,
    /// with optional `__metadata__`.
    public static func encoded(_ tensors: [(String, Tensor)], metadata: [String: String] = [:]) throws -> Data {
        var header: [String: Any] = [:]
        if !metadata.isEmpty { header["__metadata__"] = metadata }
        var offset = 0
        for (name, t) in tensors {
            precondition(header[name] == nil, "Duplicate tensor name \(name)")
            header[name] = ["dtype": "F32", "shape": t.shape, "data_offsets": [offset, offset + 4 * t.count]] as [String: Any]
            offset += 4 * t.count
        }
        var json = try JSONSerialization.data(withJSONObject: header, options: [.sortedKeys])
        // Pad the header with spaces so the data section starts 8-byte aligned, as the reference writer does.
        while json.count % 8 != 0 { json.append(0x20) }
        var out = Data(capacity: 8 + json.count + offset)
        withUnsafeBytes(of: UInt64(json.count).littleEndian) { out.append(contentsOf: $0) }
        out.append(json)
        for (_, t) in tensors {
            t.data.withUnsafeBufferPointer { buf in
                // Float32 is little-endian on every platform Swift targets here.
                out.append(UnsafeBufferPointer(start: UnsafeRawPointer(buf.baseAddress!).assumingMemoryBound(to: UInt8.self),
                                               count: 4 * buf.count))
            }
        }
        return out
    }
}

/// IEEE 754 binary16 → binary32, including subnormals, infinities and NaN.
@inline(__always) func halfToFloat(_ h: UInt16) -> Float {
    let sign = UInt32(h & 0x8000) << 16
    let exponent = Int((h >> 10) & 0x1f)
    let mantissa = UInt32(h & 0x3ff)
    if exponent == 0 {
        // Zero or subnormal: value = mantissa * 2^-24.
        let magnitude = Float(mantissa) * Float(sign: .plus, exponent: -24, significand: 1)
        return sign != 0 ? -magnitude : magnitude
    }
    if exponent == 31 { return Float(bitPattern: sign | 0x7f80_0000 | (mantissa << 13)) }
    return Float(bitPattern: sign | UInt32(exponent - 15 + 127) << 23 | (mantissa << 13))
}

/// Why a safetensors file could not be read or written.
public enum SafetensorsError: Error, CustomStringConvertible, Equatable {
    case unreadable(file: String, reason: String)
    case truncated(file: String, what: String)
    case badHeader(file: String, reason: String)
    case badEntry(file: String, tensor: String, reason: String)
    case unsupportedDType(file: String, tensor: String, dtype: String)
    case missingTensor(file: String, tensor: String)

    public var description: String {
        switch self {
        case let .unreadable(f, r): "Cannot read safetensors file \(f): \(r)."
        case let .truncated(f, w): "\(f) is truncated: it ends before \(w). Download it again."
        case let .badHeader(f, r): "\(f) is not a valid safetensors file: \(r). Download it again."
        case let .badEntry(f, t, r): "\(f): tensor '\(t)' is malformed (\(r)). Download the file again."
        case let .unsupportedDType(f, t, d):
            "\(f): tensor '\(t)' has dtype \(d); only F32, F16, BF16, F64, I64 and I32 are supported."
        case let .missingTensor(f, t): "\(f) has no tensor named '\(t)'."
        }
    }
}
