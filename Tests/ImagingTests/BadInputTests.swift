import Foundation
import Imaging
import Testing
import _TestSupport

/// Every kind of bad or unusual input gets a named reason (or is decoded correctly), never a crash.
/// All fixtures are made here, in memory or in a temporary folder.
@Suite("Bad and unusual inputs")
struct BadInputTests {
    static func sample(width: Int = 24, height: Int = 16) -> Image {
        var img = Image(width: width, height: height, channels: 3)
        for y in 0..<height { for x in 0..<width {
            img[y, x, 0] = UInt8(x * 10 % 256); img[y, x, 1] = UInt8(y * 15 % 256); img[y, x, 2] = 128
        } }
        return img
    }

    static func decodeError(_ data: Data) -> ImageDecodingError? {
        do { _ = try ImageDecoder.decode(data: data, path: "x.jpg"); return nil } catch let e as ImageDecodingError { return e } catch { return nil }
    }

    static func fileError(_ url: URL) -> ImageDecodingError? {
        do { _ = try ImageDecoder.decode(contentsOf: url); return nil } catch let e as ImageDecodingError { return e } catch { return nil }
    }

    @Test("An empty file is 'empty file'")
    func emptyFile() {
        #expect(Self.decodeError(Data())?.reason == "empty file")
    }

    @Test("A text file named .jpg is 'not an image'")
    func textFile() {
        let e = Self.decodeError(Data("hello, I am not a JPEG\n".utf8))
        #expect(e?.reason == "not an image")
        #expect(e?.description.contains("x.jpg") == true)
    }

    @Test("A macOS .DS_Store-like file is 'not an image'")
    func dsStore() {
        #expect(Self.decodeError(Data([0, 0, 0, 1, 0x42, 0x75, 0x64, 0x31] + [UInt8](repeating: 0, count: 100)))?.reason == "not an image")
    }

    @Test("A truncated JPEG is 'truncated or corrupt JPEG'")
    func truncatedJPEG() {
        let jpeg = JPEGEncoder.encode(Self.sample(width: 64, height: 64))
        #expect(Self.decodeError(jpeg.prefix(jpeg.count / 2))?.reason == "truncated or corrupt JPEG")
        // Only the first bytes: the header itself is cut.
        #expect(Self.decodeError(jpeg.prefix(20))?.reason == "truncated or corrupt JPEG")
    }

    @Test("A PNG named .jpg is decoded by content")
    func pngNamedJPG() throws {
        let image = Self.sample()
        let decoded = try ImageDecoder.decode(data: image.pngData(), path: "x.jpg")
        #expect(decoded == image)
    }

    @Test("PNG encode then decode returns the same pixels (RGB, and grey replicated)")
    func pngRoundTrip() throws {
        let rgb = Self.sample(width: 33, height: 7)
        #expect(try ImageDecoder.decode(data: rgb.pngData()) == rgb)
        let grey = rgb.grayscaleOpenCV()
        #expect(try ImageDecoder.decode(data: grey.pngData()) == grey.rgb())
    }

    @Test("A grey JPEG decodes to RGB with R = G = B")
    func greyJPEG() throws {
        let grey = Self.sample(width: 32, height: 32).grayscaleOpenCV()
        let decoded = try ImageDecoder.decode(data: JPEGEncoder.encode(grey, quality: 100))
        #expect(decoded.channels == 3 && decoded.width == 32 && decoded.height == 32)
        for i in 0..<(32 * 32) {
            #expect(decoded.pixels[3 * i] == decoded.pixels[3 * i + 1] && decoded.pixels[3 * i] == decoded.pixels[3 * i + 2])
        }
    }

    @Test("A CMYK JPEG is converted to RGB with OpenCV's formula")
    func cmykJPEG() throws {
        // A flat colour survives JPEG almost exactly, so the conversion can be checked.
        let (c, m, y, k): (UInt8, UInt8, UInt8, UInt8) = (200, 100, 50, 180)
        let cmyk = [UInt8]((0..<(16 * 16)).flatMap { _ in [c, m, y, k] })
        let decoded = try ImageDecoder.decode(data: JPEGEncoder.encodeCMYK(cmyk, width: 16, height: 16, quality: 100))
        // OpenCV's C expression `k - ((255 - v) * k >> 8)`; Swift's `>>` binds tighter than `*`,
        // so the product is parenthesised (the unparenthesised form made every pixel K, near white).
        func expected(_ v: UInt8) -> Int { Int(k) - (((255 - Int(v)) * Int(k)) >> 8) }
        #expect(abs(Int(decoded[8, 8, 0]) - expected(c)) <= 2)
        #expect(abs(Int(decoded[8, 8, 1]) - expected(m)) <= 2)
        #expect(abs(Int(decoded[8, 8, 2]) - expected(y)) <= 2)
    }

