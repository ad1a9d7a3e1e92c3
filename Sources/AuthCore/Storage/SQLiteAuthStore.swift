import Foundation
import GRDB

/// The SQLite implementation of `AuthStore`: a WAL `DatabasePool` in production,
/// an in-memory queue in tests.
public struct SQLiteAuthStore: AuthStore {
    let writer: any DatabaseWriter

    init(writer: any DatabaseWriter) {
        self.writer = writer
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

    /// Runs a short indexed read on the calling thread, without the hop to a reader's queue
    /// and back that an `await writer.read` costs (most of a `GET /v1/me`), and outside a transaction:
    /// each statement sees the database as last committed, so it suits reads whose statements
    /// need no common snapshot. Reads in WAL mode never wait for the writer; a page not yet
    /// cached is the only disk access it may wait for.
    func readHere<T>(_ body: (Database) throws -> T) throws -> T {
        try writer.unsafeRead(body)
    }

    public func close() throws {
        _ = try writer.writeWithoutTransaction { try $0.checkpoint(.truncate) }
        try writer.close()
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
