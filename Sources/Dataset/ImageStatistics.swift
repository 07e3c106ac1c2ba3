import Imaging

/// The per-image measurements of the data audit, from the decoded 8-bit RGB pixels.
public struct ImageStatistics: Sendable, Codable, Equatable {
    public var width: Int
    public var height: Int
    /// Mean value of R, G and B, in grey levels (0...255).
    public var meanRGB: [Double]
    /// Noise standard deviation of R, G and B in grey levels, by Immerkær's fast estimator
    /// ("Fast Noise Variance Estimation", CVIU 64(2), 1996): the image is filtered with the
    /// Laplacian-difference mask [[1,-2,1],[-2,4,-2],[1,-2,1]], which cancels smooth structure, and
    /// `sigma = sqrt(pi / 2) * sum(|filtered|) / (6 (W - 2) (H - 2))` over the interior pixels.
    /// (A wavelet MAD estimate, scikit-image's `estimate_sigma`, is 0 for most of these JPEGs
    /// because compression removes the finest diagonal detail, so it cannot rank images.)
    public var noiseRGB: [Double]
    /// Sharpness: variance of the Laplacian of the OpenCV grey image, as
    /// `cv2.Laplacian(grey, cv2.CV_64F).var()` (kernel [[0,1,0],[1,-4,1],[0,1,0]], reflect-101 borders).
    public var sharpness: Double
    /// 64-bit hash of the size and pixels; equal images have equal hashes (duplicates are then
    /// confirmed by hash and size; a false match among 17,092 images has odds near 1e-11).
    public var pixelHash: UInt64

    public init(_ image: Image) {
        precondition(image.channels == 3, "Statistics are computed on RGB images")
        width = image.width
        height = image.height
        meanRGB = Self.channelMeans(image)
        noiseRGB = Self.immerkaerNoise(image)
        sharpness = Self.laplacianVariance(image.grayscaleOpenCV())
        pixelHash = Self.hash(image)
    }

    static func channelMeans(_ image: Image) -> [Double] {
        var sums = [Int](repeating: 0, count: 3)
        image.pixels.withUnsafeBufferPointer { p in
            var r = 0, g = 0, b = 0
            var i = 0
            while i < p.count { r += Int(p[i]); g += Int(p[i + 1]); b += Int(p[i + 2]); i += 3 }
            sums = [r, g, b]
        }
        let n = Double(image.width * image.height)
        return sums.map { Double($0) / n }
    }

    /// Immerkær's noise sigma of R, G and B (see `noiseRGB`), in one pass over the pixels.
    static func immerkaerNoise(_ image: Image) -> [Double] {
        let w = image.width, h = image.height
        guard w > 2, h > 2 else { return [0, 0, 0] }
        var totals = [0, 0, 0]
        image.pixels.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress!
            var t0 = 0, t1 = 0, t2 = 0
            for y in 1..<(h - 1) {
                let up = p + (y - 1) * w * 3, mid = p + y * w * 3, down = p + (y + 1) * w * 3
                var i = 3
                while i < 3 * (w - 1) {
                    @inline(__always) func v(_ i: Int) -> Int {
                        let corners = Int(up[i - 3]) + Int(up[i + 3]) + Int(down[i - 3]) + Int(down[i + 3])
                        let edges = Int(up[i]) + Int(down[i]) + Int(mid[i - 3]) + Int(mid[i + 3])
                        return abs(corners - 2 * edges + 4 * Int(mid[i]))
                    }
                    t0 += v(i); t1 += v(i + 1); t2 += v(i + 2)
                    i += 3
                }
            }
            totals = [t0, t1, t2]
        }
        let scale = (Double.pi / 2).squareRoot() / (6 * Double(w - 2) * Double(h - 2))
        return totals.map { Double($0) * scale }
    }

    /// Population variance of the 4-neighbour Laplacian with reflect-101 borders (exact integer sums).
    static func laplacianVariance(_ grey: Image) -> Double {
        let w = grey.width, h = grey.height
        guard w > 1, h > 1 else { return 0 }
        var sum = 0, sumSquares = 0
        grey.pixels.withUnsafeBufferPointer { buffer in
            let p = buffer.baseAddress!
            for y in 0..<h {
                let up = p + (y == 0 ? 1 : y - 1) * w, mid = p + y * w, down = p + (y == h - 1 ? h - 2 : y + 1) * w
                @inline(__always) func at(_ x: Int, _ left: Int, _ right: Int) {
                    let v = Int(up[x]) + Int(down[x]) + Int(mid[left]) + Int(mid[right]) - 4 * Int(mid[x])
                    sum += v
                    sumSquares += v * v
                }
                at(0, 1, 1)
                for x in 1..<(w - 1) { at(x, x - 1, x + 1) }
                at(w - 1, w - 2, w - 2)
            }
        }
        let n = Double(w * h)
        let mean = Double(sum) / n
        return max(0, Double(sumSquares) / n - mean * mean)
    }

    /// A fast 64-bit hash of the size and pixels (multiply-xorshift over 8-byte words).
    static func hash(_ image: Image) -> UInt64 {
        var h: UInt64 = 0x9E37_79B9_7F4A_7C15 ^ UInt64(image.width) &* 0x1000_0000_01B3 ^ UInt64(image.height) << 32
        image.pixels.withUnsafeBytes { raw in
            let words = raw.count / 8
            for i in 0..<words {
                let v = raw.loadUnaligned(fromByteOffset: i * 8, as: UInt64.self)
                h = (h ^ v) &* 0xFF51_AFD7_ED55_8CCD
                h ^= h >> 29
            }
            for i in (words * 8)..<raw.count {
                h = (h ^ UInt64(raw[i])) &* 0xC4CE_B9FE_1A85_EC53
                h ^= h >> 29
            }
        }
        h ^= h >> 33
        h = h &* 0xFF51_AFD7_ED55_8CCD
        return h ^ (h >> 33)
    }
}
