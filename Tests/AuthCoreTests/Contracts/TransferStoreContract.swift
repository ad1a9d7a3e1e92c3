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
    func importsAllOrNothingAndExportsInCreationOrder(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        try await store.insertAccount(Sample.account(1))
        let failed = try await store.importAccounts(
            [Self.candidate(2), Self.candidate(3, email: "user1@example.com")], policy: .fail, dryRun: false, now: 60,
            progress: nil)
        #expect(failed.conflicts.count == 1 && failed.created == 1)
        #expect(try await store.account(id: Sample.id(2)) == nil)
        let dry = try await store.importAccounts([Self.candidate(2)], policy: .fail, dryRun: true, now: 60, progress: nil)
        #expect(dry.created == 1)
        #expect(try await store.account(id: Sample.id(2)) == nil)
        let done = try await store.importAccounts([Self.candidate(2), Self.candidate(3)], policy: .fail, dryRun: false, now: 60, progress: nil)
        #expect(done.created == 2 && done.conflicts.isEmpty)
        let exported = Mutexed<[String]>([])
        try await store.forEachAccount { account in exported.append(account.id) }
        #expect(exported.value == [Sample.id(1), Sample.id(2), Sample.id(3)])
        #expect(try await store.account(id: Sample.id(2))?.createdAt == 50)
    }

    @Test(arguments: StoreUnderTest.all)
    func skipsOrUpdatesExistingAccountsEndingTheirSessions(_ s: StoreUnderTest) async throws {
        let store = try await s.make()
        let session = try await Sample.loggedIn(store)
        let skipped = try await store.importAccounts([Self.candidate(1, hash: "$new")], policy: .skip, dryRun: false, now: 60, progress: nil)
        let unchanged = try await store.account(id: Sample.id(1))?.passwordHash
        #expect(skipped.skipped == 1 && unchanged == "$argon2id$sample")
        let mismatched = try await store.importAccounts(
            [Self.candidate(1, email: "else@example.com")], policy: .update, dryRun: false, now: 60, progress: nil)
        #expect(mismatched.conflicts.count == 1)
        let updated = try await store.importAccounts([Self.candidate(1, hash: "$new")], policy: .update, dryRun: false, now: 60, progress: nil)
        let replaced = try await store.account(id: Sample.id(1))?.passwordHash
        #expect(updated.updated == 1 && replaced == "$new")
        #expect(try await store.session(id: session.id)?.endReason == "password_changed")
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
