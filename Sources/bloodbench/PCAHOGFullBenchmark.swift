import Foundation
import Imaging
import Learn
import Tensor

/// `bloodbench pca-hog-full`: the study's HOG PCA spectrum on the whole dataset (17,092 x 44,100,
/// standardised), ours (`PCA.spectrum`: float32 Gram by `ssyrk`, 50 leading scores by subspace
/// iteration, every eigenvalue by `ssyev_2stage`) against numpy's route (float64 Gram from float32
/// blocks, `numpy.linalg.eigvalsh`) on the same matrix in the same run, with the 95% / 99% counts
/// of both.
///
/// The HOG matrix: `$BLOODSTUDY_HOG_BIN` (a `hog.bin` artifact of a study run's cache, with its
/// `hog.shape.json` beside it), else HOG of every dataset image computed here. It is standardised
/// and handed to Python as a raw float32 file in the temporary folder, deleted afterwards.
let pcaHOGFullBenchmark = Benchmark(
    name: "pca-hog-full",
    summary: "HOG PCA spectrum + 50 scores on all \(StudySizes.grouped(StudySizes.images)) images, ours vs numpy Gram + eigvalsh (float64)."
) { context in
    func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
    func now() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
    var x = try fullHOGMatrix(context)
    StandardScaler().fit(x).transform(inPlace: &x)
    let (rows, columns) = (x.rows, x.columns)
    let file = FileManager.default.temporaryDirectory.appendingPathComponent("bloodbench-pca-hog-full-\(getpid()).f32")
    defer { try? FileManager.default.removeItem(at: file) }
    try writeRaw(x, to: file)

    let cpuStart = processCPUSeconds()
    let start = now()
    var lastShown = -1
    let spectrum = try PCA.spectrum(of: x, leading: 50) { done, total in
        let percent = 100 * done / max(1, total)
        if percent / 10 > lastShown { lastShown = percent / 10; log(String(format: "ours: %d%% (%d/%d work units) after %.0f s", percent, done, total, now() - start)) }
    }
    let ours = now() - start
    let oursCPU = processCPUSeconds() - cpuStart
    x = Matrix(rows: 0, columns: 0)  // free the 3 GB before numpy loads its copy
    let k95 = spectrum.componentsFor(varianceFraction: 0.95), k99 = spectrum.componentsFor(varianceFraction: 0.99)
    let stages = spectrum.stageSeconds
    let oursStages = String(format: "Gram %.1f s, 50 leading pairs %.1f s (%d iterations, residual %.1e), eigenvalues %.1f s, scores %.1f s",
                            stages.matrix, stages.leading, spectrum.iterations, spectrum.residual, stages.eigenvalues, stages.scores)
    log(String(format: "ours: %.1f s, k95 %d, k99 %d; ", ours, k95, k99) + oursStages)

    let reference = PythonReference.run("pca_hog_full_numpy.py", [file.path, String(rows), String(columns)])
    var note = "\(rows) x \(columns) standardised HOG; ours k95/k99 = \(k95)/\(k99)"
    if let r95 = reference.fields["k95"], let r99 = reference.fields["k99"] { note += ", numpy k95/k99 = \(r95)/\(r99)" }
    note += " (study \(StudySizes.hogComponents95)/\(StudySizes.hogComponents99)); ours " + oursStages
    if let g = reference.fields["gram"] as? Double, let e = reference.fields["eigen"] as? Double {
        note += String(format: "; numpy Gram %.1f s + eigvalsh %.1f s", g, e)
    }
    note += String(format: "; CPU seconds (all threads): ours %.1f, numpy %.1f", oursCPU, (reference.fields["cpu"] as? Double) ?? .nan)
    if let why = reference.note { note += "; \(why)" }
    return BenchmarkResult(name: "pca-hog-full", ours: ours, reference: reference.value, unit: "s", higherIsBetter: false,
                           referenceTool: "numpy float64 Gram + linalg.eigvalsh", note: note)
}

/// The unscaled HOG matrix of the whole dataset: a cached study artifact when
/// `$BLOODSTUDY_HOG_BIN` names one, else computed with the study's HOG.
func fullHOGMatrix(_ context: BenchmarkContext) throws -> Matrix<Float> {
    @Sendable func log(_ text: String) { FileHandle.standardError.write(Data((text + "\n").utf8)) }
    if let path = ProcessInfo.processInfo.environment["BLOODSTUDY_HOG_BIN"] {
        let bin = URL(fileURLWithPath: path)
        let shapeURL = bin.deletingPathExtension().appendingPathExtension("shape.json")
        struct Header: Decodable { var dtype: String; var shape: [Int] }
        let header = try JSONDecoder().decode(Header.self, from: Data(contentsOf: shapeURL))
        guard header.dtype == "float32", header.shape.count == 2 else {
            throw ValidationErrorMessage("\(shapeURL.path) is \(header.dtype) \(header.shape), expected a float32 matrix")
        }
        var x = Matrix<Float>(rows: header.shape[0], columns: header.shape[1])
        let handle = try FileHandle(forReadingFrom: bin)
        defer { try? handle.close() }
        var offset = 0
        let expected = x.storage.count * 4
        try x.storage.withUnsafeMutableBytes { raw in
            while offset < expected, let chunk = try handle.read(upToCount: min(64 << 20, expected - offset)), !chunk.isEmpty {
                chunk.copyBytes(to: UnsafeMutableRawBufferPointer(rebasing: raw[offset..<(offset + chunk.count)]))
                offset += chunk.count
            }
        }
        guard offset == expected else { throw ValidationErrorMessage("\(path) holds \(offset) bytes, its shape needs \(expected)") }
        log("HOG matrix \(x.rows) x \(x.columns) read from \(path)")
        return x
    }
    guard let root = context.dataset else {
        throw ValidationErrorMessage("pca-hog-full needs the dataset (--data or BLOODSTUDY_DATA) or BLOODSTUDY_HOG_BIN.")
    }
    let files = try datasetImageFiles(root).filter { url in
        let head = (try? FileHandle(forReadingFrom: url)).flatMap { h in defer { try? h.close() }; return try? h.read(upToCount: 16) }
        if let head, ImageDecoder.format(of: head) != nil { return true }
        log("skipping \(url.lastPathComponent): not an image")
        return false
    }
    let side = StudyPreprocessing.hogSide
    return try HOG.study.featureMatrix(count: files.count, width: side, height: side,
                                       image: { try loadStudyGrey360(files[$0]) },
                                       progress: { if $0 % 2000 == 0 { log("HOG \($0)/\(files.count)") } })
}

/// Writes the matrix as raw little-endian float32, row-major, in 64 MB pieces.
func writeRaw(_ x: Matrix<Float>, to file: URL) throws {
    guard FileManager.default.createFile(atPath: file.path, contents: nil) else {
        throw ValidationErrorMessage("cannot create \(file.path)")
    }
    let handle = try FileHandle(forWritingTo: file)
    defer { try? handle.close() }
    try x.storage.withUnsafeBytes { raw in
        var offset = 0
        while offset < raw.count {
            let end = min(raw.count, offset + (64 << 20))
            try handle.write(contentsOf: Data(bytes: raw.baseAddress! + offset, count: end - offset))
            offset = end
        }
    }
}
