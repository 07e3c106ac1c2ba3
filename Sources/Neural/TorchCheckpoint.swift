import Foundation
import Tensor

/// Reads the tensors of a PyTorch `torch.save(state_dict, path)` file (the zip format of PyTorch ≥ 1.6,
/// e.g. torchvision's `vit_b_16-c867db91.pth`), without Python.
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
    private let data: Data
    private var entries: [String: Range<Int>] = [:]   // zip entry name → byte range of its data
    private var tensors: [String: TensorReference] = [:]
    private var order: [String] = []
    private var archive = ""

    struct TensorReference {
        var storageKey: String, dtype: String, offset: Int, size: [Int], stride: [Int]
    }

    public init(contentsOf url: URL) throws {
        self.url = url
        do { data = try Data(contentsOf: url, options: .alwaysMapped) } catch {
            throw TorchCheckpointError(file: url.path, reason: "cannot be read (\(error.localizedDescription))")
        }
        try readZipDirectory()
        guard let pickleName = entries.keys.first(where: { $0.hasSuffix("/data.pkl") }), let range = entries[pickleName] else {
            throw fail("has no data.pkl entry; it is not a torch.save zip checkpoint")
        }
        archive = String(pickleName.dropLast("data.pkl".count))
        try unpickleStateDict(data.subdata(in: range))
    }

    public func tensor(_ name: String) throws -> Tensor {
        guard let ref = tensors[name] else { throw fail("has no tensor named '\(name)'") }
        guard let range = entries[archive + "data/" + ref.storageKey] else {
            throw fail("lacks the storage data/\(ref.storageKey) of tensor '\(name)'")
        }
        let width: Int
        switch ref.dtype {
        case "FloatStorage", "IntStorage": width = 4
        case "HalfStorage", "BFloat16Storage": width = 2
        case "DoubleStorage", "LongStorage": width = 8
        default: throw fail("tensor '\(name)' has unsupported storage \(ref.dtype)")
        }
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

    private func fail(_ reason: String) -> TorchCheckpointError { TorchCheckpointError(file: url.path, reason: reason) }

    // MARK: Zip directory (stored entries only, as torch.save writes them)

    private mutating func readZipDirectory() throws {
        func u16(_ o: Int) -> Int { Int(data[data.startIndex + o]) | Int(data[data.startIndex + o + 1]) << 8 }
        func u32(_ o: Int) -> Int { u16(o) | u16(o + 2) << 16 }
        let n = data.count
        guard n >= 22 else { throw fail("is too short to be a zip file") }
        // The end-of-central-directory record sits in the last 22 + 65535 bytes.
        var end = -1
        for o in stride(from: n - 22, through: max(0, n - 22 - 65_535), by: -1) where u32(o) == 0x0605_4b50 { end = o; break }
        guard end >= 0 else { throw fail("is not a zip file (no end-of-central-directory record); only torch.save's zip format is supported") }
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

    // MARK: Pickle (the subset torch.save emits for a state dict)

    indirect enum Value {
        case none, bool(Bool), int(Int), float(Double), string(String)
        case tuple([Value]), list([Value]), dict([(Value, Value)])
        case global(String), storage(key: String, dtype: String), tensor(TensorReference), mark, other
    }

    private mutating func unpickleStateDict(_ bytes: Data) throws {
        let b = [UInt8](bytes)
        var stack: [Value] = [], memo: [Int: Value] = [:], i = 0
        func need(_ k: Int) throws { guard i + k <= b.count else { throw fail("data.pkl ends early") } }
        func int(_ k: Int) throws -> Int {
            try need(k); var v = 0
            for j in 0..<k { v |= Int(b[i + j]) << (8 * j) }
            i += k; return v
        }
        func line() throws -> String {
            guard let nl = b[i...].firstIndex(of: 10) else { throw fail("data.pkl ends early") }
            defer { i = nl + 1 }
            return String(decoding: b[i..<nl], as: UTF8.self)
        }
        func popMark() throws -> [Value] {
            guard let m = stack.lastIndex(where: { if case .mark = $0 { true } else { false } }) else {
                throw fail("data.pkl is malformed (no mark)")
            }
            let items = Array(stack[(m + 1)...]); stack.removeSubrange(m...); return items
        }
        func pop() throws -> Value { guard let v = stack.popLast() else { throw fail("data.pkl is malformed (empty stack)") }; return v }
        func ints(_ v: Value) -> [Int]? {
            guard case .tuple(let items) = v else { return nil }
            return items.compactMap { if case .int(let x) = $0 { x } else { nil } }
        }
        func setItems(_ pairs: [Value]) throws {
            guard case .dict(var d) = try pop() else { throw fail("data.pkl sets items on a non-dict") }
            for k in stride(from: 0, to: pairs.count - 1, by: 2) { d.append((pairs[k], pairs[k + 1])) }
            stack.append(.dict(d))
        }
        while i < b.count {
            let op = b[i]; i += 1
            switch op {
            case 0x80: _ = try int(1)                                          // PROTO
            case 0x7D: stack.append(.dict([]))                                 // EMPTY_DICT }
            case 0x5D: stack.append(.list([]))                                 // EMPTY_LIST ]
            case 0x29: stack.append(.tuple([]))                                // EMPTY_TUPLE )
            case 0x28: stack.append(.mark)                                     // MARK (
            case 0x74: stack.append(.tuple(try popMark()))                     // TUPLE t
            case 0x85: stack.append(.tuple([try pop()]))                       // TUPLE1
            case 0x86: let y = try pop(), x = try pop(); stack.append(.tuple([x, y]))   // TUPLE2
            case 0x87: let z = try pop(), y = try pop(), x = try pop(); stack.append(.tuple([x, y, z]))  // TUPLE3
            case 0x71: memo[try int(1)] = stack.last                           // BINPUT q
            case 0x72: memo[try int(4)] = stack.last                           // LONG_BINPUT r
            case 0x68: stack.append(memo[try int(1)] ?? .none)                 // BINGET h
            case 0x6A: stack.append(memo[try int(4)] ?? .none)                 // LONG_BINGET j
            case 0x4B: stack.append(.int(try int(1)))                          // BININT1 K
            case 0x4D: stack.append(.int(try int(2)))                          // BININT2 M
            case 0x4A: stack.append(.int(Int(Int32(truncatingIfNeeded: try int(4)))))   // BININT J
            case 0x8A:                                                         // LONG1
                let k = try int(1); try need(k)
                var v = 0
                for j in 0..<min(k, 8) { v |= Int(b[i + j]) << (8 * j) }
                if k > 0 && k < 8 && b[i + k - 1] & 0x80 != 0 { v -= 1 << (8 * k) }
                i += k; stack.append(.int(v))
            case 0x47:                                                         // BINFLOAT G (big-endian)
                try need(8); var bits: UInt64 = 0
                for j in 0..<8 { bits = bits << 8 | UInt64(b[i + j]) }
                i += 8; stack.append(.float(Double(bitPattern: bits)))
            case 0x58:                                                         // BINUNICODE X
                let k = try int(4); try need(k)
                stack.append(.string(String(decoding: b[i..<(i + k)], as: UTF8.self))); i += k
            case 0x8C, 0x55:                                                   // SHORT_BINUNICODE, SHORT_BINSTRING
                let k = try int(1); try need(k)
                stack.append(.string(String(decoding: b[i..<(i + k)], as: UTF8.self))); i += k
            case 0x88: stack.append(.bool(true))                               // NEWTRUE
            case 0x89: stack.append(.bool(false))                              // NEWFALSE
            case 0x4E: stack.append(.none)                                     // NONE N
            case 0x63: stack.append(.global("\(try line()).\(try line())"))     // GLOBAL c
            case 0x51:                                                         // BINPERSID Q
                guard case .tuple(let id) = try pop(), id.count >= 3, case .string("storage") = id[0],
                      case .global(let type) = id[1], case .string(let key) = id[2] else {
                    throw fail("data.pkl has a persistent id that is not a tensor storage")
                }
                stack.append(.storage(key: key, dtype: String(type.split(separator: ".").last ?? "")))
            case 0x52:                                                         // REDUCE R
                let args = try pop(), callable = try pop()
                guard case .global(let name) = callable, case .tuple(let a) = args else { stack.append(.other); continue }
                switch name {
                case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor":
                    guard a.count >= 4, case .storage(let key, let dtype) = a[0], case .int(let offset) = a[1],
                          let size = ints(a[2]), let stride = ints(a[3]), size.count == stride.count else {
                        throw fail("data.pkl has a tensor record it cannot read")
                    }
                    stack.append(.tensor(TensorReference(storageKey: key, dtype: dtype, offset: offset, size: size, stride: stride)))
                case "torch._utils._rebuild_parameter":
                    stack.append(a.first ?? .none)
                case "collections.OrderedDict":
                    stack.append(.dict([]))
                default:
                    stack.append(.other)
                }
            case 0x62: _ = try pop()                                           // BUILD b: drop the state (_metadata)
            case 0x73: let v = try pop(), k = try pop(); try setItems([k, v])  // SETITEM s
            case 0x75: try setItems(try popMark())                             // SETITEMS u
            case 0x61: _ = try pop()                                           // APPEND a (lists are not needed)
            case 0x65: _ = try popMark()                                       // APPENDS e
            case 0x2E:                                                         // STOP .
                guard case .dict(let pairs) = try pop() else { throw fail("does not hold a state dict") }
                for (k, v) in pairs {
                    if case .string(let name) = k, case .tensor(let ref) = v { tensors[name] = ref; order.append(name) }
                }
                return
            default:
                throw fail("data.pkl uses pickle opcode 0x\(String(op, radix: 16)), which this reader does not support")
            }
        }
        throw fail("data.pkl has no STOP")
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
