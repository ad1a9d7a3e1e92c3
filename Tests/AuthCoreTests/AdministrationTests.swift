import Testing

@testable import AuthCore

/// The admin flows `authctl` runs, in the domain: each audited as its actor's.
@Suite struct AdministrationTests {
    static let actor = ClientInfo(ip: "", userAgent: "authctl (user root)")

    func admin(_ h: Harness) -> Administration {
        var settings = AuthSettings()
        settings.argon2 = Harness.cheap
        return Administration(store: h.store, actor: Self.actor, settings: settings, clock: h.clock.now)
    }

    @Test func createsFindsDisablesAndDeletesAccounts() async throws {
        let h = try await Harness()
        let admin = admin(h)
        let created = try await admin.createAccount(email: " Bob@Example.com ", password: "a fine passphrase")
        #expect(try await admin.findAccount("bob@example.com") == created)
        #expect(try await admin.findAccount(created.id.uppercased()) == created)
        await #expect(throws: AuthError.self) { _ = try await admin.createAccount(email: "eve@example.com", password: "password") }
        let grant = try await h.logIn("bob@example.com", password: "a fine passphrase")
        try await admin.disableAccount(created)
        await #expect(throws: AuthError.self) { _ = try await h.service.refresh(token: grant.refreshToken) }
        try await admin.deleteAccount(created)
        await #expect(throws: AuthError.self) { _ = try await admin.findAccount("bob@example.com") }
        let events = try await h.store.auditEvents(AuditFilter(accountID: created.id)).filter { $0.userAgent == Self.actor.userAgent }
        #expect(events.map(\.kind) == [.accountDeleted, .accountDisabled, .accountCreated])
    }

    @Test func setsAPasswordEndingEverySession() async throws {
        let h = try await Harness()
        let (account, grant) = try await h.account()
        await #expect(throws: AuthError.self) { try await admin(h).setPassword(account, password: "12345678") }
        try await admin(h).setPassword(account, password: "another fine passphrase")
        await #expect(throws: AuthError.self) { _ = try await h.service.refresh(token: grant.refreshToken) }
        _ = try await h.logIn(password: "another fine passphrase")
    }

    @Test func rotatesAndRetiresKeysButNeverTheCurrentOne() async throws {
        let h = try await Harness()
        let current = try #require(h.service.keys.signer?.kid)
        let added = try await admin(h).rotateKey(with: h.service.keys)(activateIn: 0)
        #expect(try await h.store.signingKeys().map(\.state) == [.previous, .current])
        await #expect(throws: AuthError.self) { try await admin(h).retireKey(kid: added.kid) }
        #expect(try await admin(h).retireKey(kid: current))
        #expect(try await !admin(h).retireKey(kid: current))  // already retired
        await #expect(throws: AuthError.self) { try await admin(h).retireKey(kid: "no-such-kid") }
    }
}
