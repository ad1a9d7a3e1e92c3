import Foundation
import Testing

@testable import AuthCore

@Suite struct LoginTimingTests {
    /// An unknown email must cost what a known email with a wrong password costs, or the
    /// answer's timing would tell which emails have accounts.
    @Test func unknownEmailsTakeAsLongAsWrongPasswords() async throws {
        let h = try await Harness {
            $0.argon2 = Argon2Parameters(memoryKiB: 8_192, iterations: 1, parallelism: 1)
            $0.lockoutThreshold = 1_000
            $0.lockoutAccountThreshold = 1_000
        }
        try await h.account()
        func median(_ email: String) async -> Double {
            var times: [Double] = []
            for index in 0..<25 {
                let start = ContinuousClock.now
                _ = await errorCode { _ = try await h.logIn(email, password: "wrong password", ip: "192.0.2.\(index)") }
                let elapsed = ContinuousClock.now - start
                times.append(Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000)
            }
            return times.sorted()[times.count / 2]
        }
        _ = await median("warmup@example.com")
        let known = await median("ada@example.com")
        let unknown = await median("nobody@example.com")
        #expect(unknown / known > 0.7 && unknown / known < 1.43, "known \(known) ms, unknown \(unknown) ms")
    }
}
