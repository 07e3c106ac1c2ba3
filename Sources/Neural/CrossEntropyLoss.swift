import Foundation
import Tensor

/// Mirrors `torch.nn.CrossEntropyLoss()` (mean reduction, no weights, no label smoothing):
/// loss = mean_n [ logsumexp(z_n) − z_n[y_n] ] from raw logits z (N, K).
///
/// The log-sum-exp subtracts each row's maximum first, so large logits do not overflow `exp`.
/// The gradient is (softmax(z) − onehot(y)) / N.
public struct CrossEntropyLoss: Sendable {
    public init() {}

    /// The mean loss and its gradient with respect to `logits` (N, K); labels in 0..<K.
    public func callAsFunction(_ logits: Tensor, _ labels: [Int]) -> (loss: Float, gradient: Tensor) {
        precondition(logits.rank == 2 && logits.shape[0] == labels.count,
                     "CrossEntropyLoss: logits \(logits.shape) do not match \(labels.count) labels")
        let n = logits.shape[0], k = logits.shape[1]
        var total = 0.0
        let gradient = Tensor.uninitialized(logits.shape) { gp in
            logits.data.withUnsafeBufferPointer { zp in
                for i in 0..<n {
                    let y = labels[i]
                    precondition(y >= 0 && y < k, "CrossEntropyLoss: label \(y) outside 0..<\(k)")
                    let row = zp.baseAddress! + i * k
                    var m = -Float.infinity
                    for j in 0..<k { m = max(m, row[j]) }
                    var sum = 0.0
                    for j in 0..<k { sum += Foundation.exp(Double(row[j] - m)) }
                    let logSum = Double(m) + Foundation.log(sum)
                    total += logSum - Double(row[y])
                    for j in 0..<k {
                        let p = Foundation.exp(Double(row[j]) - logSum)
                        gp[i * k + j] = Float((p - (j == y ? 1 : 0)) / Double(n))
                    }
                }
            }
        }
        return (n > 0 ? Float(total / Double(n)) : 0, gradient)
    }
}

/// Row-wise softmax of logits (N, K), with the row maximum subtracted before `exp`.
public func softmax(_ logits: Tensor) -> Tensor {
    precondition(logits.rank == 2, "softmax expects (N, K), got \(logits.shape)")
    let n = logits.shape[0], k = logits.shape[1]
    return Tensor.uninitialized(logits.shape) { out in
        logits.data.withUnsafeBufferPointer { zp in
            for i in 0..<n {
                var m = -Float.infinity
                for j in 0..<k { m = max(m, zp[i * k + j]) }
                var sum: Double = 0
                for j in 0..<k { let e = Foundation.exp(Double(zp[i * k + j] - m)); out[i * k + j] = Float(e); sum += e }
                for j in 0..<k { out[i * k + j] = Float(Double(out[i * k + j]) / sum) }
            }
        }
    }
}
