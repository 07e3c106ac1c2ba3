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
        noiseRGB = (0..<3).map { Self.immerkaerNoise(image, channel: $0) }
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

    /// Immerkær's noise sigma of one channel (see `noiseRGB`).
    static func immerkaerNoise(_ image: Image, channel c: Int) -> Double {
        let w = image.width, h = image.height
        guard w > 2, h > 2 else { return 0 }
        var total = 0
        image.pixels.withUnsafeBufferPointer { p in
            for y in 1..<(h - 1) {
                let up = (y - 1) * w, mid = y * w, down = (y + 1) * w
                for x in 1..<(w - 1) {
                    @inline(__always) func v(_ row: Int, _ dx: Int) -> Int { Int(p[(row + x + dx) * 3 + c]) }
                    let corners = v(up, -1) + v(up, 1) + v(down, -1) + v(down, 1)
                    let edges = v(up, 0) + v(down, 0) + v(mid, -1) + v(mid, 1)
                    total += abs(corners - 2 * edges + 4 * v(mid, 0))
                }
            }
        }
        return (Double.pi / 2).squareRoot() * Double(total) / (6 * Double(w - 2) * Double(h - 2))
    }

    /// Population variance of the 4-neighbour Laplacian with reflect-101 borders.
    static func laplacianVariance(_ grey: Image) -> Double {
        let w = grey.width, h = grey.height
        guard w > 1, h > 1 else { return 0 }
        var sum = 0.0, sumSquares = 0.0
        grey.pixels.withUnsafeBufferPointer { p in
            for y in 0..<h {
                let up = y == 0 ? 1 : y - 1, down = y == h - 1 ? h - 2 : y + 1
                for x in 0..<w {
                    let left = x == 0 ? 1 : x - 1, right = x == w - 1 ? w - 2 : x + 1
                    let v = Int(p[up * w + x]) + Int(p[down * w + x]) + Int(p[y * w + left]) + Int(p[y * w + right])
                        - 4 * Int(p[y * w + x])
                    let d = Double(v)
                    sum += d
                    sumSquares += d * d
                }
            }
        }
        let n = Double(w * h)
        let mean = sum / n
        return max(0, sumSquares / n - mean * mean)
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
