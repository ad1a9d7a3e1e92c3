import AuthCrypto
import Foundation
import GRDB
import PostgresNIO
import Testing

@testable import AuthCore
@testable import PostgresStore
@testable import PostgresSupport

@Suite struct PostgresURLTests {
    @Test func parsesEveryPartAndDefaults() throws {
        let url = try PostgresDatabaseURL("postgresql://auth:s%40cret@db.example.com:6543/tokens?sslmode=verify-full")
        #expect(url.user == "auth" && url.password == "s@cret" && url.host == "db.example.com" && url.port == 6543)
        #expect(url.database == "tokens" && url.sslMode == .verifyFull)
        let plain = try PostgresDatabaseURL("postgres://auth@localhost/tokens", password: "from-file")
        #expect(plain.port == 5432 && plain.sslMode == .prefer && plain.password == "from-file")
    }

    @Test func neverShowsThePassword() throws {
        let url = try PostgresDatabaseURL("postgres://auth:hunter2@localhost/tokens")
        #expect(!url.description.contains("hunter2") && url.description.contains("auth:***@localhost"))
        let bad = [
            "postgres://auth:hunter2@localhost/", "postgres://:hunter2@localhost/db",
            "postgres://auth:hunter2@localhost/db?sslmode=allow",
        ]
        for bad in bad {
            let error = #expect(throws: PostgresStoreError.self) { try PostgresDatabaseURL(bad) }
            #expect(error.map { !$0.description.contains("hunter2") } ?? false)
        }
    }
}

@Suite struct PostgresUnreachableTests {
    @Test func anUnreachableServerFailsTheOpenWithoutThePassword() async throws {
        let started = ContinuousClock.now
        let error = await #expect(throws: PostgresStoreError.self) {
            try await PostgresAuthStore.open(
                url: "postgres://auth:hunter2@127.0.0.1:1/tokens?sslmode=disable", poolSize: 1, timeout: .seconds(2))
        }
        #expect(error.map { !$0.description.contains("hunter2") && $0.description.contains("127.0.0.1:1") } ?? false)
        #expect(ContinuousClock.now - started < .seconds(10))
    }
}

@Suite(.enabled(if: PostgresTestDatabases.adminURL != nil, "AUTH_TEST_POSTGRES_URL names a test cluster"))
struct PostgresStoreTests {
    @Test func nodesStartingTogetherOnAnEmptyDatabaseMigrateOnceAndCreateOneSigningKey() async throws {
        let url = try await PostgresTestDatabases.create()
        let keys = KeyRing(keyEncryptionKey: SecretBytes(Array(repeating: 7, count: 32)))
        let added = try await withThrowingTaskGroup(of: Bool.self) { group in
            for _ in 0..<4 {
                group.addTask {
                    let store = try await PostgresAuthStore.open(url, poolSize: 2)
                    defer { try? store.close() }
                    return try await keys.ensureCurrentKey(in: store, now: 100)
                }
            }
            return try await group.reduce(into: []) { $0.append($1) }
        }
        #expect(added.count == 4)
        let store = try await PostgresAuthStore.open(url, poolSize: 2)
        #expect(try await store.signingKeys().filter { $0.state == .current }.count == 1)
        #expect(try await PostgresAuthStore.migrations.currentVersion(on: store.pool) == PostgresAuthStore.migrations.latest)
    }

