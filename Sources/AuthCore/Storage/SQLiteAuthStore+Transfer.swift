import Foundation
import GRDB

extension SQLiteAuthStore {
    public func forEachAccount(_ body: @escaping @Sendable (Account) throws -> Void) async throws {
        // One read transaction: in WAL mode a snapshot, however long the export takes.
        try await writer.read { db in
            let rows = try Row.fetchCursor(db, sql: "SELECT * FROM accounts ORDER BY rowid")
            while let row = try rows.next() { try body(Account(row: row)) }
        }
    }

    /// How long one write transaction of an import may hold the write lock: a running
    /// server's writes wait at most about this long.
    static let importBatchDuration = Duration.milliseconds(200)

    public func importAccounts(
        _ records: [ImportCandidate], policy: ImportConflictPolicy, dryRun: Bool, now: Int64,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> ImportResult {
        // Plan against a snapshot, writing nothing: conflicts fail the import before any write.
        let plan = try await writer.read { db in try Self.plan(records, policy: policy, db: db) }
        guard plan.result.conflicts.isEmpty, !dryRun else { return plan.result }
        let actions = plan.actions
        var written: [Undo] = []
        var next = 0
        while next < actions.count {
            progress?(next)
            let start = next
            let outcome = try await writer.writeWithoutTransaction { db in
                var batch: (undo: [Undo], conflicts: [String], end: Int) = ([], [], start)
                try db.inTransaction(.immediate) {
                    batch = try Self.apply(actions[start...], for: Self.importBatchDuration, now: now, db: db)
                    return batch.conflicts.isEmpty ? .commit : .rollback
                }
                return batch
            }
            guard outcome.conflicts.isEmpty else {
                // Someone took an email meanwhile: take back the batches already written.
                let done = written
                try await writer.write { db in try Self.undo(done, db: db) }
                var failed = ImportResult()
                failed.conflicts = outcome.conflicts
                return failed
            }
            written += outcome.undo
            next = outcome.end
        }
        return plan.result
    }

    enum Action {
        case create(ImportCandidate)
        case update(ImportCandidate)

    }

    /// How to take back a written record: delete it, or restore what it replaced.
    enum Undo {
        case delete(id: String)
        case restore(id: String, hash: String, status: String, updatedAt: Int64)
    }

    static func plan(_ records: [ImportCandidate], policy: ImportConflictPolicy, db: Database) throws
        -> (actions: [Action], result: ImportResult)
    {
        var result = ImportResult()
        if try !Bool.fetchOne(db, sql: "SELECT EXISTS (SELECT 1 FROM accounts)")! {
            result.created = records.count  // nothing to collide with
            return (records.map(Action.create), result)
        }
        var actions: [Action] = []
        let byEmail = try db.cachedStatement(sql: "SELECT id FROM accounts WHERE email = ?")
        let byID = try db.cachedStatement(sql: "SELECT email FROM accounts WHERE id = ?")
        for candidate in records {
            let record = candidate.record
            let idOfEmail = try String.fetchOne(byEmail, arguments: [record.email])
            let emailOfID = try String.fetchOne(byID, arguments: [record.id])
            if idOfEmail == nil && emailOfID == nil {
                actions.append(.create(candidate))
                result.created += 1
                continue
            }
            switch policy {
            case .fail:
                let what = idOfEmail != nil ? "an account with this email exists" : "an account with this id exists"
                result.conflicts.append("line \(candidate.line): \(what)")
            case .skip:
                result.skipped += 1
            case .update:
                guard idOfEmail == record.id, emailOfID == record.email else {
                    result.conflicts.append("line \(candidate.line): the email and id belong to different accounts")
                    continue
                }
                actions.append(.update(candidate))
                result.updated += 1
            }
        }
        return (actions, result)
    }

    /// Writes `actions` in order for about `duration`; returns the undo steps, the conflicts met,
    /// and the index of the first action not written.
    static func apply(_ actions: ArraySlice<Action>, for duration: Duration, now: Int64, db: Database) throws
        -> (undo: [Undo], conflicts: [String], end: Int)
    {
        let deadline = ContinuousClock.now + duration
        var undo: [Undo] = []
        var conflicts: [String] = []
        let insert = try db.cachedStatement(
            sql: """
                INSERT INTO accounts (id, email, status, password_hash, created_at, updated_at) VALUES (?, ?, ?, ?, ?, ?)
                ON CONFLICT DO NOTHING
                """)
        let current = try db.cachedStatement(sql: "SELECT password_hash, status, updated_at FROM accounts WHERE id = ?")
        let update = try db.cachedStatement(
            sql: "UPDATE accounts SET status = ?, password_hash = ?, updated_at = ? WHERE id = ?")
        for (index, action) in zip(actions.indices, actions) {
            if index % 256 == 0, index > actions.startIndex, ContinuousClock.now >= deadline {
                return (undo, conflicts, index)
            }
            switch action {
            case .create(let candidate):
                let record = candidate.record
                try insert.execute(arguments: [
                    record.id, record.email, record.status.rawValue, record.passwordHash, record.createdAt, now,
                ])
                if db.changesCount == 1 {
                    undo.append(.delete(id: record.id))
                } else {
                    conflicts.append("line \(candidate.line): an account with this email or id was created meanwhile")
                }
            case .update(let candidate):
                let record = candidate.record
                guard let row = try Row.fetchOne(current, arguments: [record.id]) else {
                    conflicts.append("line \(candidate.line): the account was deleted meanwhile")
                    continue
                }
                let previousHash: String = row["password_hash"]
                undo.append(.restore(id: record.id, hash: previousHash, status: row["status"], updatedAt: row["updated_at"]))
                try update.execute(arguments: [record.status.rawValue, record.passwordHash, now, record.id])
                // As with a password change or a disable: the old sessions end.
                if record.status == .disabled {
                    try endSessions(db, accountID: record.id, except: nil, reason: .accountDisabled, now: now)
                } else if previousHash != record.passwordHash {
                    try endSessions(db, accountID: record.id, except: nil, reason: .passwordChanged, now: now)
                }
            }
        }
        return (undo, conflicts, actions.endIndex)
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
