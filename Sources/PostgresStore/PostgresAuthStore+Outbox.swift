import AuthCore
import Foundation
import PostgresNIO
import PostgresSupport

extension PostgresAuthStore {
    static func enqueue(_ mail: OutgoingMail, db: Connection) async throws {
        try await db.run(
            """
            INSERT INTO mail_outbox (id, account_id, recipient, purpose, sealed_message, attempts, created_at, queued_at,
                                     next_attempt_at)
            VALUES (\(mail.id), \(mail.accountID), \(mail.recipient), \(mail.purpose.rawValue), \(Data(mail.sealedMessage)),
                    \(mail.attempts), \(mail.createdAt), \(mail.queuedAt), \(mail.queuedAt))
            """)
    }

    /// `FOR UPDATE SKIP LOCKED`: workers on several nodes claiming at once each take mails the
    /// others have not locked, so a mail goes to one worker only.
    public func claimDueMail(now: Int64, leaseUntil: Int64, limit: Int) async throws -> [OutgoingMail] {
        try await connection { db in
            try await db.rows(
                """
                WITH due AS (
                    SELECT id, next_attempt_at AS due_at FROM mail_outbox WHERE status = 'pending' AND next_attempt_at <= \(now)
                    ORDER BY next_attempt_at, created_at LIMIT \(limit) FOR UPDATE SKIP LOCKED),
                claimed AS (
                    UPDATE mail_outbox m SET next_attempt_at = \(leaseUntil) FROM due WHERE m.id = due.id
                    RETURNING \(unescaped: prefixed(OutgoingMail.columns, "m")), due.due_at)
                SELECT \(unescaped: OutgoingMail.columns) FROM claimed ORDER BY due_at, created_at
                """
            ).compactMap(OutgoingMail.init)
        }
    }

    public func recordDelivery(id: String, _ outcome: DeliveryOutcome, now: Int64) async throws {
        let update: PostgresQuery
        switch outcome {
        case .sent:
            update = """
                UPDATE mail_outbox SET status = 'sent', sealed_message = NULL, attempts = attempts + 1, finished_at = \(now),
                last_error = '' WHERE id = \(id) AND status = 'pending'
                """
        case .retry(let at, let error):
            update = """
                UPDATE mail_outbox SET attempts = attempts + 1, next_attempt_at = \(at), last_error = \(error)
                WHERE id = \(id) AND status = 'pending'
                """
        case .released:
            update = "UPDATE mail_outbox SET next_attempt_at = \(now) WHERE id = \(id) AND status = 'pending'"
        case .failed(let error):
            update = """
                UPDATE mail_outbox SET status = 'failed', attempts = attempts + 1, finished_at = \(now), last_error = \(error)
                WHERE id = \(id) AND status = 'pending'
                """
        }
        try await connection { db in try await db.run(update) }
    }

    public func mailSummaries(status: MailStatus?, limit: Int) async throws -> [MailSummary] {
        try await connection { db in
            try await db.rows(
                """
                SELECT \(unescaped: MailSummary.columns) FROM mail_outbox
                WHERE \(status?.rawValue)::text IS NULL OR status = \(status?.rawValue)
                ORDER BY created_at DESC, seq DESC LIMIT \(limit)
                """
            ).compactMap(MailSummary.init)
        }
    }

    public func requeueFailedMail(id: String, now: Int64) async throws -> Bool {
        try await connection { db in
            try await db.count(
                """
                UPDATE mail_outbox SET status = 'pending', finished_at = NULL, next_attempt_at = \(now), queued_at = \(now)
                WHERE id = \(id) AND status = 'failed' RETURNING 1
                """) == 1
        }
    }

    public func outboxBacklog() async throws -> (pending: Int, oldestCreatedAt: Int64?) {
        try await connection { db in
            let row = try await db.rows("SELECT count(*), min(queued_at) FROM mail_outbox WHERE status = 'pending'").first
            return try row?.decode((Int, Int64?).self) ?? (0, nil)
        }
    }

    public func purgeMail(finishedBefore: Int64, limit: Int) async throws -> Int {
        try await connection { db in
            try await db.count(
                """
                DELETE FROM mail_outbox WHERE id IN (
                    SELECT id FROM mail_outbox WHERE status != 'pending' AND finished_at < \(finishedBefore) LIMIT \(limit))
                RETURNING 1
                """)
        }
    }
}
