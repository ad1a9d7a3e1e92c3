import Foundation
import Testing

@testable import AuthCore

@Suite struct TransferStoreContract {
    static func candidate(_ n: Int, email: String? = nil, hash: String = "$2b$04$imported", status: Account.Status = .active)
        -> ImportCandidate
    {
        ImportCandidate(
            line: n,
            record: TransferRecord(
                id: Sample.id(n), email: email ?? "user\(n)@example.com", status: status, createdAt: 50, passwordHash: hash))
    }

    @Test(arguments: StoreUnderTest.all)
    func findsWhatEachRecordCollidesWith(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        #expect(try await store.collisions(of: [Self.candidate(1).record]) == [.none])
        try await store.insertAccount(Sample.account(1))
        let found = try await store.collisions(
            of: [Self.candidate(1).record, Self.candidate(2, email: "user1@example.com").record, Self.candidate(3).record])
        #expect(found == [
            ImportCollision(idOfEmail: Sample.id(1), emailOfID: "user1@example.com", hashOfID: "$argon2id$sample"),
            ImportCollision(idOfEmail: Sample.id(1), emailOfID: nil, hashOfID: nil), .none,
        ])
    }

    @Test(arguments: StoreUnderTest.all)
    func writesAllAndExportsInCreationOrder(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        #expect(try await store.writeImport([.create(Self.candidate(2)), .create(Self.candidate(3))], now: 60, progress: nil).isEmpty)
        let exported = Mutexed<[String]>([])
        try await store.forEachAccount { account in exported.append(account.id) }
        #expect(exported.value == [Sample.id(1), Sample.id(2), Sample.id(3)])
        let imported = try #require(try await store.account(id: Sample.id(2)))
        #expect(imported.createdAt == 50 && imported.updatedAt == 60 && imported.passwordHash == "$2b$04$imported")
    }

    @Test(arguments: StoreUnderTest.all)
    func takesEverythingBackWhenOneWriteFails(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        let session = try await Sample.loggedIn(store)
        let failures = try await store.writeImport(
            [
                .create(Self.candidate(2)), .update(Self.candidate(1, hash: "$new"), ending: .all(.passwordChanged)),
                .create(Self.candidate(3, email: "user2@example.com")),  // taken by the first action
            ], now: 60, progress: nil)
        #expect(failures == ["line 3: an account with this email or id was created meanwhile"])
        #expect(try await store.account(id: Sample.id(2)) == nil)
        #expect(try await store.account(id: Sample.id(1))?.passwordHash == "$argon2id$sample")
        #expect(try await store.session(id: session.id)?.endedAt == nil)
    }

    @Test(arguments: StoreUnderTest.all)
    func anUpdateEndsTheSessionsItNames(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        let session = try await Sample.loggedIn(store)
        let update = ImportAction.update(Self.candidate(1, hash: "$new", status: .disabled), ending: .all(.accountDisabled))
        #expect(try await store.writeImport([update], now: 60, progress: nil).isEmpty)
        let account = try #require(try await store.account(id: Sample.id(1)))
        #expect(account.passwordHash == "$new" && account.status == .disabled)
        #expect(try await store.session(id: session.id)?.endReason == "account_disabled")
        #expect(try await store.writeImport([.update(Self.candidate(9), ending: .none)], now: 61, progress: nil)
            == ["line 9: the account was deleted meanwhile"])
    }
}

/// A value a `@Sendable` closure appends to.
final class Mutexed<Value: Sendable>: @unchecked Sendable {
    private let lock = NSLock()
    private var stored: Value
    init(_ value: Value) { stored = value }
    var value: Value { lock.withLock { stored } }
    func append<Element>(_ element: Element) where Value == [Element] { lock.withLock { stored.append(element) } }
}
