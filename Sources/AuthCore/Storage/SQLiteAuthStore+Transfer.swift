import Foundation
import GRDB

extension SQLiteAuthStore {
    public func forEachAccount(_ body: @escaping @Sendable (Account) throws -> Void) async throws {
        // One read transaction: in WAL mode a snapshot, however long the export takes.
        try await writer.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT \(Account.columns) FROM accounts ORDER BY rowid")
            while let row = try rows.next() { try body(Account(row: row)) }
        }
    }

    public func collisions(of records: [TransferRecord]) async throws -> [ImportCollision] {
        try await writer.read { db in
            // An empty database collides with nothing: a million records need no lookups.
            if try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM accounts)")! {
                return Array(repeating: .none, count: records.count)
            }
            let byEmail = try db.cachedStatement(sql: "SELECT id FROM accounts WHERE email = ?")
            let byID = try db.cachedStatement(sql: "SELECT email, password_hash FROM accounts WHERE id = ?")
            return try records.map { record in
                let holder = try Row.fetchOne(byID, arguments: [record.id])
                return ImportCollision(
                    idOfEmail: try String.fetchOne(byEmail, arguments: [record.email]), emailOfID: holder?["email"],
                    hashOfID: holder?["password_hash"])
            }
        }
    }

    /// How long one write transaction of an import may hold the write lock: a running
    /// server's writes wait at most about this long.
    static let importBatchDuration = Duration.milliseconds(200)

    public func writeImport(_ actions: [ImportAction], now: Int64, progress: (@Sendable (Int) -> Void)?) async throws
        -> [String]
    {
        var written: [Undo] = []
        var next = 0
        while next < actions.count {
            progress?(next)
            let start = next
            let outcome = try await writer.writeWithoutTransaction { db in
                var batch: (undo: [Undo], failures: [String], end: Int) = ([], [], start)
                try db.inTransaction(.immediate) {
                    batch = try Self.apply(actions[start...], for: Self.importBatchDuration, now: now, db: db)
                    return batch.failures.isEmpty ? .commit : .rollback
                }
                return batch
            }
            guard outcome.failures.isEmpty else {
                // Someone took an email meanwhile: take back the batches already written.
                let done = written
                try await writer.write { db in try Self.undo(done, db: db) }
                return outcome.failures
            }
            written += outcome.undo
            next = outcome.end
        }
        return []
    }

    /// How to take back a written record: delete it, or restore what it replaced.
    enum Undo {
        case delete(id: String)
        case restore(id: String, hash: String?, status: String, updatedAt: Int64)
    }

    /// Writes `actions` in order for about `duration`; returns the undo steps, the failures met,
    /// and the index of the first action not written.
    static func apply(_ actions: ArraySlice<ImportAction>, for duration: Duration, now: Int64, db: Database) throws
        -> (undo: [Undo], failures: [String], end: Int)
    {
        let deadline = ContinuousClock.now + duration
        var undo: [Undo] = []
        var failures: [String] = []
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO accounts (id, email, status, password_hash, created_at, updated_at, email_verified)
                VALUES (?, ?, ?, ?, ?, ?, ?) ON CONFLICT DO NOTHING
                """)
        let current = try db.cachedStatement(sql: "SELECT password_hash, status, updated_at FROM accounts WHERE id = ?")
        let update = try db.cachedStatement(
            // A record without a hash (awaiting migration) never erases one the account has.
            sql: "UPDATE accounts SET status = ?, password_hash = coalesce(?, password_hash), updated_at = ? WHERE id = ?")
        for (index, action) in zip(actions.indices, actions) {
            if index % 256 == 0, index > actions.startIndex, ContinuousClock.now >= deadline {
                return (undo, failures, index)
            }
            switch action {
            case .create(let candidate):
                let record = candidate.record
                try insert.execute(arguments: [
                    record.id, record.email, record.status.rawValue, record.passwordHash, record.createdAt, now,
                    record.emailVerified,
                ])
                if db.changesCount == 1 {
                    undo.append(.delete(id: record.id))
                } else {
                    failures.append("line \(candidate.line): an account with this email or id was created meanwhile")
                }
            case .update(let candidate, let ending):
                let record = candidate.record
                guard let row = try Row.fetchOne(current, arguments: [record.id]) else {
                    failures.append("line \(candidate.line): the account was deleted meanwhile")
                    continue
                }
                undo.append(.restore(id: record.id, hash: row["password_hash"], status: row["status"], updatedAt: row["updated_at"]))
                try update.execute(arguments: [record.status.rawValue, record.passwordHash, now, record.id])
                if let hash = record.passwordHash, hash != row["password_hash"] { try voidResetTokens(accountID: record.id, db: db) }
                try end(ending, accountID: record.id, now: now, db: db)
            }
        }
        return (undo, failures, actions.endIndex)
    }

    static func undo(_ written: [Undo], db: Database) throws {
        for step in written.reversed() {
            switch step {
            case .delete(let id):
                try db.execute(sql: "DELETE FROM accounts WHERE id = ?", arguments: [id])
            case .restore(let id, let hash, let status, let updatedAt):
                try db.execute(
                    sql: "UPDATE accounts SET password_hash = ?, status = ?, updated_at = ? WHERE id = ?",
                    arguments: [hash, status, updatedAt, id])
            }
        }
    }
}
