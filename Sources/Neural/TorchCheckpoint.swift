import Foundation
import Tensor

/// Reads the tensors of a PyTorch `torch.save(state_dict, path)` file, without Python: the zip format
/// of PyTorch ≥ 1.6 (e.g. torchvision's `vit_b_16-c867db91.pth`) and the legacy format before it
/// (e.g. `efficientnet-lite0-57934424.pth`, see `TorchCheckpoint+Legacy.swift`).
///
/// The zip holds `<archive>/data.pkl`, a pickle (protocol 2) of the state dict whose tensors are
/// `torch._utils._rebuild_tensor_v2(storage, offset, size, stride, …)` calls, and one stored
/// (uncompressed) entry `<archive>/data/<key>` per storage. This reader implements the small part of
/// the pickle machine such files use and refuses anything else with an error naming the file; it
/// never executes code from the file. Float32, Float16, BFloat16, Float64 and Int64 storages are
/// converted to Float32; tensors may be strided views of their storage.
public struct TorchCheckpoint: TensorArchive {
    public let url: URL
    public var names: [String] { order }
    let data: Data
    private var entries: [String: Range<Int>] = [:]   // zip entry name → byte range of its data
    /// Storage key → byte range of its elements.
    var storages: [String: Range<Int>] = [:]
    private var tensors: [String: RestrictedUnpickler.TensorReference] = [:]
    private var order: [String] = []
    /// Whether the file is in the legacy (non-zip) format.
    public private(set) var isLegacy = false

