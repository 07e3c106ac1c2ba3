import Dataset
import Foundation
import Imaging
import Learn
import Neural
import Tensor

/// `cnn-fit-64`: wall-clock minutes for the study's CNNModel to reach 90% validation accuracy on the
/// real PBC data at 64x64 (Pillow-style bilinear resize, to-tensor in [0, 1], no normalisation, as
/// the study's `transform_resize_normalize` at a smaller size), stratified 70/15/15 split, batch 32,
/// Adam lr 1e-3, validation after every third of an epoch. The whole dataset is decoded and resized once into memory (17,092 x 3 x 64 x 64
/// floats, 840 MB). Epochs run until the target is reached or `BLOODSTUDY_FIT_EPOCHS` (default 6)
/// have passed; per-epoch lines go to standard error. There is no PyTorch side: a second run of the
/// same length would double an already long measurement.
enum CNNFitBenchmark {
    static let side = 64, target = 0.90

    static let fit64 = Benchmark(name: "cnn-fit-64",
                                 summary: "Minutes for CNNModel to reach 90% validation accuracy on the PBC data at 64x64.") { context in
        guard let root = context.dataset else {
            return BenchmarkResult(name: "cnn-fit-64", ours: .nan, reference: nil, unit: "minutes", higherIsBetter: false,
                                   referenceTool: "none", note: "dataset not found; pass --data or set BLOODSTUDY_DATA")
        }
        func log(_ line: String) { FileHandle.standardError.write((line + "\n").data(using: .utf8)!) }
        let started = Date()
        // Files per class folder, classes in alphabetical order (torchvision ImageFolder's labels).
        var files: [(URL, Int)] = []
        for (label, cell) in BloodCellClass.allCases.enumerated() {
            let folder = root.appendingPathComponent(cell.rawValue)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted() { files.append((folder.appendingPathComponent(name), label)) }
        }
        let per = 3 * side * side
        var pixels = [Float](repeating: 0, count: files.count * per)
        var ok = [Bool](repeating: false, count: files.count)
        pixels.withUnsafeMutableBufferPointer { out in
            ok.withUnsafeMutableBufferPointer { good in
                Parallel.forEach(files.count, minimumChunk: 64) { i in
                    guard let image = try? StudyPreprocessing.rgb(contentsOf: files[i].0, side: side), image.channels == 3 else { return }
                    let t = image.tensorCHW()
                    for j in 0..<per { out[i * per + j] = t.data[j] }
                    good[i] = true
                }
            }
        }
        let skipped = files.indices.filter { !ok[$0] }
        for i in skipped { log("skipped (not a readable RGB image): \(files[i].0.path)") }
        let kept = files.indices.filter { ok[$0] }
        var data = [Float](); data.reserveCapacity(kept.count * per)
        for i in kept { data += pixels[(i * per)..<((i + 1) * per)] }
        pixels = []
        let labels = kept.map { files[$0].1 }
        let all = InMemoryBatchSource(images: Tensor(shape: [kept.count, 3, side, side], data: data), labels: labels)
        let loadSeconds = Date().timeIntervalSince(started)
        log(String(format: "loaded %d images at %dx%d in %.1f s", kept.count, side, side, loadSeconds))

        var g = SeededGenerator(seed: 42)
        let (trainIdx, rest) = StratifiedSplit(testFraction: 0.3).split(labels: labels, using: &g)
        let (valPart, _) = StratifiedSplit(testFraction: 0.5).split(labels: rest.map { labels[$0] }, using: &g)
        let valIdx = valPart.map { rest[$0] }
        let train = all.batch(trainIdx), val = all.batch(valIdx)
        let trainSource = InMemoryBatchSource(images: train.images, labels: train.labels)
        let valSource = InMemoryBatchSource(images: val.images, labels: val.labels)
        log("train \(trainSource.count), validation \(valSource.count)")

        var mg = SeededGenerator(seed: 42)
        let model = StudyModel.cnnModel(hiddenUnits: 64, outputClasses: 8, dropoutSeed: 42, using: &mg)
        let optimizer = Adam(parameters: model.parameters, learningRate: 1e-3)
        let maxEpochs = Int(ProcessInfo.processInfo.environment["BLOODSTUDY_FIT_EPOCHS"] ?? "") ?? 6
        // Validation every third of an epoch, so the time to the target is resolved finer than an
        // epoch: each epoch's seeded shuffle is cut into three parts, each trained as one pass.
        let parts = 3
        let trainStart = Date()
        var reached: Double?
        training: for epoch in 0..<maxEpochs {
            var eg = SeededGenerator.stream(seed: 42, UInt64(epoch))
            let order = Array(0..<trainSource.count).shuffled(using: &eg)
            for part in 0..<parts {
                let slice = Array(order[(order.count * part / parts)..<(order.count * (part + 1) / parts)])
                let chunk = trainSource.batch(slice)
                var lastReport = Date()
                let h = Trainer.fit(model, optimizer: optimizer, train: InMemoryBatchSource(images: chunk.images, labels: chunk.labels),
                                    validation: valSource,
                                    config: TrainingConfig(epochs: 1, batchSize: 32, seed: 42 &+ UInt64(epoch * parts + part)),
                                    classes: 8) { done, total in
                    if Date().timeIntervalSince(lastReport) > 60 {
                        lastReport = Date()
                        log("  epoch \(epoch + 1) part \(part + 1): batch \(done)/\(total), \(String(format: "%.1f", Date().timeIntervalSince(trainStart) / 60)) min")
                    }
                }
                let minutes = Date().timeIntervalSince(trainStart) / 60
                log(String(format: "epoch %d.%d: train loss %.4f acc %.4f | val loss %.4f acc %.4f precision %.4f recall %.4f f1 %.4f | %.1f min",
                           epoch + 1, part + 1, h.trainLoss[0], h.trainAccuracy[0], h.valLoss[0], h.valAccuracy[0], h.valPrecision[0],
                           h.valRecall[0], h.valF1[0], minutes))
                if h.valAccuracy[0] >= target { reached = minutes; break training }
            }
        }
        return BenchmarkResult(name: "cnn-fit-64", ours: reached ?? .nan, reference: nil, unit: "minutes", higherIsBetter: false,
                               referenceTool: "none",
                               note: reached == nil ? "did not reach \(target) in \(maxEpochs) epochs" : "loading took \(Int(loadSeconds)) s (not counted)")
    }
}
