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
        // 53 random bits per draw, mapped to [-bound, bound): the generic `Double.random(in:using:)`
        // is not specialised across modules and made building ViT-B/16 (86M draws) take tens of seconds.
        var values = [Float](repeating: 0, count: count)
        for i in 0..<count {
            let unit = Double(generator.next() >> 11) * 0x1.0p-53
            values[i] = Float(-bound + 2 * bound * unit)
        }
        return values
    }
}
