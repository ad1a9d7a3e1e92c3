import Foundation
import GRDB
import Testing

@testable import AuthCore

/// Ended sessions, used refresh tokens and old audit events go once the retention says so;
/// nothing younger does, and the audit log still refuses any other deletion.
@Suite struct RetentionTests {
    func count(_ table: String, _ h: Harness) async throws -> Int {
        try await h.store.writer.read { db in try Int.fetchOne(db, sql: "SELECT count(*) FROM \(table)") ?? 0 }
    }

    @Test func purgesWhatIsPastRetentionOnly() async throws {
        let h = try await Harness { $0.verifyOnSignUp = false }
        let day: Int64 = 86_400, ttl = h.service.settings.sessionTTL  // 30 days
        let first = try await h.account().grant  // day 0: session A, expires on day 30
        _ = try await h.service.refresh(token: first.refreshToken)  // and one used-up token
        h.clock.advance(ttl + 1)
        _ = try await h.logIn()  // day 30: session B, expires on day 60
        #expect(try await h.service.purgeExpired() == RetentionReport())  // nothing is 90 days old

        h.clock.advance(90 * day + 1)  // day 120: A ended 90 days ago, B only 60 days ago
        let c = try await h.logIn()
        let report = try await h.service.purgeExpired()
        #expect(report.sessions == 1 && report.auditEvents == 0, "\(report)")
        #expect(try await count("sessions", h) == 2)
        #expect(try await h.service.refresh(token: c.refreshToken).sessionID == c.sessionID)

        h.clock.advance(280 * day)  // day 400: every session long over; audit before day 35 goes
        let later = try await h.service.purgeExpired()
        #expect(later.sessions == 2 && later.auditEvents >= 3, "\(later)")
        #expect(try await count("sessions", h) == 0)
        #expect(try await count("refresh_tokens", h) == 0)
        #expect(try await count("audit_events", h) >= 1)  // day 120's login stays
    }

    @Test func purgesInBatchesBeyondOneTransaction() async throws {
        let h = try await Harness()
        let (account, _) = try await h.account()
        try await h.store.writer.write { db in
            for index in 0..<1_200 {
                try db.execute(
                    sql: "INSERT INTO sessions (id, account_id, created_at, last_used_at, expires_at) VALUES (?, ?, 0, 0, 10)",
                    arguments: [String(format: "00000000-0000-4000-8000-%012d", index), account.id])
            }
        }
        #expect(try await h.service.purgeExpired().sessions == 1_200)
    }

    @Test func theAuditLogRefusesDeletionsTheRetentionDidNotAllow() async throws {
        let h = try await Harness()
        try await h.account()
        await #expect(throws: DatabaseError.self) {
            try await h.store.writer.write { db in try db.execute(sql: "DELETE FROM audit_events") }
        }
        await #expect(throws: DatabaseError.self) {
            try await h.store.writer.write { db in try db.execute(sql: "UPDATE audit_retention SET purge_before = -1") }
        }
    }
}
