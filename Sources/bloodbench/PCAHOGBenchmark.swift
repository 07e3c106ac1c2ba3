import Foundation
import Imaging
import Learn
import Tensor

/// `bloodbench pca-hog`: seconds to fit a full-spectrum PCA on a standardised HOG-like matrix,
/// ours against sklearn's `PCA()` (n_components=None as the study's `compute_explained_variance`;
/// sklearn's 'auto' policy then picks the 'full' LAPACK SVD), both on 2 threads, float64 maths.
///
/// The matrix: HOG (study parameters) of 200x200 crops at seeded offsets, some mirrored, of 40
/// dataset images, standardised as the study does: 3,000 x 12,996, Float32 for us and widened to
/// float64 for sklearn. Both compute every component (3,000) and the whole spectrum.
///
/// With `BLOODSTUDY_FULL=1` it instead runs the study's HOG pipeline on the whole dataset (HOG of
/// all 17,092 images, StandardScaler, PCA keeping 95%) and reports the component counts for 95%
/// and 99%, with the time of each stage (no reference run: sklearn would need hours).
let pcaHOGBenchmark = Benchmark(
    name: "pca-hog",
    summary: "Full-spectrum PCA of a standardised HOG-like matrix, ours vs sklearn PCA() (2 threads)."
) { context in
    if ProcessInfo.processInfo.environment["BLOODSTUDY_FULL"] == "1" { return try fullHOGPCA(context) }
    let rows = 3000, side = 200
    let images = try benchmarkGreyImages(context, count: 40)
    let hog = HOG.study
    let columns = hog.featureLength(width: side, height: side)
    var rng = SeededGenerator(seed: 7)
    let crops: [(image: Int, y: Int, x: Int, mirror: Bool)] = (0..<rows).map { i in
        (i % images.count, Int.random(in: 0...(360 - side), using: &rng), Int.random(in: 0...(360 - side), using: &rng),
         Bool.random(using: &rng))
    }
    var x = try hog.featureMatrix(count: rows, width: side, height: side) { i in
        let c = crops[i], source = images[c.image]
        var pixels = [UInt8](repeating: 0, count: side * side)
        for y in 0..<side {
            for x in 0..<side {
                let sx = c.mirror ? c.x + side - 1 - x : c.x + x
                pixels[y * side + x] = source.pixels[(c.y + y) * 360 + sx]
            }
        }
        return Image(width: side, height: side, channels: 1, pixels: pixels)
    }
    StandardScaler().fit(x).transform(inPlace: &x)

    let cpuStart = processCPUSeconds()
    let start = DispatchTime.now().uptimeNanoseconds
    let fitted = try PCA().fit(x)
    let ours = Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9
    let oursCPU = processCPUSeconds() - cpuStart
    let k95 = fitted.componentsFor(varianceFraction: 0.95), k99 = fitted.componentsFor(varianceFraction: 0.99)

    let file = FileManager.default.temporaryDirectory.appendingPathComponent("bloodbench-pca-\(getpid()).f32")
    defer { try? FileManager.default.removeItem(at: file) }
    try x.storage.withUnsafeBufferPointer { try Data(buffer: $0).write(to: file) }
    let reference = PythonReference.run("pca_sklearn.py", [file.path, String(rows), String(columns)])
    var note = "\(rows) x \(columns) HOG-like, ours k95/k99 = \(k95)/\(k99)"
    if let r95 = reference.fields["k95"], let r99 = reference.fields["k99"], let solver = reference.fields["solver"] {
        note += ", sklearn (\(solver)) k95/k99 = \(r95)/\(r99)"
    }
    note += String(format: "; CPU seconds (all threads): ours %.1f, sklearn %.1f", oursCPU,
                   (reference.fields["cpu"] as? Double) ?? .nan)
    if let why = reference.note { note += "; \(why)" }
    return BenchmarkResult(name: "pca-hog", ours: ours, reference: reference.value, unit: "s",
                           higherIsBetter: false, referenceTool: "sklearn.decomposition.PCA", note: note)
}

/// The study's HOG + scaler + PCA on the whole dataset (see ``pcaHOGBenchmark``).
func fullHOGPCA(_ context: BenchmarkContext) throws -> BenchmarkResult {
    guard let root = context.dataset else {
        throw ValidationErrorMessage("BLOODSTUDY_FULL=1 needs the dataset: pass --data or set BLOODSTUDY_DATA.")
    }
    func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    let t0 = now()
    // Files that are not images (the stray .DS_169665.jpg) are skipped, and said so.
    let files = try datasetImageFiles(root).filter { url in
        let head = (try? FileHandle(forReadingFrom: url)).flatMap { h in defer { try? h.close() }; return try? h.read(upToCount: 16) }
        if let head, ImageDecoder.format(of: head) != nil { return true }
        log("skipping \(url.lastPathComponent): not an image")
        return false
    }
    let side = StudyPreprocessing.hogSide
    let hog = HOG.study
    var x = try hog.featureMatrix(count: files.count, width: side, height: side,
                                  image: { try loadStudyGrey360(files[$0]) },
                                  progress: { if $0 % 2000 == 0 { log("HOG \($0)/\(files.count)") } })
    let t1 = now()
    log("HOG: \(x.rows) x \(x.columns) in \(String(format: "%.1f", t1 - t0)) s")
    StandardScaler().fit(x).transform(inPlace: &x)
    let t2 = now()
    log("StandardScaler: \(String(format: "%.1f", t2 - t1)) s")
    let fitted = try PCA(nComponents: .varianceFraction(0.95)).fit(x)
    let t3 = now()
    let k95 = fitted.componentsFor(varianceFraction: 0.95), k99 = fitted.componentsFor(varianceFraction: 0.99)
    log("PCA: \(String(format: "%.1f", t3 - t2)) s, spectrum \(fitted.explainedVarianceRatio.count), kept \(fitted.componentCount)")
    let note = "full dataset: \(x.rows) images, HOG length \(x.columns), k95 = \(k95) (study \(StudySizes.hogComponents95)), k99 = \(k99) (study \(StudySizes.hogComponents99)); "
        + String(format: "HOG %.1f s, scaler %.1f s, PCA %.1f s", t1 - t0, t2 - t1, t3 - t2)
    return BenchmarkResult(name: "pca-hog --full", ours: t3 - t0, reference: nil, unit: "s", higherIsBetter: false,
                           referenceTool: "study notebook (k95 \(StudySizes.hogComponents95), k99 \(StudySizes.hogComponents99))", note: note)
}

/// CPU seconds used by all threads of this process (user + system).
func processCPUSeconds() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    func seconds(_ t: timeval) -> Double { Double(t.tv_sec) + Double(t.tv_usec) / 1e6 }
    return seconds(usage.ru_utime) + seconds(usage.ru_stime)
}

/// A plain error with a message, for the benchmark's own input problems.
struct ValidationErrorMessage: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
