import Foundation
import Testing

@testable import AuthCore

@Suite struct ForgotTimingTests {
    /// `forgot` for an active account queues a mail (a write); for an unknown or disabled email
    /// it does nothing. Both must take as long, or the timing would tell which emails have accounts.
    @Test func forgotTakesAsLongForKnownUnknownAndDisabledEmails() async throws {
        let h = try await Harness {
            $0.verifyOnSignUp = false
            $0.mailInterval = 1
        }
        try await h.account()
        try await h.service.signUp(email: "off@example.com", password: "correct horse battery")
        let off = try #require(try await h.store.account(email: "off@example.com"))
        _ = try await h.store.setStatus(accountID: off.id, status: .disabled, ending: .none, now: 0)

        /// Milliseconds of one `forgot` for `email`.
        func request(_ email: String) async throws -> Double {
            let start = ContinuousClock.now
            try await h.service.forgotPassword(email: email, client: Harness.client)
            let elapsed = ContinuousClock.now - start
            return Double(elapsed.components.attoseconds) / 1e15 + Double(elapsed.components.seconds) * 1000
        }
        var times: [String: [Double]] = [:]
        let emails = ["ada@example.com", "off@example.com", "nobody@example.com"]
        for _ in 0..<9 {
            h.clock.advance(2)  // past the interval: each known request really queues a mail
            for email in emails { times[email, default: []].append(try await request(email)) }
        }
        let median = times.mapValues { $0.sorted()[4] }
        let unknown = median["nobody@example.com"]!
        for email in emails.dropLast() {
            let ratio = median[email]! / unknown
            #expect(ratio > 0.8 && ratio < 1.25, "\(email) \(median[email]!) ms, unknown \(unknown) ms")
        }
        #expect(try await h.deliverMail().count + h.deliverMail().count == 9)  // in batches of 8
    }
}
