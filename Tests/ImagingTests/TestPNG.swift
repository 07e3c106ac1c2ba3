import Foundation

/// Writes PNG files byte by byte (stored, uncompressed deflate blocks), so tests can make the
/// kinds our encoder does not: 16-bit, palette, grey+alpha, and headers that lie about the size.
enum TestPNG {
    /// - Parameters:
    ///   - colorType: 0 grey, 2 RGB, 3 palette, 4 grey+alpha, 6 RGBA.
    ///   - bitDepth: 1, 2, 4, 8 or 16.
    ///   - rows: raw scanlines without the filter byte (big-endian samples for 16-bit).
    ///   - palette: RGB triples for colour type 3.
    static func make(width: Int, height: Int, colorType: UInt8, bitDepth: UInt8, rows: [[UInt8]],
                     palette: [UInt8] = []) -> Data {
        var out = Data([0x89, 0x50, 0x4E, 0x47, 0x0D, 0x0A, 0x1A, 0x0A])
        var ihdr = Data()
        ihdr.append(contentsOf: be32(UInt32(width)))
        ihdr.append(contentsOf: be32(UInt32(height)))
        ihdr.append(contentsOf: [bitDepth, colorType, 0, 0, 0])
        out.append(chunk("IHDR", ihdr))
        if !palette.isEmpty { out.append(chunk("PLTE", Data(palette))) }
        var raw = [UInt8]()
        for row in rows { raw.append(0); raw.append(contentsOf: row) }
        out.append(chunk("IDAT", zlibStored(raw)))
        out.append(chunk("IEND", Data()))
        return out
    }

    static func be32(_ v: UInt32) -> [UInt8] { [UInt8(v >> 24), UInt8(v >> 16 & 0xff), UInt8(v >> 8 & 0xff), UInt8(v & 0xff)] }

    static func chunk(_ type: String, _ body: Data) -> Data {
        var d = Data(be32(UInt32(body.count)))
        let typed = Data(type.utf8) + body
        d.append(typed)
        d.append(contentsOf: be32(crc32([UInt8](typed))))
        return d
    }

    static func zlibStored(_ bytes: [UInt8]) -> Data {
        var d = Data([0x78, 0x01])
        var offset = 0
        repeat {
            let n = min(65535, bytes.count - offset)
            let final: UInt8 = offset + n == bytes.count ? 1 : 0
            d.append(contentsOf: [final, UInt8(n & 0xff), UInt8(n >> 8), UInt8(~n & 0xff), UInt8((~n >> 8) & 0xff)])
            d.append(contentsOf: bytes[offset..<(offset + n)])
            offset += n
        } while offset < bytes.count
        var a: UInt32 = 1, b: UInt32 = 0
        for x in bytes { a = (a + UInt32(x)) % 65521; b = (b + a) % 65521 }
        d.append(contentsOf: be32(b << 16 | a))
        return d
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
