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
        /// Milliseconds of one failed login for `email`.
        func attempt(_ email: String, _ index: Int) async -> Double {
            let start = ContinuousClock.now
            _ = await errorCode { _ = try await h.logIn(email, password: "wrong password", ip: "192.0.2.\(index)") }
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        }
        // Interleaved, so load that comes and goes on the machine hits both alike.
        var knownTimes: [Double] = [], unknownTimes: [Double] = []
        _ = await attempt("warmup@example.com", 0)
        for index in 0..<25 {
            knownTimes.append(await attempt("ada@example.com", index))
            unknownTimes.append(await attempt("nobody@example.com", index))
        }
        let known = knownTimes.sorted()[12], unknown = unknownTimes.sorted()[12]
        #expect(unknown / known > 0.7 && unknown / known < 1.43, "known \(known) ms, unknown \(unknown) ms")
    }
}
