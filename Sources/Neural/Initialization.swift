import Foundation
import Tensor

/// PyTorch's default initialisation of `nn.Linear` and `nn.Conv2d`.
///
/// `kaiming_uniform_(weight, a=sqrt(5))` draws from U(-b, b) with b = gain * sqrt(3 / fan_in) and
/// gain = sqrt(2 / (1 + a²)) = sqrt(1/3), so b = 1 / sqrt(fan_in); the bias draws from the same
/// interval. Reference: torch/nn/modules/linear.py and conv.py, `reset_parameters`.
enum DefaultInitializer {
    static func uniform(count: Int, fanIn: Int, using generator: inout some RandomNumberGenerator) -> [Float] {
        let bound = fanIn > 0 ? 1 / Double(fanIn).squareRoot() : 0
        return (0..<count).map { _ in Float(Double.random(in: -bound...bound, using: &generator)) }
    }
}
