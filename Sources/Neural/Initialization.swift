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

/// `Float.random(in: a...b, using:)`, draw for draw, without the generic stdlib path.
///
/// Called from a generic initialiser in another module, the stdlib's version is not specialised
/// and spends most of its time in metadata lookups: building ViT-B/16 (86M draws) took about 20 s.
/// This replica takes the same bits the same way (24-bit significand by Lemire's method over
/// `2^24 + 1` values, the top value meaning `b`), so seeded models keep their weights exactly;
/// `UniformFloatTests` checks it against the stdlib.
enum UniformFloat {
    static func draw(in range: ClosedRange<Float>, using generator: inout some RandomNumberGenerator) -> Float {
        let maxSignificand: UInt32 = 1 << 24
        let upperBound = maxSignificand + 1
        var random = UInt32(truncatingIfNeeded: generator.next())
        var product = UInt64(random) * UInt64(upperBound)
        if UInt32(truncatingIfNeeded: product) < upperBound {
            let threshold = (0 &- upperBound) % upperBound
            while UInt32(truncatingIfNeeded: product) < threshold {
                random = UInt32(truncatingIfNeeded: generator.next())
                product = UInt64(random) * UInt64(upperBound)
            }
        }
        let significand = UInt32(product >> 32)
        if significand == maxSignificand { return range.upperBound }
        let delta = range.upperBound - range.lowerBound
        return delta * (Float(significand) * (Float.ulpOfOne / 2)) + range.lowerBound
    }

    /// `count` draws from `range`, in order.
    static func draws(_ count: Int, in range: ClosedRange<Float>, using generator: inout some RandomNumberGenerator) -> [Float] {
        var values = [Float](repeating: 0, count: count)
        values.withUnsafeMutableBufferPointer { out in
            for i in 0..<count { out[i] = draw(in: range, using: &generator) }
        }
        return values
    }
}
