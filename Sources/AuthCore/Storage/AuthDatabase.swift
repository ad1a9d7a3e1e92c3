import Foundation
import GRDB
import SQLiteSupport

/// Opens the token service's SQLite database and keeps its schema current.
public enum AuthDatabase {
    /// A failure to open or migrate the database; the description names the file, never data.
    public struct OpenError: Error, CustomStringConvertible {
        public let description: String
    }

    /// The migrations, in order. On an empty database `v1` creates today's `schema.sql`, and
    /// each later step finds its work done; on a database of version N, the steps after N
    /// upgrade it (`SchemaUpgrades`). `SchemaTests` checks that both paths end alike.
    static var migrator: DatabaseMigrator {
        var migrator = DatabaseMigrator()
        migrator.registerMigration("v1") { db in try db.execute(sql: schemaSQL) }
        migrator.registerMigration("v2") { db in
            if try !db.tableExists("login_addresses") { try db.execute(sql: SchemaUpgrades.v2) }
        }
        migrator.registerMigration("v3") { db in
            if try !db.tableExists("email_tokens") { try db.execute(sql: SchemaUpgrades.v3) }
        }
        migrator.registerMigration("v4") { db in
            if try !db.tableExists("totp_factors") { try db.execute(sql: SchemaUpgrades.v4) }
        }
        migrator.registerMigration("v5", foreignKeyChecks: .deferred) { db in
            let hashRequired = try db.columns(in: "accounts").first { $0.name == "password_hash" }?.isNotNull ?? false
            if hashRequired { try db.execute(sql: SchemaUpgrades.v5) }
        }
        return migrator
    }

    /// SQLite's page cache, per connection (its default is 2 MiB): with a million accounts the
    /// indexes stay in memory instead of being read back from disk. With at most
    /// `maximumReaders` readers (the pool's and the inline ones together), the caches together
    /// stay under 64 + 5 × 16 = 144 MiB.
    public static let writerCacheKiB = 65_536
    public static let readerCacheKiB = 16_384
    public static let maximumReaders = 5
    /// The readers of `InlineReads`, for the hot reads, and the pool's.
    static let readers = InlineReads.share(of: maximumReaders)

    static func configuration() -> Configuration {
        var configuration = Configuration()
        configuration.foreignKeysEnabled = true
        configuration.busyMode = .timeout(5)
        configuration.maximumReaderCount = readers.pool
        configuration.prepareDatabase { db in
            let cacheKiB = db.configuration.readonly ? readerCacheKiB : writerCacheKiB
            try db.execute(sql: "PRAGMA cache_size = -\(cacheKiB)")
        }
        return configuration
    }

    /// Opens (creating it with mode 0600 if missing) the database file in WAL mode.
    /// `migrate` brings an older schema up to date; otherwise an outdated schema is an error.
    /// A database written by a newer program is always refused.
    public static func open(path: String, migrate: Bool) throws -> (store: SQLiteAuthStore, created: Bool) {
        let created = try createPrivateFile(path)
        let pool: DatabasePool
        do {
            pool = try DatabasePool(path: path, configuration: configuration())
            // FULL: a 2xx means the write survived a power cut, not only a crash. Set on the writer
            // after the pool's WAL set-up, which turns it to NORMAL.
            try pool.writeWithoutTransaction { try $0.execute(sql: "PRAGMA synchronous = FULL") }
        } catch {
            throw OpenError(description: "cannot open database \(path): \(Self.reason(error))")
        }
        try prepareSchema(pool, migrate: migrate || created, path: path)
        let reads: InlineReads
        do {
            reads = try InlineReads(path: path, count: readers.inline, configuration: configuration(), pool: pool)
        } catch {
            throw OpenError(description: "cannot open database \(path): \(Self.reason(error))")
        }
        return (SQLiteAuthStore(writer: pool, reads: reads), created)
    }

    /// A fresh in-memory database with the current schema, for tests.
    public static func inMemory() throws -> SQLiteAuthStore {
        let queue = try DatabaseQueue(configuration: configuration())
        try migrator.migrate(queue)
        return SQLiteAuthStore(writer: queue, reads: InlineReads(pool: queue))
    }

    static func prepareSchema(_ writer: any DatabaseWriter, migrate: Bool, path: String) throws {
        let migrator = migrator
        let (superseded, completed, empty) = try writer.read { db in
            (try migrator.hasBeenSuperseded(db), try migrator.hasCompletedMigrations(db),
             try Int.fetchOne(db, sql: "SELECT count(*) FROM sqlite_master") == 0)
        }
        if superseded {
            throw OpenError(description: "database \(path) was written by a newer version; upgrade this program")
        }
        if completed { return }
        guard migrate || empty else {
            throw OpenError(description: "database \(path) has an older schema; run `authctl migrate` first")
        }
        try migrator.migrate(writer)
    }

    /// Creates `path` empty with mode 0600 unless it exists; SQLite gives its WAL files the same mode.
    static func createPrivateFile(_ path: String) throws -> Bool {
        let descriptor = Foundation.open(path, O_CREAT | O_EXCL | O_WRONLY, 0o600)
        if descriptor >= 0 {
            close(descriptor)
            return true
        }
        if errno == EEXIST { return false }
        throw OpenError(description: "cannot create database \(path): \(String(cString: strerror(errno)))")
    }

    static func reason(_ error: any Error) -> String {
        if let error = error as? DatabaseError { return error.message ?? "\(error.resultCode)" }
        return "\(error)"
    }
}
