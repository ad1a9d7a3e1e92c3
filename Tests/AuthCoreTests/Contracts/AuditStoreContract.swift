import Testing

@testable import AuthCore

@Suite struct AuditStoreContract {
    @Test(arguments: StoreUnderTest.all)
    func appendsAndReadsNewestFirstByFilter(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        let client = ClientInfo(ip: "192.0.2.1", userAgent: "ua")
        try await store.appendAudit(AuditEvent(kind: .signUp, at: 100, accountID: "a", email: "a@example.com", client: client))
        try await store.appendAudit(AuditEvent(kind: .loginFailed, at: 110, email: "ghost@example.com", client: client))
        try await store.appendAudit(AuditEvent(kind: .loginSucceeded, at: 120, accountID: "a", detail: "session s"))
        let all = try await store.auditEvents(AuditFilter())
        #expect(all.map(\.kind) == [.loginSucceeded, .loginFailed, .signUp])
        #expect(all.last?.ip == "192.0.2.1" && all.last?.email == "a@example.com" && all.first?.detail == "session s")
        #expect(try await store.auditEvents(AuditFilter(accountID: "a")).count == 2)
        #expect(try await store.auditEvents(AuditFilter(kind: .loginFailed)).map(\.email) == ["ghost@example.com"])
        #expect(try await store.auditEvents(AuditFilter(since: 110)).count == 2)
        #expect(try await store.auditEvents(AuditFilter(limit: 1)).map(\.kind) == [.loginSucceeded])
    }

    @Test(arguments: StoreUnderTest.all)
    func purgesOnlyWhatIsOlderThanTheCutoff(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        for at in [100, 200, 300] as [Int64] { try await store.appendAudit(AuditEvent(kind: .logout, at: at)) }
        #expect(try await store.purgeAudit(before: 250, limit: 1) == 1)
        #expect(try await store.purgeAudit(before: 250, limit: 10) == 1)
        #expect(try await store.auditEvents(AuditFilter()).map(\.at) == [300])
    }
}
