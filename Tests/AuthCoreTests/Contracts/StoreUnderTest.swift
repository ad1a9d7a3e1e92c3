import Foundation

@testable import AuthCore
import PostgresStore
import PostgresSupport

/// A store implementation the contract suites run against. Every store protocol has one suite
/// here; PostgreSQL joins `all` when `AUTH_TEST_POSTGRES_URL` is set and passes them unchanged.
struct StoreUnderTest: Sendable, CustomStringConvertible {
    let description: String
    let make: @Sendable () async throws -> any AuthStore
    /// Two stores on one new database, as two nodes (or a node and `authctl`) have them.
    let makeNodes: @Sendable () async throws -> (any AuthStore, any AuthStore)

    static let sqlite = StoreUnderTest(description: "SQLite", make: { try AuthDatabase.inMemory() }) {
        let path = nodesDirectory.appendingPathComponent("\(UUID().uuidString).sqlite").path
        return (try AuthDatabase.open(path: path, migrate: true).store, try AuthDatabase.open(path: path, migrate: false).store)
    }

    /// Each store on a database of its own on the cluster `AUTH_TEST_POSTGRES_URL` names. Nodes
    /// get a connection for each of the 20 tasks a two-node test runs on each at once: they then
    /// wait on each other's row locks, never 5 s for a connection (a 503) while the whole suite
    /// loads the machine.
    static let postgres = StoreUnderTest(description: "PostgreSQL", make: { try await PostgresTestDatabases.store() }) {
        let url = try await PostgresTestDatabases.create()
        return (try await PostgresAuthStore.open(url, poolSize: 20), try await PostgresAuthStore.open(url, poolSize: 20))
    }

    static let all = [sqlite] + (PostgresTestDatabases.adminURL == nil ? [] : [postgres])
}

/// Where the SQLite files of two-node tests go: one folder per test process, removed when it exits.
let nodesDirectory: URL = {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("auth-contract-nodes-\(getpid())")
    try? FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    atexit { try? FileManager.default.removeItem(at: nodesDirectory) }
    return directory
}()

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
