import AuthCore
import Logging
import PostgresNIO

/// The PostgreSQL implementation of `AuthStore`, for several nodes sharing one database.
/// Each method is one statement or one transaction on a connection of the client's pool;
/// where SQLite takes its write lock before reading (read-decide-write), this store locks the
/// rows it decides on (`SELECT … FOR UPDATE`, or an advisory lock for rows that may not exist
/// yet), so the same rules hold across nodes. A transaction that changes an account's records
/// locks the account's row first (`lockAccount`), so no two of them deadlock.
public struct PostgresAuthStore: AuthStore {
    let client: PostgresClient
    let running: Task<Void, Never>
    let logger: Logger

    /// Connects to `url` (see `PostgresDatabaseURL`) with at most `poolSize` connections and
    /// brings the schema up to date, one node at a time. Refuses a database migrated by a newer
    /// program, and gives up when that can't be done within `timeout` (the server is down).
    public static func open(
        url: String, password: String? = nil, poolSize: Int = 10, timeout: Duration = .seconds(15),
        logger: Logger = Logger(label: "auth.postgres")
    ) async throws -> PostgresAuthStore {
        try await open(PostgresDatabaseURL(url, password: password), poolSize: poolSize, timeout: timeout, logger: logger)
    }

    public static func open(
        _ url: PostgresDatabaseURL, poolSize: Int = 10, timeout: Duration = .seconds(15),
        logger: Logger = Logger(label: "auth.postgres")
    ) async throws -> PostgresAuthStore {
        try await open(url, poolSize: poolSize, timeout: timeout, logger: logger) { try await PostgresMigrations.apply(on: $0) }
    }

    /// Connects and runs `prepare` (the migrations, or a check before them); a `CopyRefusal` it
    /// throws passes unchanged.
    static func open(
        _ url: PostgresDatabaseURL, poolSize: Int, timeout: Duration, logger: Logger,
        prepare: @escaping @Sendable (PostgresAuthStore) async throws -> Void
    ) async throws -> PostgresAuthStore {
        let client = PostgresClient(configuration: url.clientConfiguration(poolSize: poolSize), backgroundLogger: logger)
        let store = PostgresAuthStore(client: client, running: await start(client), logger: logger)
        do {
            let migrated = try await withThrowingTaskGroup(of: Bool.self) { group in
                group.addTask { try await prepare(store); return true }
                group.addTask { try await Task.sleep(for: timeout); return false }
                defer { group.cancelAll() }
                return try await group.next() ?? false
            }
            guard migrated else { throw PostgresStoreError("no connection within \(timeout)") }
        } catch let refusal as CopyRefusal {
            store.running.cancel()
            throw refusal
        } catch {
            store.running.cancel()
            throw PostgresStoreError("cannot open database \(url): \(PostgresStoreError.reason(error))")
        }
        return store
    }

    /// Runs `client` in a task of its own (until cancelled), returning once it has begun.
    static func start(_ client: PostgresClient) async -> Task<Void, Never> {
        let (begun, signal) = AsyncStream<Void>.makeStream()
        let running = Task {
            signal.finish()
            await client.run()
        }
        for await _ in begun {}
        return running
    }

    /// Shuts the client and its connections down.
    public func close() throws {
        running.cancel()
    }

    public func checkReady() async throws {
        let version = try await PostgresMigrations.currentVersion(on: self)
        guard version == PostgresMigrations.latest else {
            throw PostgresStoreError("database schema is not current (version \(version), expected \(PostgresMigrations.latest))")
        }
    }

    /// Runs `body` in a transaction (READ COMMITTED: each statement sees what committed before
    /// it, and a row locked with `FOR UPDATE` is read as its holder left it). Rolls back and
    /// rethrows `body`'s own error if it throws.
    func transaction<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        do {
            return try await client.withTransaction(logger: logger) { try await body(Connection(base: $0, logger: logger)) }
        } catch let error as PostgresTransactionError {
            throw error.closureError ?? error
        }
    }

    /// Runs `body` on a pooled connection, outside any transaction.
    func connection<T: Sendable>(_ body: (Connection) async throws -> T) async throws -> T {
        try await client.withConnection { try await body(Connection(base: $0, logger: logger)) }
    }
}
