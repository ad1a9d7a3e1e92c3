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

    public func importAccounts(
        _ records: [ImportCandidate], policy: ImportConflictPolicy, dryRun: Bool, now: Int64,
        progress: (@Sendable (Int) -> Void)? = nil
    ) async throws -> ImportResult {
        try await writer.writeWithoutTransaction { db in
            var result = ImportResult()
            try db.inTransaction(.immediate) {
                let byEmail = try db.cachedStatement(sql: "SELECT id FROM accounts WHERE email = ?")
                let byID = try db.cachedStatement(sql: "SELECT email FROM accounts WHERE id = ?")
                let insert = try db.cachedStatement(
                    sql: """
                        INSERT INTO accounts (id, email, status, password_hash, created_at, updated_at)
                        VALUES (?, ?, ?, ?, ?, ?)
                        """)
                let hashOf = try db.cachedStatement(sql: "SELECT password_hash FROM accounts WHERE id = ?")
                let update = try db.cachedStatement(
                    sql: "UPDATE accounts SET status = ?, password_hash = ?, updated_at = ? WHERE id = ?")
                for (index, candidate) in records.enumerated() {
                    if index % 10_000 == 0 { progress?(index) }
                    let record = candidate.record
                    let idOfEmail = try String.fetchOne(byEmail, arguments: [record.email])
                    let emailOfID = try String.fetchOne(byID, arguments: [record.id])
                    if idOfEmail == nil && emailOfID == nil {
                        try insert.execute(arguments: [
                            record.id, record.email, record.status.rawValue, record.passwordHash, record.createdAt, now,
                        ])
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
                        let previousHash = try String.fetchOne(hashOf, arguments: [record.id])
                        try update.execute(arguments: [record.status.rawValue, record.passwordHash, now, record.id])
                        // As with a password change or a disable: the old sessions end.
                        if record.status == .disabled {
                            try Self.endSessions(db, accountID: record.id, except: nil, reason: .accountDisabled, now: now)
                        } else if previousHash != record.passwordHash {
                            try Self.endSessions(db, accountID: record.id, except: nil, reason: .passwordChanged, now: now)
                        }
                        result.updated += 1
                    }
                }
                return dryRun || !result.conflicts.isEmpty ? .rollback : .commit
            }
            return result
        }
    }
}