    public init(contentsOf url: URL) throws {
        self.url = url
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw TorchCheckpointError(file: url.path, reason: "cannot be read (\(error.localizedDescription))")
        }
        if Self.looksLegacy(data) {
            isLegacy = true
            try collectTensors(try readLegacy())
            return
        }
        try readZipDirectory()
        guard let pickleName = entries.keys.first(where: { $0.hasSuffix("/data.pkl") }), let range = entries[pickleName] else {
            throw fail("has no data.pkl entry; it is not a torch.save zip checkpoint")
        }
        let archive = String(pickleName.dropLast("data.pkl".count))
        let prefix = archive + "data/"
        for (name, range) in entries where name.hasPrefix(prefix) { storages[String(name.dropFirst(prefix.count))] = range }
        var unpickler = RestrictedUnpickler([UInt8](data.subdata(in: range)), part: "data.pkl", fail: fail)
        try collectTensors(try unpickler.load())
    }

    public func tensor(_ name: String) throws -> Tensor {
        guard let ref = tensors[name] else { throw fail("has no tensor named '\(name)'") }
        guard let range = storages[ref.storageKey] else {
            throw fail("lacks the storage \(ref.storageKey) of tensor '\(name)'")
        }
        guard let width = Self.elementWidth(ref.dtype) else { throw fail("tensor '\(name)' has unsupported storage \(ref.dtype)") }
        let count = ref.size.reduce(1, *)
        // Largest element index touched, to validate against the storage size.
        let last = ref.offset + zip(ref.size, ref.stride).reduce(0) { $0 + max($1.0 - 1, 0) * $1.1 }
        guard count == 0 || (last + 1) * width <= range.count else {
            throw fail("tensor '\(name)' reaches past the end of its storage")
        }
        var out = [Float](repeating: 0, count: count)
        data.withUnsafeBytes { (raw: UnsafeRawBufferPointer) in
            let base = raw.baseAddress! + range.lowerBound
            func value(_ i: Int) -> Float {
                let p = base + i * width
                switch ref.dtype {
                case "FloatStorage": return Float(bitPattern: UInt32(littleEndian: p.loadUnaligned(as: UInt32.self)))
                case "HalfStorage": return halfToFloat(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self)))
                case "BFloat16Storage": return Float(bitPattern: UInt32(UInt16(littleEndian: p.loadUnaligned(as: UInt16.self))) << 16)
                case "DoubleStorage": return Float(Double(bitPattern: UInt64(littleEndian: p.loadUnaligned(as: UInt64.self))))
                case "IntStorage": return Float(Int32(littleEndian: p.loadUnaligned(as: Int32.self)))
                default: return Float(Int64(littleEndian: p.loadUnaligned(as: Int64.self)))
                }
            }
            // Walk the (possibly strided) view in row-major order.
            var index = [Int](repeating: 0, count: ref.size.count)
            for k in 0..<count {
                var at = ref.offset
                for d in 0..<index.count { at += index[d] * ref.stride[d] }
                out[k] = value(at)
                var d = index.count - 1
                while d >= 0 { index[d] += 1; if index[d] < ref.size[d] { break }; index[d] = 0; d -= 1 }
            }
        }
        return Tensor(shape: ref.size, data: out)
    }

    /// Bytes per element of a storage type, nil for types this reader does not convert.
    static func elementWidth(_ dtype: String) -> Int? {
        switch dtype {
        case "FloatStorage", "IntStorage": 4
        case "HalfStorage", "BFloat16Storage": 2
        case "DoubleStorage", "LongStorage": 8
        default: nil
        }
    }

    func fail(_ reason: String) -> TorchCheckpointError { TorchCheckpointError(file: url.path, reason: reason) }

    // MARK: Zip directory (stored entries only, as torch.save writes them)

    private mutating func readZipDirectory() throws {
        func u16(_ o: Int) -> Int { Int(data[data.startIndex + o]) | Int(data[data.startIndex + o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        let n = data.count
        guard n >= 22 else { throw fail("is too short to be a zip file") }
        // The end-of-central-directory record sits in the last 22 + 65535 bytes.
        var end = -1
        for o in stride(from: n - 22, through: max(0, n - 22 - 65_535), by: -1) where u32(o) == 0x0605_4b50 { end = o; break }
        guard end >= 0 else { throw fail("is neither a zip file (no end-of-central-directory record) nor a legacy torch.save file") }
        var count = u16(end + 10), offset = u32(end + 16)
        if count == 0xFFFF || offset == 0xFFFF_FFFF {
            // Zip64: the locator just before the record points at the zip64 end record.
            let locator = end - 20
            guard locator >= 0, u32(locator) == 0x0706_4b50 else { throw fail("has a damaged zip64 directory") }
            let record = u32(locator + 8)
            guard record + 56 <= n, u32(record) == 0x0606_4b50 else { throw fail("has a damaged zip64 directory") }
            count = u32(record + 32); offset = u32(record + 48)
        }
        var o = offset
        for _ in 0..<count {
            guard o + 46 <= n, u32(o) == 0x0201_4b50 else { throw fail("has a damaged zip central directory") }
            let method = u16(o + 10)
            var size = u32(o + 24)
            let nameLength = u16(o + 28), extraLength = u16(o + 30), commentLength = u16(o + 32)
            var local = u32(o + 42)
            let name = String(decoding: data[(data.startIndex + o + 46)..<(data.startIndex + o + 46 + nameLength)], as: UTF8.self)
            // Zip64 extra field (id 1) carries the sizes/offset that overflow 32 bits, in that order.
            var e = o + 46 + nameLength
            while e + 4 <= o + 46 + nameLength + extraLength {
                let id = u16(e), length = u16(e + 2)
                if id == 1 {
                    var p = e + 4
                    if u32(o + 24) == 0xFFFF_FFFF { size = u32(p) | u32(p + 4) << 32; p += 8 }   // uncompressed
                    if u32(o + 20) == 0xFFFF_FFFF { p += 8 }                                    // compressed
                    if u32(o + 42) == 0xFFFF_FFFF { local = u32(p) | u32(p + 4) << 32 }
                }
                e += 4 + length
            }
            guard method == 0 else { throw fail("entry \(name) is compressed; torch.save stores entries uncompressed") }
            guard local + 30 <= n, u32(local) == 0x0403_4b50 else { throw fail("entry \(name) has a damaged local header") }
            let start = local + 30 + u16(local + 26) + u16(local + 28)
            guard start + size <= n else { throw fail("entry \(name) runs past the end of the file") }
            entries[name] = start..<(start + size)
            o += 46 + nameLength + extraLength + commentLength
        }
    }

    // MARK: State dict

    /// Keeps the tensors of the unpickled top-level value, which must be a state dict.
    private mutating func collectTensors(_ value: RestrictedUnpickler.Value) throws {
        guard case .dict(let pairs) = value else { throw fail("does not hold a state dict") }
        for (k, v) in pairs {
            if case .string(let name) = k, case .tensor(let ref) = v { tensors[name] = ref; order.append(name) }
        }
    }
}

/// Why a `torch.save` checkpoint could not be read.
public struct TorchCheckpointError: Error, CustomStringConvertible {
    public var file: String
    public var reason: String
    public var description: String {
        "PyTorch checkpoint \(file) \(reason). Re-save it with safetensors, or download it again."
    }
}
