import GRDB
import Testing

@testable import AuthCore

@Suite struct LoginThrottleTests {
    func retryAfter(_ body: () async throws -> Void) async -> Int? {
        do {
            try await body()
        } catch let error as AuthError where error.code == .tooManyAttempts {
            return error.retryAfter
        } catch {}
        return nil
    }

    func harness() async throws -> Harness {
        try await Harness {
            $0.lockoutThreshold = 3
            $0.lockoutBase = 2
            $0.lockoutMax = 10
        }
    }

    @Test func throttlesAfterTheThresholdEvenTheRightPassword() async throws {
        let h = try await harness()
        try await h.account()
        for _ in 0..<3 { #expect(await errorCode { _ = try await h.logIn(password: "wrong password") } == .invalidGrant) }
        #expect(await retryAfter { _ = try await h.logIn() } == 2)
        h.clock.advance(1)
        #expect(await retryAfter { _ = try await h.logIn() } == 1)
    }

    @Test func doublesTheDelayUpToTheCapAndResetsOnSuccess() async throws {
        let h = try await harness()
        try await h.account()
        var delays: [Int] = []
        for _ in 0..<6 {
            _ = await errorCode { _ = try await h.logIn(password: "wrong password") }
            if let delay = await retryAfter({ _ = try await h.logIn(password: "wrong password") }) {
                delays.append(delay)
                h.clock.advance(Int64(delay))
            }
        }
        #expect(delays == [2, 4, 8, 10, 10])
        _ = try await h.logIn()
        #expect(await errorCode { _ = try await h.logIn(password: "wrong password") } == .invalidGrant)
        #expect(await retryAfter { _ = try await h.logIn() } == nil)
    }

    @Test func countsPerClientIPAndUnknownEmailsAlike() async throws {
        let h = try await harness()
        try await h.account()
        for _ in 0..<3 { _ = await errorCode { _ = try await h.logIn(password: "wrong password", ip: "198.51.100.1") } }
        #expect(await retryAfter { _ = try await h.logIn(ip: "198.51.100.1") } != nil)
        _ = try await h.logIn(ip: "198.51.100.2")  // another client is not affected
        for _ in 0..<3 { _ = await errorCode { _ = try await h.logIn("ghost@example.com", ip: "198.51.100.1") } }
        #expect(await retryAfter { _ = try await h.logIn("ghost@example.com", ip: "198.51.100.1") } == 2)
    }

    @Test func parallelAttemptsCannotSlipPastTheLimit() async throws {
        let h = try await harness()
        try await h.account()
        let outcomes = await withTaskGroup(of: AuthError.Code?.self) { group in
            for _ in 0..<30 { group.addTask { await errorCode { _ = try await h.logIn(password: "wrong password") } } }
            return await group.reduce(into: []) { $0.append($1) }
        }
        #expect(outcomes.filter { $0 == .invalidGrant }.count == 3)
        #expect(outcomes.filter { $0 == .tooManyAttempts }.count == 27)
    }

    @Test func guessingTheCurrentPasswordIsThrottledToo() async throws {
        let h = try await harness()
        let grant = try await h.account().grant
        let principal = try await h.service.authenticate(bearer: grant.accessToken)
        for _ in 0..<3 {
            #expect(await errorCode {
                try await h.service.changePassword(principal, current: "guess guess", new: "new good password", client: Harness.client)
            } == .invalidGrant)
        }
        #expect(await retryAfter {
            try await h.service.changePassword(principal, current: "correct horse battery", new: "new good password", client: Harness.client)
        } == 2)
    }

    @Test func junkUsernamesShareOneRecord() async throws {
        let h = try await harness()
        for name in ["x", String(repeating: "y", count: 60_000), "not an email"] {
            _ = await errorCode { _ = try await h.logIn(name) }
        }
        let keys = try await h.store.writer.read { db in try String.fetchAll(db, sql: "SELECT DISTINCT email FROM login_failures") }
        #expect(keys == ["<not an email>"])
    }

    @Test func throttlesTheAccountEverywhereAfterTheAccountWideThreshold() async throws {
        let h = try await Harness {
            $0.lockoutThreshold = 3
            $0.lockoutAccountThreshold = 5
            $0.lockoutBase = 2
            $0.lockoutMax = 10
        }
        try await h.account()
        for index in 0..<5 {  // one failure from each of five addresses: no address reaches 3
            #expect(await errorCode { _ = try await h.logIn(password: "wrong password", ip: "203.0.113.\(index)") } == .invalidGrant)
        }
        #expect(await retryAfter { _ = try await h.logIn(ip: "198.51.100.77") } == 2)
        h.clock.advance(2)
        _ = try await h.logIn(ip: "198.51.100.77")  // never a permanent lock; success resets
    }

    @Test func computesDelaysWithoutOverflow() {
        let throttle = LoginThrottle(threshold: 1, base: 1, maximum: 900)
        let record = throttle.recordingFailure(LoginFailures(failures: 10_000, lockedUntil: 0), now: 0)
        #expect(record.lockedUntil == 900)
    }

    /// A lock lasts its whole delay from the failure, wherever in its second the failure fell:
    /// a one-second lock set at 10.9 s still holds at 11.5 s, and Retry-After rounds up.
    @Test(arguments: [Int64(10_000), 10_001, 10_500, 10_999])
    func aLockLastsItsWholeDelayFromTheFailure(failedAt: Int64) {
        let throttle = LoginThrottle(threshold: 1, base: 1, maximum: 900)
        let record = throttle.recordingFailure(nil, now: failedAt)
        #expect(throttle.retryAfter(record, now: failedAt) == (failedAt % 1000 == 0 ? 1 : 2))
        #expect(throttle.retryAfter(record, now: failedAt + 999) != nil)
        #expect(throttle.retryAfter(record, now: 12_000) == nil)
    }
}
