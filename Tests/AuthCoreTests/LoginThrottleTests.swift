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

    @Test func computesDelaysWithoutOverflow() {
        let throttle = LoginThrottle(threshold: 1, base: 1, maximum: 900)
        let record = throttle.recordingFailure(LoginFailures(failures: 10_000, lockedUntil: 0), now: 0)
        #expect(record.lockedUntil == 900)
    }
}
