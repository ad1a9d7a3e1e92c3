import Synchronization
import Testing

@testable import AuthCore

/// A source that answers what the test says and records who asked (unit level; the e2e tests
/// run Cognito's API on moto and a real HTTP source).
final class ScriptedSource: PasswordSource, Sendable {
    let name = "http"
    private let state = Mutex<(verdicts: [String: SourceVerdict], asked: [String])>(([:], []))

    func answer(_ email: String, _ verdict: SourceVerdict) { state.withLock { $0.verdicts[email] = verdict } }
    var asked: [String] { state.withLock { $0.asked } }

    func check(email: String, password: String) async -> SourceVerdict {
        state.withLock {
            $0.asked.append(email)
            return password == "their old password" ? ($0.verdicts[email] ?? .refused) : .refused
        }
    }
}

@Suite struct MoveInTests {
    let sub = "7c1e0e2a-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
    let source = ScriptedSource()

    func harness() async throws -> Harness {
        try await Harness(source: source) { $0.lockoutThreshold = 3 }
    }

    func importAwaiting(_ h: Harness, email: String = "ada@example.com", status: Account.Status = .active) async throws {
        let record = TransferRecord(id: sub, email: email, status: status, createdAt: 0, passwordHash: nil, emailVerified: false)
        _ = try await h.importAccounts([ImportCandidate(line: 1, record: record)], policy: .fail)
    }

    @Test func anAccountWithoutHashMovesInAtItsFirstLoginAndNeverAsksAgain() async throws {
        let h = try await harness()
        try await importAwaiting(h)
        source.answer("ada@example.com", .accepted(id: "other", emailVerified: true))
        let grant = try await h.logIn(password: "their old password")
        let account = try #require(try await h.store.account(id: sub))
        #expect(account.passwordHash?.hasPrefix("$argon2id$") == true && account.emailVerified)
        #expect(try await h.store.session(id: grant.sessionID)?.accountID == sub)
        _ = try await h.logIn(password: "their old password")
        #expect(await errorCode { _ = try await h.logIn(password: "wrong") } == .invalidGrant)
        #expect(source.asked == ["ada@example.com"])
        #expect(try await h.store.auditEvents(AuditFilter(kind: .accountMigrated)).count == 1)
    }

    @Test func anUnknownEmailTheSourceKnowsBecomesAnAccountWithTheSourcesID() async throws {
        let h = try await harness()
        source.answer("bob@example.com", .accepted(id: sub.uppercased(), emailVerified: false))
        _ = try await h.logIn("BOB@example.com", password: "their old password")
        #expect(try await h.store.account(email: "bob@example.com")?.id == sub)
        source.answer("eve@example.com", .accepted(id: "eve-42", emailVerified: false))
        _ = try await h.logIn("eve@example.com", password: "their old password")
        #expect(try await h.store.account(email: "eve@example.com")?.id == TransferRecord.derivedID(system: "http", id: "eve-42"))
    }

    @Test func aRefusalCountsAsAFailedLoginAndAnOutageAsNone() async throws {
        let h = try await harness()
        try await importAwaiting(h)
        source.answer("ada@example.com", .unavailable(reason: "down"))
        for _ in 0..<5 {
            #expect(await errorCode { _ = try await h.logIn(password: "their old password") } == .unavailable)
        }
        #expect(try await h.store.account(id: sub)?.passwordHash == nil)
        source.answer("ada@example.com", .refused)
        for _ in 0..<3 { #expect(await errorCode { _ = try await h.logIn(password: "their old password") } == .invalidGrant) }
        #expect(await errorCode { _ = try await h.logIn(password: "their old password") } == .tooManyAttempts)
    }

    @Test func aDisabledAccountOrAnAccountWithAHashNeverReachesTheSource() async throws {
        let h = try await harness()
        try await importAwaiting(h, status: .disabled)
        try await h.service.signUp(email: "here@example.com", password: "correct horse battery")
        #expect(await errorCode { _ = try await h.logIn(password: "their old password") } == .invalidGrant)
        #expect(await errorCode { _ = try await h.logIn("here@example.com", password: "their old password") } == .invalidGrant)
        #expect(source.asked.isEmpty)
    }

    @Test func withoutASourceAnAccountWithoutHashLogsInOnlyAfterAReset() async throws {
        let h = try await Harness()
        try await importAwaiting(h)
        #expect(await errorCode { _ = try await h.logIn(password: "their old password") } == .invalidGrant)
        try await h.service.forgotPassword(email: "ada@example.com", client: Harness.client)
        let token = try #require(try await h.mailedToken(.resetPassword))
        try await h.service.resetPassword(token: token, newPassword: "a brand new passphrase", client: Harness.client)
        _ = try await h.logIn(password: "a brand new passphrase")
        let census = try await HashCensus(accounts: h.store, cost: Harness.cheap)()
        #expect(census.awaitingMigration == 0)
    }
}

@Suite struct MoveInRaceTests {
    @Test func twoFirstLoginsAtOnceBothSucceedWithOneAccount() async throws {
        let source = ScriptedSource()
        let h = try await Harness(source: source) { $0.lockoutThreshold = 10 }
        source.answer("new@example.com", .accepted(id: nil, emailVerified: false))
        async let first = h.logIn("new@example.com", password: "their old password", ip: "192.0.2.1")
        async let second = h.logIn("new@example.com", password: "their old password", ip: "192.0.2.2")
        let grants = try await [first, second]
        #expect(Set(grants.map(\.sessionID)).count == 2)
        #expect(try await h.store.accounts(afterEmail: nil, limit: 10).count == 1)
    }

    @Test func reimportingWithoutHashNeverErasesOne() async throws {
        let source = ScriptedSource()
        let h = try await Harness(source: source)
        let sub = "7c1e0e2a-4a5b-4c6d-8e9f-0a1b2c3d4e5f"
        let record = TransferRecord(id: sub, email: "ada@example.com", status: .active, createdAt: 0, passwordHash: nil)
        _ = try await h.importAccounts([ImportCandidate(line: 1, record: record)], policy: .fail)
        source.answer("ada@example.com", .accepted(id: sub, emailVerified: true))
        let grant = try await h.logIn(password: "their old password")
        _ = try await h.importAccounts([ImportCandidate(line: 1, record: record)], policy: .update)
        #expect(try await h.store.account(id: sub)?.passwordHash != nil)
        #expect(try await h.service.refresh(token: grant.refreshToken, client: Harness.client).sessionID == grant.sessionID)
    }
}
