import Foundation

@testable import AuthCore

/// A store implementation the contract suites run against. Every store protocol has one suite
/// here; a new store (PostgreSQL) joins `all` and must pass them unchanged.
struct StoreUnderTest: Sendable, CustomStringConvertible {
    let description: String
    let make: @Sendable () async throws -> any AuthStore

    static let all =
        [StoreUnderTest(description: "SQLite") { try AuthDatabase.inMemory() }]
        + (PostgresTestDatabases.adminURL == nil ? [] : [StoreUnderTest(description: "PostgreSQL") { try await PostgresTestDatabases.store() }])
}

/// Values the suites build stores' records from.
enum Sample {
    static func id(_ n: Int) -> String { String(format: "00000000-0000-4000-8000-%012d", n) }

    static func account(_ n: Int, email: String? = nil, hash: String = "$argon2id$sample", status: Account.Status = .active)
        -> Account
    {
        Account(id: id(n), email: email ?? "user\(n)@example.com", status: status, passwordHash: hash, createdAt: 100, updatedAt: 100)
    }

    static func session(_ n: Int, account: Int, at: Int64 = 100, ttl: Int64 = 1_000) -> Session {
        Session(
            id: id(10_000 + n), accountID: id(account), createdAt: at, lastUsedAt: at, expiresAt: at + ttl, userAgent: "ua",
            ip: "192.0.2.1", clientID: "web")
    }

    static func tokenHash(_ n: UInt8) -> [UInt8] { Array(repeating: n, count: 32) }

    /// An account and one open session with the refresh token `tokenHash(token)`.
    static func loggedIn(_ store: any AuthStore, account: Int = 1, session: Int = 1, token: UInt8 = 1) async throws -> Session {
        if try await store.account(id: id(account)) == nil { try await store.insertAccount(Self.account(account)) }
        let opened = Self.session(session, account: account)
        let created = try await store.createSession(
            opened, refreshTokenHash: tokenHash(token), verifiedHash: "$argon2id$sample", forgiving: nil, loginAddress: nil,
            audit: nil)
        precondition(created)
        return opened
    }
}