    /// Tables, columns with their NOT NULL, indexes and triggers: PostgreSQL's schema is SQLite's
    /// translated (PostgreSQL adds `seq` for insertion order and a trigger against TRUNCATE).
    @Test func theSchemaMatchesSQLites() async throws {
        let sqlite = try await AuthDatabase.inMemory().writer.read { db in
            let tables = try String.fetchAll(
                db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'grdb%' AND name NOT LIKE 'sqlite%'")
            let columns = try tables.flatMap { table in
                try Row.fetchAll(db, sql: "SELECT name, \"notnull\", pk FROM pragma_table_info(?)", arguments: [table]).map {
                    "\(table).\($0["name"] as String) \(($0["notnull"] as Int) == 1 || ($0["pk"] as Int) > 0 ? "NOT NULL" : "NULL")"
                }
            }
            let others = try String.fetchAll(
                db, sql: "SELECT type || ' ' || name FROM sqlite_master WHERE type IN ('index', 'trigger') AND name NOT LIKE 'sqlite%'")
            return Set(columns + others)
        }
        let store = try await PostgresTestDatabases.store()
        let postgres = try await store.connection { db in
            let columns = try await db.rows(
                """
                SELECT table_name || '.' || column_name || ' ' || CASE is_nullable WHEN 'YES' THEN 'NULL' ELSE 'NOT NULL' END
                FROM information_schema.columns WHERE table_schema = current_schema()
                  AND table_name <> 'schema_migrations' AND column_name <> 'seq'
                UNION ALL SELECT 'index ' || indexname FROM pg_indexes
                WHERE schemaname = current_schema() AND indexname NOT IN (SELECT conname FROM pg_constraint)
                UNION ALL SELECT 'trigger ' || tgname FROM pg_trigger
                WHERE NOT tgisinternal AND tgname <> 'audit_events_append_only_truncate'
                """)
            return Set(try columns.map { try $0.decode(String.self) })
        }
        #expect(postgres.subtracting(sqlite).sorted() == [])
        #expect(sqlite.subtracting(postgres).sorted() == [])
    }

    @Test func refusesADatabaseMigratedByANewerProgram() async throws {
        let url = try await PostgresTestDatabases.create()
        let store = try await PostgresAuthStore.open(url, poolSize: 2)
        try await store.checkReady()
        try await store.connection { db in
            try await db.run("INSERT INTO schema_migrations (version, applied_at) VALUES (\(PostgresAuthStore.migrations.latest + 1), 0)")
        }
        await #expect(throws: PostgresStoreError.self) { try await store.checkReady() }
        let refused = await #expect(throws: PostgresStoreError.self) { try await PostgresAuthStore.open(url, poolSize: 2) }
        #expect(refused?.description.contains("newer version") == true)
    }

    @Test func theAuditLogIsAppendOnly() async throws {
        let store = try await PostgresTestDatabases.store()
        for at in [100, 200] as [Int64] { try await store.appendAudit(AuditEvent(kind: .logout, at: at)) }
        for statement: PostgresQuery in [
            "UPDATE audit_events SET detail = 'changed'", "DELETE FROM audit_events", "TRUNCATE audit_events",
            "UPDATE audit_retention SET purge_before = -1",
        ] {
            await #expect(throws: (any Error).self) { try await store.connection { db in try await db.run(statement) } }
        }
        #expect(try await store.purgeAudit(before: 150, limit: 10) == 1)
        await #expect(throws: (any Error).self) {
            try await store.connection { db in try await db.run("DELETE FROM audit_events WHERE at >= 150") }
        }
        #expect(try await store.auditEvents(AuditFilter()).map(\.at) == [200])
    }

    /// The test cluster serves TLS with a self-signed certificate.
    @Test(arguments: [(PostgresDatabaseURL.SSLMode.prefer, true), (.require, true), (.disable, false)])
    func connectsWithTheTLSTheURLAsksFor(_ mode: PostgresDatabaseURL.SSLMode, encrypted: Bool) async throws {
        var url = try await PostgresTestDatabases.create()
        url.sslMode = mode
        let store = try await PostgresAuthStore.open(url, poolSize: 1)
        let ssl = try await store.connection { db in
            try await db.value("SELECT ssl FROM pg_stat_ssl WHERE pid = pg_backend_pid()", as: Bool.self)
        }
        #expect(ssl == encrypted)
    }

    @Test func verifyFullRefusesACertificateNoAuthoritySigned() async throws {
        var url = try await PostgresTestDatabases.create()
        url.sslMode = .verifyFull
        await #expect(throws: PostgresStoreError.self) { try await PostgresAuthStore.open(url, poolSize: 1, timeout: .seconds(3)) }
    }

    @Test func closingEndsTheStore() async throws {
        let store = try await PostgresTestDatabases.store()
        try store.close()
        await #expect(throws: (any Error).self) { try await store.checkReady() }
    }
}
