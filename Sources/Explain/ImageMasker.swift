import Foundation
import Imaging

extension shap {
    /// Port of shap.maskers.Image for string mask values: hides image features by blurring or by
    /// inpainting, on 8-bit (H, W, C) images as the study passes them.
    public struct ImageMasker: Sendable {
        /// How hidden features are filled.
        public enum Fill: Sendable, Equatable {
            /// `"blur(kx,ky)"`: hidden features take the value of `cv2.blur(image, (kx, ky))`.
            case blur(Int, Int)
            /// `"inpaint_telea"`: hidden pixels (a pixel is hidden when any of its channels is)
            /// are filled by `cv2.inpaint(..., inpaintRadius=3, INPAINT_TELEA)`.
            case inpaintTelea
        }

        public let fill: Fill
        public let height: Int, width: Int, channels: Int
        /// shap's balanced partition of the features.
        public let tree: PartitionTree

        /// - Parameters: `fill`, and the image shape (H, W, C) as shap's `shape` argument.
        public init(_ fill: Fill, height: Int, width: Int, channels: Int = 3) {
            self.fill = fill; self.height = height; self.width = width; self.channels = channels
            tree = PartitionTree(height: height, width: width, channels: channels)
        }

        /// Parses shap's mask-value strings, `"inpaint_telea"` or `"blur(k,k)"`.
        public init?(_ maskValue: String, height: Int, width: Int, channels: Int = 3) {
            if maskValue == "inpaint_telea" {
                self.init(.inpaintTelea, height: height, width: width, channels: channels)
            } else if maskValue.hasPrefix("blur("), maskValue.hasSuffix(")") {
                let sizes = maskValue.dropFirst(5).dropLast().split(separator: ",").compactMap { Int($0.trimmingCharacters(in: .whitespaces)) }
                guard sizes.count == 2, sizes.allSatisfy({ $0 > 0 }) else { return nil }
                self.init(.blur(sizes[0], sizes[1]), height: height, width: width, channels: channels)
            } else {
                return nil
            }
        }

        /// Number of mask features, H·W·C.
        public var featureCount: Int { height * width * channels }

        /// Prepares the per-image state (the blurred copy, computed once per image as shap caches it).
        public func prepare(_ image: [UInt8]) -> Prepared {
            precondition(image.count == featureCount, "ImageMasker: image has \(image.count) values, shape needs \(featureCount)")
            switch fill {
            case .blur(let kx, let ky):
                return Prepared(masker: self, image: image, blurred: BoxBlur.blur(image, height: height, width: width, channels: channels, kernelWidth: kx, kernelHeight: ky))
            case .inpaintTelea:
                return Prepared(masker: self, image: image, blurred: nil)
            }
        }

        /// One image ready to be masked many times.
        public struct Prepared: Sendable {
            let masker: ImageMasker
            public let image: [UInt8]
            let blurred: [UInt8]?

            /// The image with the features where `keep` is false hidden (shap's `masker(mask, x)`).
            public func masked(keep: [Bool]) -> [UInt8] {
                let m = masker
                if let blurred {
                    var out = image
                    for i in 0..<out.count where !keep[i] { out[i] = blurred[i] }
                    return out
                }
                var hidden = [UInt8](repeating: 0, count: m.height * m.width)
                var hiddenCount = 0
                for p in 0..<hidden.count {
                    for z in 0..<m.channels where !keep[p * m.channels + z] { hidden[p] = 1 }
                    hiddenCount += Int(hidden[p])
                }
                if hiddenCount == hidden.count {
                    // shap: everything hidden ⇒ every pixel takes the image's per-channel mean,
                    // stored back into uint8 (numpy truncates).
                    var out = image
                    for z in 0..<m.channels {
                        var sum = 0.0
                        for p in 0..<hidden.count { sum += Double(image[p * m.channels + z]) }
                        let mean = UInt8(sum / Double(hidden.count))
                        for p in 0..<hidden.count { out[p * m.channels + z] = mean }
                    }
                    return out
                }
                if hiddenCount == 0 { return image }
                return TeleaInpainting.inpaint(image, mask: hidden, height: m.height, width: m.width, channels: m.channels, radius: 3)
            }
        }
    }
}