    @Test("16-bit PNGs keep the high byte; palette PNGs are expanded; alpha is dropped")
    func pngKinds() throws {
        // 2x1 RGB, 16-bit: (0x1234, 0xABCD, 0xFF00), (0x0001, 0x8000, 0x7FFF)
        let rgb16 = TestPNG.make(width: 2, height: 1, colorType: 2, bitDepth: 16,
                                 rows: [[0x12, 0x34, 0xAB, 0xCD, 0xFF, 0x00, 0x00, 0x01, 0x80, 0x00, 0x7F, 0xFF]])
        #expect(try ImageDecoder.decode(data: rgb16).pixels == [0x12, 0xAB, 0xFF, 0x00, 0x80, 0x7F])
        // 16-bit grey
        let grey16 = TestPNG.make(width: 2, height: 1, colorType: 0, bitDepth: 16, rows: [[0xC0, 0x01, 0x10, 0xFF]])
        #expect(try ImageDecoder.decode(data: grey16).pixels == [0xC0, 0xC0, 0xC0, 0x10, 0x10, 0x10])
        // 4-bit palette with three colours
        let palette: [UInt8] = [255, 0, 0, 0, 255, 0, 0, 0, 255]
        let pal = TestPNG.make(width: 3, height: 1, colorType: 3, bitDepth: 4, rows: [[0x01, 0x20]], palette: palette)
        #expect(try ImageDecoder.decode(data: pal).pixels == [255, 0, 0, 0, 255, 0, 0, 0, 255])
        // RGBA: alpha dropped
        let rgba = TestPNG.make(width: 1, height: 1, colorType: 6, bitDepth: 8, rows: [[10, 20, 30, 0]])
        #expect(try ImageDecoder.decode(data: rgba).pixels == [10, 20, 30])
    }

    @Test("A corrupt PNG (bad CRC) is 'truncated or corrupt PNG'")
    func corruptPNG() {
        var png = Self.sample().pngData()
        png[20] ^= 0xFF // inside IHDR: the CRC no longer matches
        #expect(Self.decodeError(png)?.reason == "truncated or corrupt PNG")
        let cut = Self.sample().pngData()
        #expect(Self.decodeError(cut.prefix(cut.count - 30))?.reason == "truncated or corrupt PNG")
    }

    @Test("A 60000x60000 header is refused as 'too large' before decoding")
    func hugeHeaders() throws {
        // JPEG: overwrite the frame size in the SOF0 segment (FF C0, length, precision, height, width).
        var jpeg = [UInt8](JPEGEncoder.encode(Self.sample()))
        let sof = try #require((0..<(jpeg.count - 1)).first { jpeg[$0] == 0xFF && jpeg[$0 + 1] == 0xC0 })
        jpeg[sof + 5] = 0xEA; jpeg[sof + 6] = 0x60 // 60000 = 0xEA60
        jpeg[sof + 7] = 0xEA; jpeg[sof + 8] = 0x60
        let e = Self.decodeError(Data(jpeg))
        #expect(e == .tooLarge(path: "x.jpg", width: 60000, height: 60000, limit: ImageDecoder.maximumPixels))
        // PNG: a header announcing 60000x60000 with a valid CRC and no pixel data.
        let png = TestPNG.make(width: 60000, height: 60000, colorType: 2, bitDepth: 8, rows: [])
        #expect(Self.decodeError(png)?.reason == "too large")
    }

    @Test("Unreadable paths: a folder named x.jpg, a dangling link, a link loop")
    func unreadable() throws {
        let dir = try TestPaths.temporaryFolder("unreadable")
        defer { try? FileManager.default.removeItem(at: dir) }
        let fm = FileManager.default
        let folder = dir.appendingPathComponent("x.jpg")
        try fm.createDirectory(at: folder, withIntermediateDirectories: false)
        #expect(Self.fileError(folder)?.reason == "unreadable file")
        #expect(Self.fileError(folder)?.detail.contains("folder") == true)

        let dangling = dir.appendingPathComponent("dangling.jpg")
        try fm.createSymbolicLink(atPath: dangling.path, withDestinationPath: dir.appendingPathComponent("missing.jpg").path)
        #expect(Self.fileError(dangling)?.detail == "it is a symbolic link to a missing file")

        let a = dir.appendingPathComponent("a.jpg"), b = dir.appendingPathComponent("b.jpg")
        try fm.createSymbolicLink(atPath: a.path, withDestinationPath: b.path)
        try fm.createSymbolicLink(atPath: b.path, withDestinationPath: a.path)
        #expect(Self.fileError(a)?.detail == "it is a symbolic link loop")
    }

    @Test("ToTensor gives (C, H, W) in [0, 1]; Normalize subtracts the mean and divides by the std")
    func tensor() {
        var img = Image(width: 2, height: 1, channels: 3)
        img[0, 0, 0] = 255; img[0, 1, 2] = 51
        let t = img.tensorCHW()
        #expect(t.shape == [3, 1, 2])
        #expect(t.data == [1, 0, 0, 0, 0, 0.2])
        let n = t.normalizedPerChannel(mean: [0.5, 0, 0.2], std: [0.5, 1, 0.1])
        #expect(n.data[0] == 1 && n.data[1] == -1 && abs(n.data[5]) < 1e-6 && abs(n.data[4] + 2) < 1e-6)
    }
}
