import Foundation

/// The small part of Python's pickle machine (protocol 2) that `torch.save` emits for a state dict,
/// and nothing more: it builds values, never runs code.
///
/// Globals are restricted to what a state dict needs (`collections.OrderedDict`, the
/// `torch._utils._rebuild_*` functions and the `torch.*Storage` types); any other global, and any
/// opcode outside the subset, is refused with an error naming the file. Storages arrive as
/// persistent ids `('storage', torch.XStorage, key, ...)`; tensors as `_rebuild_tensor_v2` calls.
struct RestrictedUnpickler {
    struct TensorReference {
        var storageKey: String, dtype: String, offset: Int, size: [Int], stride: [Int]
    }

    indirect enum Value {
        case none, bool(Bool), int(Int), float(Double), string(String)
        case tuple([Value]), list([Value]), dict([(Value, Value)])
        case global(String), storage(key: String, dtype: String), tensor(TensorReference), mark
    }

    /// The globals a state dict may name; every other one is refused.
    static let allowedGlobals: Set<String> = [
        "collections.OrderedDict", "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor",
        "torch._utils._rebuild_parameter",
        "torch.FloatStorage", "torch.HalfStorage", "torch.BFloat16Storage", "torch.DoubleStorage",
        "torch.LongStorage", "torch.IntStorage",
    ]

    let bytes: [UInt8]
    /// Where the next pickle starts (legacy files hold several pickles back to back).
    var position: Int
    /// Names the pickle in errors, e.g. "data.pkl" or "the legacy header".
    var part: String
    let fail: (String) -> Error

    init(_ bytes: [UInt8], part: String, fail: @escaping (String) -> Error) {
        self.bytes = bytes; self.position = 0; self.part = part; self.fail = fail
    }

    /// Reads one pickle (up to its STOP) and returns its value.
    mutating func load() throws -> Value {
        let b = bytes
        var stack: [Value] = [], memo: [Int: Value] = [:], i = position
        defer { position = i }
        let part = self.part, fail = self.fail
        func need(_ k: Int) throws { guard k >= 0, i + k <= b.count else { throw fail("\(part) ends early (truncated file?)") } }
        func int(_ k: Int) throws -> Int {
            try need(k); var v = 0
            for j in 0..<k { v |= Int(b[i + j]) << (8 * j) }
            i += k; return v
        }
        func line() throws -> String {
            guard i < b.count, let nl = b[i...].firstIndex(of: 10) else { throw fail("\(part) ends early (truncated file?)") }
            defer { i = nl + 1 }
            return String(decoding: b[i..<nl], as: UTF8.self)
        }
        func popMark() throws -> [Value] {
            guard let m = stack.lastIndex(where: { if case .mark = $0 { true } else { false } }) else {
                throw fail("\(part) is malformed (no mark)")
            }
            let items = Array(stack[(m + 1)...]); stack.removeSubrange(m...); return items
        }
        func pop() throws -> Value { guard let v = stack.popLast() else { throw fail("\(part) is malformed (empty stack)") }; return v }
        func ints(_ v: Value) -> [Int]? {
            guard case .tuple(let items) = v else { return nil }
            let values = items.compactMap { if case .int(let x) = $0 { x } else { nil } }
            return values.count == items.count ? values : nil
        }
        func setItems(_ pairs: [Value]) throws {
            guard case .dict(var d) = try pop() else { throw fail("\(part) sets items on a non-dict") }
            for k in stride(from: 0, to: pairs.count - 1, by: 2) { d.append((pairs[k], pairs[k + 1])) }
            stack.append(.dict(d))
        }
        func append(_ items: [Value]) throws {
            guard case .list(var l) = try pop() else { throw fail("\(part) appends to a non-list") }
            l += items; stack.append(.list(l))
        }
        func string(_ k: Int) throws -> String {
            try need(k); defer { i += k }
            return String(decoding: b[i..<(i + k)], as: UTF8.self)
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
            case 0x58, 0x54: stack.append(.string(try string(try int(4))))     // BINUNICODE X, BINSTRING T
            case 0x8C, 0x55: stack.append(.string(try string(try int(1))))     // SHORT_BINUNICODE, SHORT_BINSTRING
            case 0x88: stack.append(.bool(true))                               // NEWTRUE
            case 0x89: stack.append(.bool(false))                              // NEWFALSE
            case 0x4E: stack.append(.none)                                     // NONE N
            case 0x63:                                                         // GLOBAL c
                let name = "\(try line()).\(try line())"
                guard Self.allowedGlobals.contains(name) else {
                    throw fail("\(part) asks for the Python global '\(name)', which a state dict never needs; it was not loaded")
                }
                stack.append(.global(name))
            case 0x51:                                                         // BINPERSID Q
                guard case .tuple(let id) = try pop(), id.count >= 3, case .string("storage") = id[0],
                      case .global(let type) = id[1], case .string(let key) = id[2] else {
                    throw fail("\(part) has a persistent id that is not a tensor storage")
                }
                stack.append(.storage(key: key, dtype: String(type.split(separator: ".").last ?? "")))
            case 0x52:                                                         // REDUCE R
                let args = try pop(), callable = try pop()
                guard case .global(let name) = callable, case .tuple(let a) = args else {
                    throw fail("\(part) calls something that is not an allowed global")
                }
                switch name {
                case "torch._utils._rebuild_tensor_v2", "torch._utils._rebuild_tensor":
                    guard a.count >= 4, case .storage(let key, let dtype) = a[0], case .int(let offset) = a[1],
                          let size = ints(a[2]), let stride = ints(a[3]), size.count == stride.count,
                          offset >= 0, size.allSatisfy({ $0 >= 0 }), stride.allSatisfy({ $0 >= 0 }) else {
                        throw fail("\(part) has a tensor record it cannot read")
                    }
                    stack.append(.tensor(TensorReference(storageKey: key, dtype: dtype, offset: offset, size: size, stride: stride)))
                case "torch._utils._rebuild_parameter":
                    stack.append(a.first ?? .none)
                case "collections.OrderedDict":
                    stack.append(.dict([]))
                default:
                    throw fail("\(part) calls '\(name)' in a way a state dict never does")
                }
            case 0x62: _ = try pop()                                           // BUILD b: drop the state (_metadata)
            case 0x73: let v = try pop(), k = try pop(); try setItems([k, v])  // SETITEM s
            case 0x75: try setItems(try popMark())                             // SETITEMS u
            case 0x61: try append([try pop()])                                 // APPEND a
            case 0x65: try append(try popMark())                               // APPENDS e
            case 0x2E: return try pop()                                        // STOP .
            default:
                throw fail("\(part) uses pickle opcode 0x\(String(op, radix: 16)), which this reader does not support")
            }
        }
        throw fail("\(part) ends early (truncated file?)")
    }
}
