import Foundation
import Imaging
import Tensor

/// `bloodbench hog`: milliseconds per 360x360 grey image for the study's HOG, ours (one thread,
/// reused workspace) against `skimage.feature.hog` (single-threaded) on the same images.
let hogBenchmark = Benchmark(
    name: "hog",
    summary: "HOG features per 360x360 image (study parameters), ours vs skimage.feature.hog."
) { context in
    let images = try benchmarkGreyImages(context, count: 40)
    let side = StudyPreprocessing.hogSide
    let hog = HOG.study
    var workspace = HOG.Workspace(for: hog)
    var output = [Float](repeating: 0, count: hog.featureLength(width: side, height: side))
    // Warm-up, then whole passes over the images for at least 2 seconds.
    output.withUnsafeMutableBufferPointer { hog.features(of: images[0], into: $0, workspace: &workspace) }
    var done = 0
    let cpuStart = threadCPUSeconds()
    let start = DispatchTime.now().uptimeNanoseconds
    var elapsed = 0.0
    repeat {
        for image in images {
            output.withUnsafeMutableBufferPointer { hog.features(of: image, into: $0, workspace: &workspace) }
        }
        done += images.count
        elapsed = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    } while elapsed < 2
    let ours = elapsed / Double(done) * 1000
    // CPU time too: on a shared machine wall time also counts the waits for a core.
    let oursCPU = (threadCPUSeconds() - cpuStart) / Double(done) * 1000

    let file = FileManager.default.temporaryDirectory.appendingPathComponent("bloodbench-hog-\(getpid()).u8")
    defer { try? FileManager.default.removeItem(at: file) }
    try Data(images.flatMap(\.pixels)).write(to: file)
    let reference = PythonReference.run("hog_skimage.py", [file.path, String(images.count), String(side)])
    return BenchmarkResult(name: "hog", ours: ours, reference: reference.value, unit: "ms/image",
                           higherIsBetter: false, referenceTool: "skimage.feature.hog",
                           note: reference.note ?? String(format: "%d dataset images, one thread each side; CPU time "
                               + "per image: ours %.3f ms, skimage %.3f ms", images.count, oursCPU,
                               (reference.fields["cpu"] as? Double) ?? .nan))
}

/// CPU seconds used by the calling thread.
func threadCPUSeconds() -> Double {
    var t = timespec()
    clock_gettime(CLOCK_THREAD_CPUTIME_ID, &t)
    return Double(t.tv_sec) + Double(t.tv_nsec) / 1e9
}

/// The first `count` images of the dataset in class-folder order, as the study's HOG input
/// (`loadStudyGrey360`); seeded synthetic cell-like images when the dataset is not there.
func benchmarkGreyImages(_ context: BenchmarkContext, count: Int) throws -> [Image] {
    let side = StudyPreprocessing.hogSide
    if let root = context.dataset {
        var images: [Image] = []
        for file in try datasetImageFiles(root) where images.count < count {
            if let grey = try? loadStudyGrey360(file) { images.append(grey) }  // skips non-images
        }
        return images
    }
    var rng = SeededGenerator(seed: 42)
    return (0..<count).map { _ in
        let cy = Double.random(in: 120..<240, using: &rng), cx = Double.random(in: 120..<240, using: &rng)
        let radius = Double.random(in: 40..<90, using: &rng)
        var pixels = [UInt8](repeating: 0, count: side * side)
        for y in 0..<side {
            for x in 0..<side {
                let r = ((Double(y) - cy) * (Double(y) - cy) + (Double(x) - cx) * (Double(x) - cx)).squareRoot()
                let base = r < radius ? 90.0 : 200.0
                pixels[y * side + x] = UInt8(max(0, min(255, base + 12 * rng.nextGaussian())))
            }
        }
        return Image(width: side, height: side, channels: 1, pixels: pixels)
    }
}

/// Every `.jpg` of the dataset, class folders and file names sorted. The stray
/// `neutrophil/.DS_169665.jpg` (not an image) is listed too; callers skip what does not decode.
func datasetImageFiles(_ root: URL) throws -> [URL] {
    let fm = FileManager.default
    let classes = try fm.contentsOfDirectory(atPath: root.path).sorted()
    return try classes.flatMap { name -> [URL] in
        let folder = root.appendingPathComponent(name)
        var isDirectory: ObjCBool = false
        guard fm.fileExists(atPath: folder.path, isDirectory: &isDirectory), isDirectory.boolValue else { return [] }
        return try fm.contentsOfDirectory(atPath: folder.path).filter { $0.lowercased().hasSuffix(".jpg") }
            .sorted().map { folder.appendingPathComponent($0) }
    }
}
