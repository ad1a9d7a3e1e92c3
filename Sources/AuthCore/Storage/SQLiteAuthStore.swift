import Foundation
import GRDB
import SQLiteSupport

/// The SQLite implementation of `AuthStore`: a WAL `DatabasePool` in production,
/// an in-memory queue in tests.
public struct SQLiteAuthStore: AuthStore {
    let writer: any DatabaseWriter
    /// The hot reads, on the calling thread.
    let reads: InlineReads

    init(writer: any DatabaseWriter, reads: InlineReads) {
        self.writer = writer
        self.reads = reads
    }

    /// Runs `body` in an IMMEDIATE transaction: the write lock is taken before the first
    /// read, so a read-decide-write sequence can't interleave with another writer,
    /// even one in another process such as `authctl`.
    func immediate<T: Sendable>(_ body: @escaping @Sendable (Database) throws -> T) async throws -> T {
        try await writer.writeWithoutTransaction { db in
            var result: T?
            try db.inTransaction(.immediate) {
                result = try body(db)
                return .commit
            }
            return result!
        }
    }

    public func close() throws {
        let readsClosed = Result { try reads.close() }
        _ = try writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try writer.close()
        try readsClosed.get()
    }

    public func checkReady() async throws {
        let migrator = AuthDatabase.migrator
        let ready = try await writer.read { db in try migrator.hasCompletedMigrations(db) }
        guard ready else { throw AuthDatabase.OpenError(description: "database schema is not current") }
    }
}

extension Data {
    var bytes: [UInt8] { [UInt8](self) }
}

extension SQLiteAuthStore {
    /// A consistent copy of the live database at `path` (SQLite's online backup), created with
    /// mode 0600 and moved into place only once complete.
    public func backup(to path: String) throws {
        let partial = path + ".partial"
        try? FileManager.default.removeItem(atPath: partial)
        _ = try AuthDatabase.createPrivateFile(partial)
        do {
            let destination = try DatabaseQueue(path: partial)
            try writer.backup(to: destination)
            try destination.close()
        } catch {
            try? FileManager.default.removeItem(atPath: partial)
            throw error
        }
        guard rename(partial, path) == 0 else {
            throw AuthDatabase.OpenError(description: "cannot move the backup into \(path)")
        }
    }
}
