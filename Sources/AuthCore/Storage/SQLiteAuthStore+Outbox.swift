import Foundation
import GRDB

extension SQLiteAuthStore {
    static func enqueue(_ mail: OutgoingMail, db: Database) throws {
        try db.cachedStatement(
            sql: """
                INSERT INTO mail_outbox (id, account_id, recipient, purpose, sealed_message, attempts, created_at, queued_at,
                next_attempt_at) VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?)
                """
        ).execute(arguments: [
            mail.id, mail.accountID, mail.recipient, mail.purpose.rawValue, Data(mail.sealedMessage), mail.attempts,
            mail.createdAt, mail.queuedAt, mail.queuedAt,
        ])
    }

    public func claimDueMail(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [OutgoingMail] {
        // Most polls find nothing due: look before taking the write lock.
        let anyDue = try await writer.read { db in
            try Bool.fetchOne(
                db.cachedStatement(sql: "SELECT 1 FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ? LIMIT 1"),
                arguments: [now]) == true
        }
        guard anyDue else { return [] }
        return try await immediate { db in
            let rows = try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT * FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= ?
                        ORDER BY next_attempt_at, created_at LIMIT ?
                        """), arguments: [now, limit])
            let claim = try db.cachedStatement(sql: "UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ?")
            for row in rows { try claim.execute(arguments: [leaseUntil, row["id"]]) }
            return rows.compactMap(OutgoingMail.init(row:))
        }
    }

    public func recordDelivery(id: String, _ outcome: DeliveryOutcome, now: Int64) async throws {
        try await immediate { db in
            switch outcome {
            case .sent:
                try db.cachedStatement(
                    sql: """
                        UPDATE mail_outbox SET status = 'sent', sealed_message = NULL, attempts = attempts + 1,
                        finished_at = ?, last_error = '' WHERE id = ? AND status = 'pending'
                        """
                ).execute(arguments: [now, id])
            case .retry(let at, let error):
                try db.cachedStatement(
                    sql: """
                        UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = ?, last_error = ?
                        WHERE id = ? AND status = 'pending'
                        """
                ).execute(arguments: [at, error, id])
            case .released:
                try db.cachedStatement(sql: "UPDATE mail_outbox SET next_attempt_at = ? WHERE id = ? AND status = 'pending'")
                    .execute(arguments: [now, id])
            case .failed(let error):
                try db.cachedStatement(
                    sql: """
                        UPDATE mail_outbox SET status = 'failed', attempts = attempts + 1, finished_at = ?, last_error = ?
                        WHERE id = ? AND status = 'pending'
                        """
                ).execute(arguments: [now, error, id])
            }
        }
    }

    public func mailSummaries(status: MailStatus?, limit: Int) async throws -> [MailSummary] {
        try await writer.read { db in
            try Row.fetchAll(
                db.cachedStatement(
                    sql: """
                        SELECT id, recipient, purpose, status, attempts, created_at, last_error FROM mail_outbox
                        WHERE ? IS NULL OR status = ? ORDER BY created_at DESC, rowid DESC LIMIT ?
                        """), arguments: [status?.rawValue, status?.rawValue, limit]
            ).compactMap(MailSummary.init(row:))
        }
    }

    public func requeueFailedMail(id: String, now: Int64) async throws -> Bool {
        try await immediate { db in
            try db.cachedStatement(
                sql: """
                    UPDATE mail_outbox SET status = 'pending', finished_at = NULL, next_attempt_at = ?, queued_at = ?
                    WHERE id = ? AND status = 'failed'
                    """
            ).execute(arguments: [now, now, id])
            return db.changesCount == 1
        }
    }

    public func outboxBacklog() async throws -> (pending: Int, oldestCreatedAt: Int64?) {
        try await writer.read { db in
            let row = try Row.fetchOne(
                db.cachedStatement(sql: "SELECT count(*) AS pending, min(queued_at) AS oldest FROM mail_outbox WHERE status = 'pending'"))
            return (row?["pending"] ?? 0, row?["oldest"])
        }
    }

    public func purgeMail(finishedBefore: Int64, limit: Int) async throws -> Int {
        try await immediate { db in
            try db.cachedStatement(
                sql: """
                    DELETE FROM mail_outbox WHERE id IN
                    (SELECT id FROM mail_outbox WHERE status != 'pending' AND finished_at < ? LIMIT ?)
                    """
            ).execute(arguments: [finishedBefore, limit])
            return db.changesCount
        }
    }
}

extension OutgoingMail {
    init?(row: Row) {
        guard let purpose = MailPurpose(rawValue: row["purpose"]), let sealed = row["sealed_message"] as Data? else { return nil }
        self.init(
            id: row["id"], accountID: row["account_id"], recipient: row["recipient"], purpose: purpose,
            sealedMessage: sealed.bytes, createdAt: row["created_at"], queuedAt: row["queued_at"], attempts: row["attempts"])
    }
}

extension MailSummary {
    init?(row: Row) {
        guard let purpose = MailPurpose(rawValue: row["purpose"]), let status = MailStatus(rawValue: row["status"]) else {
            return nil
        }
        self.init(
            id: row["id"], to: row["recipient"], purpose: purpose, status: status, attempts: row["attempts"],
            createdAt: row["created_at"], lastError: row["last_error"])
    }
}
