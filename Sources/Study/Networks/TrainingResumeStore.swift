import DiskIO
import Foundation
import Neural
import Tensor

/// An interrupted training's progress, saved after every finished epoch in the step's resume folder
/// (`StudyContext.resumeFolder`, keyed by the step's input hash, outside the staging area):
/// `epoch-<n>/` holds the model's state tensors, the optimizer's state, the best epoch's weights
/// (early stopping), the history and the early-stopping position; `complete` is written last, so a
/// folder without it (a run killed while saving) is ignored. Older epochs are deleted once a newer
/// one is complete.
struct TrainingResumeStore {
    let folder: URL

    static let model = "model.safetensors", optimizer = "optimizer.safetensors", best = "best.safetensors"
    static let history = "history.json", position = "position.json", marker = "complete"

    /// What a saved epoch holds.
    struct Saved {
        var epoch: Int
        var model: [String: Tensor]
        var optimizer: [String: Tensor]
        var state: TrainerState
    }

    /// Saves `state` (after epoch `state.history.epochs`) with `model`'s and `optimizer`'s tensors.
    func save(state: TrainerState, model: Layer, optimizer: any ResumableOptimizer) throws {
        let epoch = state.history.epochs
        let target = folder.appendingPathComponent("epoch-\(epoch)")
        try FileOps.remove(target)
        try FileOps.createDirectory(target)
        try SafetensorsFile.write(stateTensors(of: model).map { ($0.name, $0.value) }, to: target.appendingPathComponent(Self.model))
        try SafetensorsFile.write(optimizer.stateTensors(), to: target.appendingPathComponent(Self.optimizer))
        let bestWeights = state.best?.weights ?? []
        try SafetensorsFile.write(bestWeights.enumerated().map { ("\($0.offset)", $0.element) },
                                  to: target.appendingPathComponent(Self.best))
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys]
        try FileOps.write(try encoder.encode(state.history), to: target.appendingPathComponent(Self.history))
        try FileOps.write(try encoder.encode(state.position), to: target.appendingPathComponent(Self.position))
        try FileOps.write(Data("epoch \(epoch)\n".utf8), to: target.appendingPathComponent(Self.marker))
        for (other, _) in completeEpochs() where other != epoch {
            FileOps.removeIfPossible(folder.appendingPathComponent("epoch-\(other)"))
        }
    }

    /// The latest complete saved epoch, or nil when there is none (or it cannot be read: then
    /// training starts over, which is always correct, only slower).
    func latest() -> Saved? {
        for (epoch, url) in completeEpochs().sorted(by: { $0.0 > $1.0 }) {
            guard let saved = try? read(url, epoch: epoch) else { continue }
            return saved
        }
        return nil
    }

    /// Deletes everything saved.
    func clear() { FileOps.removeIfPossible(folder) }

    private func completeEpochs() -> [(Int, URL)] {
        let fm = FileManager.default
        let names = (try? fm.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.compactMap { name in
            guard name.hasPrefix("epoch-"), let n = Int(name.dropFirst(6)) else { return nil }
            let url = folder.appendingPathComponent(name)
            return fm.fileExists(atPath: url.appendingPathComponent(Self.marker).path) ? (n, url) : nil
        }
    }

    private func read(_ url: URL, epoch: Int) throws -> Saved {
        func tensors(_ name: String) throws -> [String: Tensor] {
            let file = try SafetensorsFile(contentsOf: url.appendingPathComponent(name))
            var out: [String: Tensor] = [:]
            for n in file.names { out[n] = try file.tensor(n) }
            return out
        }
        let history = try JSONDecoder().decode(Neural.TrainingHistory.self, from: Data(contentsOf: url.appendingPathComponent(Self.history)))
        let position = try JSONDecoder().decode(TrainerState.Position.self, from: Data(contentsOf: url.appendingPathComponent(Self.position)))
        let best = try tensors(Self.best)
        let bestWeights = (0..<best.count).compactMap { best["\($0)"] }
        guard history.epochs == epoch, bestWeights.count == best.count else {
            throw StudyError.artifactCorrupt(step: url.lastPathComponent, name: "resume", detail: "saved epoch does not match its history")
        }
        return Saved(epoch: epoch, model: try tensors(Self.model), optimizer: try tensors(Self.optimizer),
                     state: TrainerState(history: history, position: position, bestWeights: bestWeights))
    }
}
