import Dataset
import Foundation
import Imaging
import Learn
import Neural
import Tensor

/// `cnn-fit-64`: wall-clock minutes for the study's CNNModel to reach 90% validation accuracy on the
/// real PBC data at 64x64 (Pillow-style bilinear resize, to-tensor in [0, 1], no normalisation, as
/// the study's `transform_resize_normalize` at a smaller size), the study's stratified 70/15/15 split
/// (`StudySplit`, seed 42), batch 32, Adam, validation after every third of an epoch. The whole
/// dataset is decoded and resized once into memory (17,092 x 3 x 64 x 64 floats, 840 MB).
///
/// Environment (all optional):
/// - `BLOODSTUDY_FIT_LR`: Adam learning rate (default 1e-4, the study's `torch.optim.Adam(lr=0.0001)`).
/// - `BLOODSTUDY_FIT_EPOCHS`: epochs before giving up (default 6).
/// - `BLOODSTUDY_FIT_LIMIT`: at most this many images per class (default all; for a quick trial run).
///
/// Per-third lines go to standard error; each also reports, on the first 512 validation images,
/// accuracy with BatchNorm in eval mode (running statistics) and with batch statistics (dropout off,
/// state restored afterwards), so a gap between the two shows when running statistics lag the
/// weights. There is no PyTorch side: a second run of the same length would double an already long
/// measurement.
enum CNNFitBenchmark {
    static let side = 64, target = 0.90

    static let fit64 = Benchmark(name: "cnn-fit-64",
                                 summary: "Minutes for CNNModel to reach 90% validation accuracy on the PBC data at 64x64.") { context in
        guard let root = context.dataset else {
            return BenchmarkResult(name: "cnn-fit-64", ours: .nan, reference: nil, unit: "minutes", higherIsBetter: false,
                                   referenceTool: "none", note: "dataset not found; pass --data or set BLOODSTUDY_DATA")
        }
        func log(_ line: String) { FileHandle.standardError.write((line + "\n").data(using: .utf8)!) }
        let environment = ProcessInfo.processInfo.environment
        let learningRate = Float(environment["BLOODSTUDY_FIT_LR"] ?? "") ?? 1e-4
        let maxEpochs = Int(environment["BLOODSTUDY_FIT_EPOCHS"] ?? "") ?? 6
        let limit = Int(environment["BLOODSTUDY_FIT_LIMIT"] ?? "") ?? Int.max
        log("cnn-fit-64: Adam lr \(learningRate), at most \(maxEpochs) epochs, \(limit == Int.max ? "all" : String(limit)) images per class")
        let started = Date()
        // Files per class folder, classes in alphabetical order (torchvision ImageFolder's labels).
        var files: [(URL, Int)] = []
        for (label, cell) in BloodCellClass.allCases.enumerated() {
            let folder = root.appendingPathComponent(cell.rawValue)
            let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
            for name in names.sorted().prefix(limit) { files.append((folder.appendingPathComponent(name), label)) }
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

        let split = StudySplit(labels: labels, seed: 42)
        let trainIdx = split.train, valIdx = split.validation
        let train = all.batch(trainIdx), val = all.batch(valIdx)
        let trainSource = InMemoryBatchSource(images: train.images, labels: train.labels)
        let valSource = InMemoryBatchSource(images: val.images, labels: val.labels)
        log("train \(trainSource.count), validation \(valSource.count)")

        var mg = SeededGenerator(seed: 42)
        let model = StudyModel.cnnModel(hiddenUnits: 64, outputClasses: 8, dropoutSeed: 42, using: &mg)
        let optimizer = Adam(parameters: model.parameters, learningRate: learningRate)
        let probe = valSource.batch(Array(0..<min(512, valSource.count)))
        let probeSource = InMemoryBatchSource(images: probe.images, labels: probe.labels)
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
                let (evalProbe, batchStatProbe) = probeAccuracies(model, probeSource)
                log(String(format: "epoch %d.%d: train loss %.4f acc %.4f | val loss %.4f acc %.4f precision %.4f recall %.4f f1 %.4f | %.1f min"
                           + " | probe %d: eval-BN acc %.4f, batch-stat-BN acc %.4f",
                           epoch + 1, part + 1, h.trainLoss[0], h.trainAccuracy[0], h.valLoss[0], h.valAccuracy[0], h.valPrecision[0],
                           h.valRecall[0], h.valF1[0], minutes, probeSource.count, evalProbe, batchStatProbe))
                if h.valAccuracy[0] >= target { reached = minutes; break training }
            }
        }
        return BenchmarkResult(name: "cnn-fit-64", ours: reached ?? .nan, reference: nil, unit: "minutes", higherIsBetter: false,
                               referenceTool: "none",
                               note: reached == nil ? "did not reach \(target) in \(maxEpochs) epochs" : "loading took \(Int(loadSeconds)) s (not counted)")
    }

    /// Accuracy on `probe` in batches of 32 with BatchNorm in eval mode, then with BatchNorm using each
    /// batch's statistics (a training-mode forward with every dropout's p set to 0). The training-mode
    /// pass moves the running statistics, so the whole state is snapshotted and restored around it.
    static func probeAccuracies(_ model: Sequential, _ probe: InMemoryBatchSource) -> (eval: Double, batchStatistics: Double) {
        let eval = Trainer.evaluate(model, on: probe, classes: 8, batchSize: 32).accuracy
        let state = StateDict.snapshot(model)
        let dropouts = model.dropoutLayers, rates = dropouts.map(\.p)
        for d in dropouts { d.p = 0 }
        var correct = 0, start = 0
        while start < probe.count {
            let (images, labels) = probe.batch(Array(start..<min(probe.count, start + 32)))
            let predicted = Trainer.argmax(model.forward(images, training: true))
            correct += zip(predicted, labels).filter { $0 == $1 }.count
            start += 32
        }
        for (d, p) in zip(dropouts, rates) { d.p = p }
        StateDict.restore(state, into: model)
        return (eval, Double(correct) / Double(max(1, probe.count)))
    }
}
