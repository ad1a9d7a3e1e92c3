import Testing

@testable import AuthCore

@Suite struct AccountStoreContract {
    @Test(arguments: StoreUnderTest.all)
    func insertsAndFindsByEmailAndID(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        #expect(try await store.account(email: "user1@example.com") == Sample.account(1))
        #expect(try await store.account(id: Sample.id(1)) == Sample.account(1))
        #expect(try await store.account(email: "nobody@example.com") == nil)
        #expect(try await store.account(id: Sample.id(9)) == nil)
    }

    @Test(arguments: StoreUnderTest.all)
    func refusesATakenEmailOrID(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        for clash in [Sample.account(2, email: "user1@example.com"), Sample.account(1, email: "other@example.com")] {
            await #expect(throws: AuthError.self) { try await store.insertAccount(clash) }
        }
        #expect(try await store.accounts(afterEmail: nil, limit: 10).count == 1)
    }

    @Test(arguments: StoreUnderTest.all)
    func pagesInEmailOrder(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        for (n, name) in ["carol", "alice", "bob", "dave"].enumerated() {
            try await store.insertAccount(Sample.account(n, email: "\(name)@example.com"))
        }
        let first = try await store.accounts(afterEmail: nil, limit: 3).map(\.email)
        #expect(first == ["alice@example.com", "bob@example.com", "carol@example.com"])
        #expect(try await store.accounts(afterEmail: first.last, limit: 3).map(\.email) == ["dave@example.com"])
    }

    @Test(arguments: StoreUnderTest.all)
    func replacesAHashOnlyIfItIsStillTheExpectedOne(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        #expect(try await !store.replacePasswordHash(accountID: Sample.id(1), expected: "stale", with: "$new", now: 200))
        #expect(try await store.replacePasswordHash(accountID: Sample.id(1), expected: "$argon2id$sample", with: "$new", now: 200))
        let account = try #require(try await store.account(id: Sample.id(1)))
        #expect(account.passwordHash == "$new" && account.updatedAt == 200)
    }

    @Test(arguments: StoreUnderTest.all)
    func changesEndTheSessionsTheCallerNames(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        let kept = try await Sample.loggedIn(store, session: 1, token: 1)
        _ = try await Sample.loggedIn(store, session: 2, token: 2)
        #expect(try await store.setPassword(accountID: Sample.id(1), hash: "$p", ending: .allBut(kept.id, .passwordChanged), now: 300))
        #expect(try await store.openSessions(accountID: Sample.id(1)).map(\.id) == [kept.id])
        #expect(try await store.setStatus(accountID: Sample.id(1), status: .disabled, ending: .none, now: 301))
        #expect(try await store.openSessions(accountID: Sample.id(1)).count == 1)
        #expect(try await store.setStatus(accountID: Sample.id(1), status: .disabled, ending: .all(.accountDisabled), now: 302))
        #expect(try await store.openSessions(accountID: Sample.id(1)).isEmpty)
        let ended = try #require(try await store.session(id: kept.id))
        #expect(ended.endedAt == 302 && ended.endReason == "account_disabled")
        #expect(try await !store.setStatus(accountID: Sample.id(9), status: .active, ending: .none, now: 303))
        #expect(try await !store.setPassword(accountID: Sample.id(9), hash: "$p", ending: .none, now: 303))
    }

    @Test(arguments: StoreUnderTest.all)
    func deletesAnAccountWithItsSessions(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        let session = try await Sample.loggedIn(store)
        #expect(try await store.deleteAccount(id: Sample.id(1)))
        #expect(try await store.session(id: session.id) == nil)
        #expect(try await !store.deleteAccount(id: Sample.id(1)))
    }
}
