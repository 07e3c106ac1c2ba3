import Foundation
import Imaging
import Tensor

/// The study's network input transform, `transforms.Compose([Resize((s, s)), ToTensor()])` (it has
/// no normalisation): `PIL.Image.open(path).convert("RGB")`, Pillow's antialiased bilinear resize to
/// s x s, bytes divided by 255.
public enum NetworkInputs {
    /// The images of `items` (paths relative to `datasetRoot`) as one `(N, 3, side, side)` tensor with
    /// values in [0, 1], in the order given. Decoding runs on every core; `progress(done, total)` is
    /// called from any thread as images finish.
    /// - Throws: `ImageDecodingError` naming the first file that is not a readable image.
    public static func load(items: [SplitSection.Item], imageSize side: Int, datasetRoot: URL,
                            progress: (@Sendable (Int, Int) -> Void)? = nil) throws -> Tensor {
        let per = 3 * side * side
        let count = items.count
        let failures = FirstFailure(), finished = FinishedCount()
        var data = [Float](repeating: 0, count: count * per)
        data.withUnsafeMutableBufferPointer { out in
            let base = out.baseAddress!
            Parallel.forEach(count, minimumChunk: 8) { i in
                do {
                    let image = try StudyPreprocessing.rgb(contentsOf: datasetRoot.appendingPathComponent(items[i].path), side: side)
                    let chw = image.tensorCHW()
                    chw.data.withUnsafeBufferPointer { src in
                        if image.channels == 3 {
                            (base + i * per).update(from: src.baseAddress!, count: per)
                        } else {
                            // convert("RGB") of a grey image repeats the grey value in each channel.
                            for c in 0..<3 { (base + i * per + c * side * side).update(from: src.baseAddress!, count: side * side) }
                        }
                    }
                } catch {
                    failures.record(i, error)
                }
                let done = finished.increment()
                if done % 64 == 0 || done == count { progress?(done, count) }
            }
        }
        if let error = failures.first { throw error }
        return Tensor(shape: [count, 3, side, side], data: data)
    }
}
