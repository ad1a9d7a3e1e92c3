import AuthCore
import Logging
import PostgresNIO
import PostgresSupport

/// The PostgreSQL implementation of `AuthStore`, for several nodes sharing one database.
/// Each method is one statement or one transaction on a connection of the pool;
/// where SQLite takes its write lock before reading (read-decide-write), this store locks the
/// rows it decides on (`SELECT … FOR UPDATE`, or an advisory lock for rows that may not exist
/// yet), so the same rules hold across nodes. A transaction that changes an account's records
/// locks the account's row first (`lockAccount`), so no two of them deadlock.
/// While the database can't be reached, every method throws `AuthError(.unavailable)`.
public struct PostgresAuthStore: AuthStore {
    let pool: PostgresPool

    /// The token service's schema, in versioned steps.
    static let migrations = PostgresMigrations(
        table: "schema_migrations", lockKey: 0x6175_7468_5F6D_6967,  // "auth_mig"
        steps: [Migration1.statements])

    /// Connects to `url` (see `PostgresDatabaseURL`) with at most `poolSize` connections and,
    /// with `migrate`, brings the schema up to date, one node at a time. Refuses a database
    /// migrated by a newer program, and gives up when that can't be done within `timeout`.
    public static func open(
        url: String, password: String? = nil, poolSize: Int = 10, timeout: Duration = .seconds(15), migrate: Bool = true,
        logger: Logger = Logger(label: "auth.postgres")
    ) async throws -> PostgresAuthStore {
        try await open(
            PostgresDatabaseURL(url, password: password), poolSize: poolSize, timeout: timeout, migrate: migrate, logger: logger)
    }

    public static func open(
        _ url: PostgresDatabaseURL, poolSize: Int = 10, timeout: Duration = .seconds(15), migrate: Bool = true,
        logger: Logger = Logger(label: "auth.postgres")
    ) async throws -> PostgresAuthStore {
        try await open(url, poolSize: poolSize, timeout: timeout, logger: logger) { store in
            if migrate { try await migrations.apply(on: store.pool) } else { _ = try await store.schemaVersion() }
        }
    }

    /// The schema version this program brings a database to.
    public static var currentSchemaVersion: Int64 { migrations.latest }

    /// The database's schema version (0: no schema yet).
    public func schemaVersion() async throws -> Int64 {
        try await Self.migrations.currentVersion(on: pool)
    }

    /// Connects and runs `prepare` (the migrations, or a check before them); an error of its own
    /// (a `CopyRefusal`) passes unchanged.
    static func open(
        _ url: PostgresDatabaseURL, poolSize: Int, timeout: Duration, logger: Logger,
        prepare: @escaping @Sendable (PostgresAuthStore) async throws -> Void
    ) async throws -> PostgresAuthStore {
        PostgresAuthStore(
            pool: try await PostgresPool.open(url, poolSize: poolSize, timeout: timeout, logger: logger) {
                try await prepare(PostgresAuthStore(pool: $0))
            })
    }

    /// Shuts the pool and its connections down.
    public func close() throws {
        pool.close()
    }

    public func checkReady() async throws {
        try await unlessUnavailable { try await Self.migrations.checkCurrent(on: pool) }
    }

    /// Runs `body` in a transaction (see `PostgresPool.transaction`).
    func transaction<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        try await unlessUnavailable { try await pool.transaction(body) }
    }

    /// Runs `body` on a pooled connection, outside any transaction.
    func connection<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        try await unlessUnavailable { try await pool.connection(body) }
    }

    /// `operation`, with the database out of reach reported as the client sees it: 503, retry soon.
    private func unlessUnavailable<T>(_ operation: () async throws -> T) async throws -> T {
        try await pool.answeringOutages(
            with: AuthError(.unavailable, "The database can't be reached; retry shortly.", retryAfter: 5), operation)
    }
}
