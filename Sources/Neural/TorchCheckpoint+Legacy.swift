import Foundation

/// The legacy `torch.save` layout (PyTorch < 1.6, or `_use_new_zipfile_serialization=False`):
/// five protocol-2 pickles back to back — the magic number 0x1950a86a20f9469cfc6c, the protocol
/// version 1001, a `sys_info` dict, the state dict (storages as persistent ids), and the list of
/// storage keys — then, for every key in that order, the storage's element count (int64,
/// little-endian) followed by its raw little-endian elements.
/// Port of the layout read by `torch/serialization.py` `_legacy_load`; nothing from the file runs.
extension TorchCheckpoint {
    /// The first pickle: PROTO 2, LONG1 of 10 bytes holding the magic number.
    static let legacyPrefix: [UInt8] = [0x80, 0x02, 0x8a, 0x0a, 0x6c, 0xfc, 0x9c, 0x46, 0xf9, 0x20, 0x6a, 0xa8, 0x50, 0x19, 0x2e]

    static func looksLegacy(_ data: Data) -> Bool {
        data.count >= legacyPrefix.count && data.prefix(legacyPrefix.count).elementsEqual(legacyPrefix)
    }

    /// Reads the pickles and locates every storage; returns the unpickled state dict.
    mutating func readLegacy() throws -> RestrictedUnpickler.Value {
        let bytes = [UInt8](data)
        var unpickler = RestrictedUnpickler(bytes, part: "the legacy header", fail: fail)
        _ = try unpickler.load()                                       // magic number (checked by looksLegacy)
        guard case .int(1001) = try unpickler.load() else { throw fail("has a legacy protocol version other than 1001") }
        guard case .dict(let info) = try unpickler.load() else { throw fail("has no legacy sys_info record") }
        for (k, v) in info {
            if case .string("little_endian") = k, case .bool(false) = v { throw fail("was saved big-endian, which this reader does not convert") }
        }
        unpickler.part = "the legacy state-dict pickle"
        let value = try unpickler.load()
        unpickler.part = "the legacy storage-key list"
        guard case .list(let keyValues) = try unpickler.load() else { throw fail("has no legacy storage-key list") }
        // Every storage's element type, from the tensors that use it.
        var dtypes: [String: String] = [:]
        func visit(_ v: RestrictedUnpickler.Value) {
            switch v {
            case .tensor(let ref): dtypes[ref.storageKey] = ref.dtype
            case .dict(let pairs): for (_, x) in pairs { visit(x) }
            case .list(let xs), .tuple(let xs): xs.forEach(visit)
            default: break
            }
        }
        visit(value)
        var offset = unpickler.position
        for keyValue in keyValues {
            guard case .string(let key) = keyValue else { throw fail("has a legacy storage key that is not a string") }
            guard let dtype = dtypes[key], let width = Self.elementWidth(dtype) else {
                throw fail("has storage \(key) of an unknown or unsupported element type")
            }
            guard offset + 8 <= bytes.count else { throw fail("ends early (truncated file?): storage \(key) is missing") }
            var count = 0
            for j in 0..<8 { count |= Int(bytes[offset + j]) << (8 * j) }
            let start = offset + 8
            guard count >= 0, count <= (bytes.count - start) / width else {
                throw fail("ends early (truncated file?): storage \(key) needs \(count) elements")
            }
            storages[key] = start..<(start + count * width)
            offset = start + count * width
        }
        return value
    }
}
