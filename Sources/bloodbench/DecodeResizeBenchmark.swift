import Dataset
import Foundation
import Imaging
import Tensor

/// `decode-resize`: the study's two image pipelines over 500 dataset images, ours against OpenCV
/// (grey 360x360, the HOG input) and Pillow (RGB 224x224, the network input), both using
/// `Parallel.threadCount` threads across images. Files are read once beforehand so neither side
/// pays for a cold disk cache; each side's time is the best of three runs. Result: images per
/// second over both pipelines (higher is better).
let decodeResizeBenchmark = Benchmark(
    name: "decode-resize",
    summary: "Decode + grey 360x360 (vs OpenCV) and decode + RGB 224x224 (vs Pillow), 500 images."
) { context in
    guard let root = context.dataset else {
        throw DecodeResizeDataMissing()
    }
    // Every 34th file of the 17,093, skipping files that are not JPEGs; reading them here also
    // warms the file cache for both sides.
    let files = try DatasetScan.candidateFiles(root: root)
    let step = max(1, files.count / 500)
    let urls = stride(from: 0, to: files.count, by: step).map { files[$0] }.filter { url in
        (try? Data(contentsOf: url)).map { ImageDecoder.format(of: $0) == .jpeg } ?? false
    }.prefix(500).map { $0 }

    // Best of three runs, on both sides: the machine is shared, and the minimum is the least
    // disturbed measurement.
    func timed(_ body: (URL) throws -> Image) -> Double {
        (0..<3).map { _ in
            let start = DispatchTime.now().uptimeNanoseconds
            Parallel.forEachDynamic(urls.count) { i in _ = try? body(urls[i]) }
            return Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
        }.min()!
    }
    let grey = timed { try StudyPreprocessing.grey360(contentsOf: $0) }
    let rgb = timed { try StudyPreprocessing.rgb(contentsOf: $0) }
    let ours = Double(2 * urls.count) / (grey + rgb)

    let list = FileManager.default.temporaryDirectory.appendingPathComponent("bloodbench-decode-resize.txt")
    try urls.map(\.path).joined(separator: "\n").write(to: list, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: list) }
    let reference = PythonReference.run("decode_resize.py", [list.path, String(Parallel.threadCount)])
    var note = String(format: "ours: grey %.3f s, rgb %.3f s", grey, rgb)
    if let g = reference.fields["grey_seconds"] as? Double, let r = reference.fields["rgb_seconds"] as? Double {
        note += String(format: "; OpenCV grey %.3f s (%.2fx), Pillow rgb %.3f s (%.2fx); %d images, %d threads",
                       g, g / grey, r, r / rgb, urls.count, Parallel.threadCount)
    } else if let why = reference.note {
        note += "; \(why)"
    }
    return BenchmarkResult(name: "decode-resize", ours: ours, reference: reference.value, unit: "images/s",
                           higherIsBetter: true, referenceTool: "opencv-python + Pillow", note: note)
}

private struct DecodeResizeDataMissing: Error, CustomStringConvertible {
    var description: String { "decode-resize needs the PBC dataset: pass --data PATH or set BLOODSTUDY_DATA." }
}
