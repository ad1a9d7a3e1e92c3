import Foundation

/// Timing and the printed table of `make bench`.
enum Table {
    static let labelWidth = 56
    static let repetitions = 5

    /// Seconds of one run of `body` `iterations` times, per iteration, in microseconds.
    static func sample(_ iterations: Int, _ body: () -> Void) -> Double {
        let elapsed = ContinuousClock().measure { for _ in 0..<iterations { body() } }
        let seconds = Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18
        return seconds / Double(iterations) * 1e6
    }

    /// Medians over 5 repetitions of a floor and a candidate measured in turn, and the median of
    /// their per-repetition ratios: load that comes and goes on the machine hits both alike.
    static func pair(_ iterations: Int, floor: () -> Void, candidate: () -> Void) -> (floor: Double, value: Double, ratio: Double) {
        var floors: [Double] = [], values: [Double] = [], ratios: [Double] = []
        for _ in 0..<repetitions {
            let f = sample(iterations, floor), v = sample(iterations, candidate)
            floors.append(f)
            values.append(v)
            ratios.append(v / f)
        }
        return (median(floors), median(values), median(ratios))
    }

    /// Median of 5 repetitions of `body`, microseconds per iteration.
    static func measure(_ iterations: Int, _ body: () -> Void) -> Double {
        median((0..<repetitions).map { _ in sample(iterations, body) })
    }

    static func median(_ values: [Double]) -> Double { values.sorted()[values.count / 2] }

    static func header(_ title: String) {
        print("\n" + title.padding(toLength: labelWidth, withPad: " ", startingAt: 0), "    median", "ratio   ", "target")
    }

    static func row(_ name: String, _ value: Double, ratio: Double?, target: String = "") {
        let ratioText = ratio.map { String(format: "%.2f×", $0) } ?? ""
        print(
            name.padding(toLength: labelWidth, withPad: " ", startingAt: 0),
            value < 10_000 ? String(format: "%10.2f µs", value) : String(format: "%10.2f ms", value / 1000),
            ratioText.padding(toLength: 8, withPad: " ", startingAt: 0), target)
    }

    static func skipped(_ name: String, _ reason: String) {
        print(name.padding(toLength: labelWidth, withPad: " ", startingAt: 0), "skipped (\(reason))")
    }
}
