import Testing
@testable import Plot

@Suite struct TicksTests {
    @Test func niceTicksStayInsideTheRangeAtANiceStep() {
        // Every tick lies in the range, steps are 1, 2, 2.5 or 5 × 10^k, and there are at most target + 1.
        for (lo, hi, target) in [(0.0, 1.0, 5), (-3.7, 12.2, 6), (0.001, 0.0093, 4), (1.0, 17092.0, 8), (-1e6, 3e6, 5)] {
            let t = Ticks.nice(lo, hi, target: target)
            #expect(t.count >= 2 && t.count <= target + 1, "\(lo)...\(hi): \(t)")
            #expect(t.allSatisfy { $0 >= lo - 1e-12 && $0 <= hi + 1e-12 })
            let step = t[1] - t[0]
            let mantissa = step / pow(10, floor(log10(step)))
            #expect([1.0, 2, 2.5, 5].contains { abs($0 - mantissa) < 1e-9 }, "step \(step)")
        }
    }

    @Test func degenerateRangesGiveOneTickOrNone() {
        #expect(Ticks.nice(5, 5) == [5])
        #expect(Ticks.nice(.nan, 1).isEmpty)
        #expect(Ticks.nice(0, .infinity).isEmpty)
    }

    @Test func formats() {
        // Percent, integer with separators, scientific and automatic decimals that match the step.
        #expect(Ticks.labels([0, 0.05, 0.1], format: .percent(decimals: 0)) == ["0%", "5%", "10%"])
        #expect(Ticks.labels([0.1, 0.125, 0.15], format: .percent(decimals: 0)) == ["10.0%", "12.5%", "15.0%"])
        #expect(Ticks.labels([0, 12000, 24000], format: .integer) == ["0", "12,000", "24,000"])
        #expect(Ticks.labels([1500, 3000], format: .scientific) == ["1.5e3", "3e3"])
        #expect(Ticks.labels([0, 0.25, 0.5], format: .automatic) == ["0.00", "0.25", "0.50"])
        #expect(Ticks.labels([-1, 0, 1], format: .automatic) == ["\u{2212}1", "0", "1"])
        #expect(Ticks.labels([0, 2e6, 4e6], format: .automatic) == ["0", "2e6", "4e6"])
    }
}

import Foundation
