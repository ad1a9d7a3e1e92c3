import Foundation
import GRDB

/// A SQLite file a copy fills (`authctl copy --to PATH`): created with mode 0600 and today's
/// schema when missing, and removed again if the copy fails. The schema has no AUTOINCREMENT
/// (no `sqlite_sequence`): new rows take the rowid after the largest copied one.
public struct SQLiteCopyTarget: CopyTarget {
    let queue: DatabaseQueue
    let path: String
    /// Whether opening created the file (so a failed copy removes it).
    let created: Bool

    /// Opens `path`, refusing a file that holds anything but an empty current schema.
    public static func open(path: String) throws -> SQLiteCopyTarget {
        let created = try AuthDatabase.createPrivateFile(path)
        do {
            var configuration = AuthDatabase.configuration()
            configuration.allowsUnsafeTransactions = true  // the copy's transaction spans one access per batch
            let queue = try DatabaseQueue(path: path, configuration: configuration)
            let target = SQLiteCopyTarget(queue: queue, path: path, created: created)
            do {
                try target.prepareSchema()
            } catch {
                try? queue.close()
                throw error
            }
            return target
        } catch {
            if created { remove(path) }
            guard let error = error as? DatabaseError else { throw error }
            if error.resultCode == .SQLITE_NOTADB { throw CopyRefusal("target \(path) is not a SQLite database") }
            throw AuthDatabase.OpenError(description: "cannot open target \(path): \(AuthDatabase.reason(error))")
        }
    }

    /// Creates the schema in a file without tables; otherwise it must be the current one.
    func prepareSchema() throws {
        let migrator = AuthDatabase.migrator
        let (tables, current) = try queue.read { db in
            (try String.fetchAll(db, sql: "SELECT name FROM sqlite_master WHERE type = 'table' AND name NOT LIKE 'sqlite_%' ORDER BY name"),
             try migrator.hasCompletedMigrations(db) && !migrator.hasBeenSuperseded(db))
        }
        if tables.isEmpty { return try migrator.migrate(queue) }
        let others = CopiedTable.others(in: tables, migrations: "grdb_migrations")
        guard others.isEmpty else { throw CopyRefusal.otherTables(others, in: "target \(path)") }
        guard current else {
            throw CopyRefusal("target \(path) has another version of the schema; copy into a new file")
        }
    }

    public func load<T: Sendable>(_ body: (any CopyLoader) async throws -> T) async throws -> T {
        let path = path
        do {
            try await queue.writeWithoutTransaction { db in
                try db.beginTransaction(.immediate)
                let counts = try CopiedTable.all.map { (table: $0.name, rows: try Int.fetchOne(db, sql: CopySQL.sqlite.count($0)) ?? 0) }
                guard counts.allSatisfy({ $0.rows == 0 }) else { throw CopyRefusal.notEmpty(counts, in: "target \(path)") }
                for delete in CopiedTable.all.compactMap(CopySQL.sqlite.deleteSeed) { try db.execute(sql: delete) }
            }
            let result = try await body(SQLiteLoader(queue: queue))
            try await queue.writeWithoutTransaction { try $0.commit() }
            return result
        } catch {
            try? await queue.writeWithoutTransaction { db in if db.isInsideTransaction { try db.rollback() } }
            throw error
        }
    }

    public func discard() {
        try? queue.close()
        if created { Self.remove(path) }
    }

    /// Removes the database file and any journal SQLite left beside it.
    static func remove(_ path: String) {
        for suffix in ["", "-journal", "-wal", "-shm"] { try? FileManager.default.removeItem(atPath: path + suffix) }
    }

    public func close() throws {
        try queue.close()
    }
}

/// Inserts each batch with one statement, in the transaction `load` holds open.
struct SQLiteLoader: CopyLoader {
    let queue: DatabaseQueue

    func insert(_ rows: [CopiedRow], into table: CopiedTable) async throws {
        guard !rows.isEmpty else { return }
        let sql = CopySQL.sqlite.insert(table, rows: rows.count)
        let arguments = StatementArguments(rows.flatMap { $0.map(\.databaseValue) })
        do {
            try await queue.writeWithoutTransaction { try $0.execute(sql: sql, arguments: arguments) }
        } catch let error as DatabaseError {
            throw AuthDatabase.OpenError(description: "cannot write \(table.name): \(AuthDatabase.reason(error))")
        }
    }
}
