import Foundation

/// Writes ZIP archives byte by byte (stored entries, Unix attributes), so tests can make archives
/// with the entries a careful unpacker must refuse: absolute paths, '..', symbolic links.
enum TestZip {
    struct Entry {
        var name: String
        var contents: Data = Data()
        /// Unix mode with file type bits (0o100644 file, 0o040755 folder, 0o120777 link).
        var mode: UInt32 = 0o100644
    }

    static func make(_ entries: [Entry]) -> Data {
        var out = Data(), central = Data()
        func u16(_ v: Int) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff)] }
        func u32(_ v: UInt32) -> [UInt8] { [UInt8(v & 0xff), UInt8((v >> 8) & 0xff), UInt8((v >> 16) & 0xff), UInt8(v >> 24)] }
        for entry in entries {
            let name = [UInt8](entry.name.utf8), crc = crc32([UInt8](entry.contents)), size = UInt32(entry.contents.count)
            let offset = UInt32(out.count)
            out.append(contentsOf: u32(0x04034b50) + u16(20) + u16(0x0800) + u16(0) + u16(0) + u16(0x21))
            out.append(contentsOf: u32(crc) + u32(size) + u32(size) + u16(name.count) + u16(0) + name)
            out.append(entry.contents)
            // Made by Unix (3) version 3.0; external attributes carry the mode in the high 16 bits.
            central.append(contentsOf: u32(0x02014b50) + u16(0x031E) + u16(20) + u16(0x0800) + u16(0) + u16(0) + u16(0x21))
            central.append(contentsOf: u32(crc) + u32(size) + u32(size) + u16(name.count) + u16(0) + u16(0) + u16(0) + u16(0))
            central.append(contentsOf: u32(entry.mode << 16) + u32(offset) + name)
        }
        let centralOffset = UInt32(out.count)
        out.append(central)
        out.append(contentsOf: u32(0x06054b50) + u16(0) + u16(0) + u16(entries.count) + u16(entries.count))
        out.append(contentsOf: u32(UInt32(central.count)) + u32(centralOffset) + u16(0))
        return out
    }

    static func crc32(_ bytes: [UInt8]) -> UInt32 {
        var c: UInt32 = 0xffffffff
        for x in bytes {
            c ^= UInt32(x)
            for _ in 0..<8 { c = (c & 1) != 0 ? 0xedb88320 ^ (c >> 1) : c >> 1 }
        }
        return ~c
    }
}
