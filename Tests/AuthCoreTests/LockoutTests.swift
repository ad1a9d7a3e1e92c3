import Foundation
import GRDB
import Testing

@testable import AuthCore

/// A flood of wrong passwords slows the attacker but never locks the owner out.
@Suite struct LockoutTests {
    static func settings(_ settings: inout AuthSettings) {
        settings.lockoutThreshold = 3
        settings.lockoutAccountThreshold = 5
        settings.lockoutBase = 2
        settings.lockoutMax = 10
    }

    @Test func aLockedAddressStopsCountingTowardTheAccount() async throws {
        let h = try await Harness(Self.settings)
        try await h.account()
        for _ in 0..<100 { _ = await errorCode { _ = try await h.logIn(password: "wrong password", ip: "203.0.113.9") } }
        let records = try await h.store.writer.read { db in
            try Row.fetchAll(db, sql: "SELECT ip, failures FROM login_failures ORDER BY ip").map { "\($0["ip"] as String)=\($0["failures"] as Int)" }
        }
        #expect(records == ["*=3", "203.0.113.9=3"])
        _ = try await h.logIn(ip: "198.51.100.50")  // the owner, from an address never seen before
    }

    @Test func theAccountWideLimitNeverRefusesAnAddressTheOwnerLoggedInFrom() async throws {
        let h = try await Harness(Self.settings)
        try await h.account()  // logs in from Harness.client's address
        for index in 0..<5 {  // each address under its own threshold; the account's passes its own
            _ = await errorCode { _ = try await h.logIn(password: "wrong password", ip: "203.0.113.\(index)") }
        }
        #expect(await errorCode { _ = try await h.logIn(ip: "198.51.100.77") } == .tooManyAttempts)
        _ = try await h.logIn(ip: Harness.client.ip)
        // Known for a session's lifetime only.
        for index in 0..<5 {
            _ = await errorCode { _ = try await h.logIn(password: "wrong password", ip: "203.0.113.\(10 + index)") }
        }
        h.clock.advance(h.service.settings.sessionTTL + 1)
        for index in 0..<5 {
            _ = await errorCode { _ = try await h.logIn(password: "wrong password", ip: "203.0.113.\(20 + index)") }
        }
        #expect(await errorCode { _ = try await h.logIn(ip: Harness.client.ip) } == .tooManyAttempts)
    }

    @Test func rememberABoundedNumberOfAddressesPerAccount() async throws {
        let h = try await Harness()
        try await h.account()
        for index in 0..<40 {
            h.clock.advance(1)
            _ = try await h.logIn(ip: "198.51.100.\(index)")
        }
        let count = try await h.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM login_addresses") }
        #expect(count == LoginAddresses.maximumPerAccount)
        #expect(try await h.store.hasLoggedIn(email: "ada@example.com", from: "198.51.100.39", since: 0))
        #expect(try await !h.store.hasLoggedIn(email: "ada@example.com", from: "198.51.100.0", since: 0))
    }

    @Test func aCheckTurnedAwayForOverloadCountsAsNoAttempt() async throws {
        let pool = HashingPool(concurrency: 1, queueLimit: 1)
        let h = try await Harness(pool: pool, Self.settings)
        try await h.account()
        let gate = DispatchSemaphore(value: 0)
        // The pool's only thread, then its queue, each taken before the next arrives.
        let blockers = [Task { try await pool.run { gate.wait() } }]
        try await poll { pool.busyThreads == 1 }
        let queued = Task { try await pool.run { gate.wait() } }
        try await poll { pool.queued == 1 }
        for _ in 0..<10 { #expect(await errorCode { _ = try await h.logIn(ip: "198.51.100.8") } == .overloaded) }
        let records = try await h.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM login_failures") }
        #expect(records == 0)
        for blocker in blockers + [queued] {
            gate.signal()
            try await blocker.value
        }
        _ = try await h.logIn(ip: "198.51.100.8")
    }

    @Test func unlockingClearsEveryRecordOfTheAccount() async throws {
        let h = try await Harness(Self.settings)
        try await h.account()
        for index in 0..<6 { _ = await errorCode { _ = try await h.logIn(password: "wrong password", ip: "203.0.113.\(index % 2)") } }
        #expect(try await h.store.clearLoginFailures(email: "ada@example.com") == 3)
        _ = try await h.logIn(ip: "203.0.113.0")
    }

    /// Waits, briefly and boundedly, for `condition`.
    func poll(_ condition: () -> Bool) async throws {
        for _ in 0..<500 {
            if condition() { return }
            try await Task.sleep(for: .milliseconds(10))
        }
        Issue.record("condition not reached in 5 s")
    }
}
