import Foundation
import Testing

@testable import AuthCore

@Suite struct LoginTimingTests {
    /// An unknown email must cost what a known email with a wrong password costs, whatever hash
    /// the account has — ours, or an imported bcrypt hash several times slower — or the answer's
    /// timing would tell which emails have accounts, and which were imported.
    @Test func failedLoginsTakeAsLongWhateverTheStoredHash() async throws {
        let h = try await Harness {
            $0.argon2 = Argon2Parameters(memoryKiB: 8_192, iterations: 1, parallelism: 1)
            $0.lockoutThreshold = 1_000
            $0.lockoutAccountThreshold = 1_000
        }
        try await h.account()
        // bcrypt at cost 10 (of "not the password"): about 60 ms here, several times our argon2id.
        let imported = TransferRecord(
            id: "6c4b1bd0-51d6-4c47-9a6f-38d1f0e0a2a1", email: "bob@example.com", status: .active, createdAt: 0,
            passwordHash: "$2b$10$6QMOHoUnQc6zliWlGgkTMedVXnHlzafc5l3ypzoOVT/7L3R6dJ6C.")
        _ = try await h.importAccounts([ImportCandidate(line: 1, record: imported)], policy: .fail, dryRun: false)
        let costs = try await h.service.measureHashCosts()
        #expect(costs.keys.sorted() == ["argon2id m=8192,t=1,p=1", "bcrypt cost=10"], "\(costs.keys)")

        /// Milliseconds of one failed login for `email`.
        func attempt(_ email: String, _ index: Int) async -> Double {
            let start = ContinuousClock.now
            _ = await errorCode { _ = try await h.logIn(email, password: "wrong password", ip: "192.0.2.\(index)") }
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        }
        // Interleaved, so load that comes and goes on the machine hits all alike.
        var times: [String: [Double]] = [:]
        let emails = ["ada@example.com", "bob@example.com", "nobody@example.com"]
        _ = await attempt("warmup@example.com", 0)
        for index in 0..<15 {
            for email in emails { times[email, default: []].append(await attempt(email, index)) }
        }
        let median = times.mapValues { $0.sorted()[7] }
        let unknown = median["nobody@example.com"]!
        for email in emails.dropLast() {
            let ratio = median[email]! / unknown
            #expect(ratio > 0.7 && ratio < 1.43, "\(email) \(median[email]!) ms, unknown \(unknown) ms")
        }
    }
}
